// graph/: compiles an RGD into an immutable CompiledGraph (spec/01 §5, spec/03 §6–7), returning
// every issue in one pass. No I/O besides the injected SchemaResolver.

export { buildGraph, describeVariables, DEFAULT_MAX_COLLECTION_DIMENSIONS } from './build-graph.js';
export type { BuildGraphOptions, DeclaredResource, GraphVariables } from './build-graph.js';
export type { Variables } from './cel-port.js';
export type {
  CompiledCondition,
  CompiledField,
  CompiledForEachDimension,
  CompiledGraph,
  CompiledNode,
  CompiledStatus,
  GraphStatusSummary,
  InstanceInfo,
  NodeType,
} from './types.js';
export { buildDag, formatCycle } from './dag.js';
export type { Dag, DagNode, Cycle } from './dag.js';
export { Codes as GraphIssueCodes, msg as graphMessages } from './messages.js';
