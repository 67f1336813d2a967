// Freezes the pieces of a successful build into the CompiledGraph handed to the runtime.

import type { OpenApiSchema } from '../api/openapi.js';
import type { JsonObject } from '../lib/json.js';
import { deepFreeze } from '../schema/inline-refs.js';
import type { ResolvedKind } from '../schema/types.js';
import type { NodeDraft } from './compile-node.js';
import type { Dag } from './dag.js';
import type { ParsedNode } from './parse-resources.js';
import { graphStatusSummary } from './summary.js';
import type { CompiledGraph, CompiledNode, CompiledStatus, InstanceInfo } from './types.js';

export interface AssembleInput {
  readonly instance: InstanceInfo;
  readonly specSchema: OpenApiSchema;
  readonly instanceSchema: OpenApiSchema;
  readonly status: CompiledStatus;
  readonly crd: JsonObject;
  readonly parsed: readonly ParsedNode[];
  readonly resolved: ReadonlyMap<string, ResolvedKind>;
  readonly drafts: ReadonlyMap<string, NodeDraft>;
  readonly dag: Dag;
}

export function assembleGraph(input: AssembleInput): CompiledGraph {
  const { dag } = input;
  const position = new Map(dag.topologicalOrder.map((id, i) => [id, i]));
  const byOrder = (ids: Iterable<string>): readonly string[] =>
    Object.freeze([...ids].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0)));
  const nodes: CompiledNode[] = input.parsed.map((p) => {
    const draft = input.drafts.get(p.id) as NodeDraft;
    const kind = input.resolved.get(p.id) as ResolvedKind;
    return Object.freeze({
      id: p.id,
      index: p.index,
      type: p.type,
      path: p.path,
      apiVersion: p.apiVersion,
      kind: p.gvk.kind,
      gvk: Object.freeze({ ...p.gvk }),
      plural: kind.plural,
      namespaced: kind.namespaced,
      schema: kind.schema,
      template: deepFreeze(structuredClone(p.body)),
      fields: Object.freeze([...draft.fields]),
      forEach: Object.freeze([...draft.forEach]),
      includeWhen: Object.freeze([...draft.includeWhen]),
      readyWhen: Object.freeze([...draft.readyWhen]),
      dependencies: byOrder([...draft.edges.keys()].filter((d) => d !== p.id && position.has(d))),
      dependents: byOrder(dag.dependents.get(p.id) ?? []),
      applyOrder: dag.applyOrder.get(p.id) ?? 1,
    });
  });
  const nodesById = new Map(nodes.map((n) => [n.id, n]));
  const deps = new Map(nodes.map((n) => [n.id, n.dependencies]));
  const topologicalOrder = Object.freeze([...dag.topologicalOrder]);
  return Object.freeze({
    instance: Object.freeze({ ...input.instance }),
    specSchema: deepFreeze(input.specSchema),
    instanceSchema: deepFreeze(input.instanceSchema),
    status: Object.freeze({
      ...input.status,
      fields: Object.freeze([...input.status.fields]),
      inferredSchema: deepFreeze(input.status.inferredSchema),
      declared: Object.freeze([...input.status.declared]),
      conditions: Object.freeze([...input.status.conditions]),
    }),
    crd: deepFreeze(input.crd),
    nodes: Object.freeze(nodes),
    nodesById,
    topologicalOrder,
    applyLayers: Object.freeze(dag.layers.map((l) => Object.freeze([...l]))),
    toStatus: () => graphStatusSummary(topologicalOrder, deps),
  });
}
