// expr/: finds `${...}` expressions in RGD strings and says where they sit (spec/03 §1). Pure and
// CEL-free: parsing and type checking happen in cel/, driven by graph/.

export { scanString, mayContainExpression, unterminatedMessage, NESTED_EXPRESSION_MESSAGE } from './scan.js';
export type { ExpressionSpan, ScannedString, ScanIssue, ScanIssueCode } from './scan.js';
export { findFieldDescriptors, describeString } from './field-descriptors.js';
export type { FieldDescriptor, WalkOptions, WalkResult } from './field-descriptors.js';
export { appendSegment, formatPath, joinPaths } from './path.js';
export type { PathSegment } from './path.js';
