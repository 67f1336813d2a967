// Public surface of SimpleSchema: one entry point plus the pieces other modules reuse.
export { buildSpecSchema, SPEC_PATH } from './build.js';
export { TYPES_PATH } from './custom-types.js';
export { ISSUE_CODE as SIMPLESCHEMA_ISSUE_CODE } from './build-field.js';
export type { TypeExpr } from './type-expr.js';
export { parseTypeExpression, splitFieldString, MAX_TYPE_NESTING_DEPTH } from './type-expr.js';
export type { Marker, MarkerKey } from './marker-lexer.js';
export { lexMarkers, MARKER_KEYS } from './marker-lexer.js';
