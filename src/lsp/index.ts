// lsp/: `kro-ts lsp`, a Language Server Protocol server for RGD authors (diagnostics, hover,
// completion, go-to-definition). It adds no RGD logic of its own: source/ reads and locates,
// graph/ compiles and types, expr/ finds expressions, schema/ resolves kinds.

export { startLanguageServer } from './server.js';
export type { ServerOptions } from './server.js';
export { analyzeDocument } from './analysis.js';
export type { DocumentAnalysis, Problem, RgdAnalysis } from './analysis.js';
export { completeAt, definitionAt, hoverAt } from './features.js';
