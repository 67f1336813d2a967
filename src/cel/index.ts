// The CEL core of kro-ts: the only place that imports the CEL engine (@marcbachmann/cel-js).
// Everything here speaks OpenAPI schemas, plain CEL values and cel-go type spellings, so graph/,
// runtime/ and the CLI never see engine types.
//
// Pipeline: compileExpression (parse → identifiers/functions → type check against the variables'
// schemas → instrumented program) at RGD build time; toCel → CompiledExpression.evaluate → fromCel
// at reconcile time. Evaluation is bounded (budget.ts) and separates "data pending" from errors
// structurally (program.ts).
export type {
  CelCompileIssue,
  CompileOptions,
  CompiledExpression,
  EvaluateOptions,
  VariableDecl,
} from './compile.js';
export { compileExpression } from './compile.js';
export type { ConditionCalls } from './ast.js';
export { CelCondition, CONDITION_TYPE_NAME } from './lib/runtime.js';
export type { CelType, CelTypeInfo, PrimitiveName } from './types.js';
export { celTypes, listType, mapType, objectType, optionalType, typeInfo } from './types.js';
export type { Assignability } from './schema-types.js';
export {
  celTypeOfSchema,
  expectedTypeName,
  isAssignable,
  schemaOfCelType,
  statusSchemaOfCelType,
} from './schema-types.js';
export { celTypeName, formatTimestamp, fromCel, parseGoDuration, toCel } from './values.js';
export { parseJsonLossless, stringifyJsonLossless } from './json-lossless.js';
export { formatGoDuration } from '../lib/go-duration.js';
export {
  DEFAULT_EVAL_TIMEOUT_MS,
  MAX_COLLECTION_ELEMENTS,
  MAX_STRING_BYTES,
  chargeBudget,
  checkBudget,
  checkCollectionSize,
  checkStringSize,
  getDefaultEvalTimeout,
  setDefaultEvalTimeout,
} from './budget.js';
export { MAX_AST_NODES, MAX_EXPRESSION_CODE_POINTS, MAX_NESTING_DEPTH } from './environment.js';
