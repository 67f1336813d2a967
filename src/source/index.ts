// source/: RGDs as their authors wrote them, shared by the offline CLI and the language server.
// YAML documents keep their node trees so an issue's RGD path maps back to a range of the text
// (one mapping, used for `file:line:col` and for editor diagnostics); RGDs of a set compile
// together with the controller's compiler over a CRD overlay, in any order.

export { SourceError } from './errors.js';
export { parseRgdPath } from './rgd-path.js';
export type { Segment } from './rgd-path.js';
export {
  parseYamlDocuments,
  parseYamlText,
  readYamlFile,
  locatePath,
  locateRange,
  nodeAt,
  positionOf,
} from './yaml-source.js';
export type {
  LocateOptions,
  ParsedYaml,
  Position,
  ReadOptions,
  SourceRange,
  YamlDoc,
  YamlProblem,
} from './yaml-source.js';
export { issueRange, locateIssue, formatLocated, sortLocated, issueText } from './locate.js';
export type { LocatedIssue } from './locate.js';
export {
  RGD_KIND,
  compileRgds,
  crdDocuments,
  crdDocumentsOf,
  loadRgds,
  rgdSourcesOf,
  compileOne,
} from './compile.js';
export type { CompiledRgd, RgdSource } from './compile.js';
export { createResolver, expandCrdPaths, overlayResolver } from './resolver.js';
export type { OverlayResolver, ResolverOptions } from './resolver.js';
