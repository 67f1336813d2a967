// An offline reconcile (spec 04 §5): the CLI's executor of the runtime's wave scheduler
// (runtime/scheduler.ts, shared with the operator: same waves, same identity collisions); each rendered object's "apply response" is the object from --observed
// with the desired fields laid over it, or else the desired object itself; readyWhen runs on
// that. What the API server alone could provide (status, external objects) leaves the node
// waiting, and its dependents are reported with what they wait for.

import { KRO_TS_VERSION } from '../api/constants.js';
import type { NodeState } from '../api/constants.js';
import type { CompiledGraph, CompiledNode } from '../graph/index.js';
import {
  applySetId,
  collectionReadiness,
  InstanceContext,
  planNode,
  scalarReadiness,
  WaveScheduler,
} from '../runtime/index.js';
import type { InstanceObject, NodeOutcome, NodePlan, RuntimeObject } from '../runtime/index.js';
import { overlay } from './observed.js';
import type { ObservedObjects } from './observed.js';

export interface RenderedNode extends NodeOutcome {
  readonly id: string;
  /** 1-based wave in which the node was processed; undefined when it never was. */
  readonly wave?: number | undefined;
  /** Objects the controller would apply (empty for skipped, pending, external nodes). */
  readonly objects: readonly RuntimeObject[];
}

export interface RenderOutcome {
  /** In processing order: by wave, then topological order. */
  readonly nodes: readonly RenderedNode[];
}

const EVAL_TIMEOUT_MS = 1000;
/** CEL time across all expressions of one render (the operator's default is 1 s). */
const RENDER_BUDGET_MS = 2000;
const MAX_COLLECTION_SIZE = 1000;

export function renderInstance(
  graph: CompiledGraph,
  instance: InstanceObject,
  observed: ObservedObjects,
): RenderOutcome {
  const ctx = new InstanceContext(graph, instance, {
    timeoutMs: EVAL_TIMEOUT_MS,
    reconcileBudgetMs: RENDER_BUDGET_MS,
    maxCollectionSize: MAX_COLLECTION_SIZE,
    ownerReferences: 'auto',
    kroVersion: KRO_TS_VERSION,
  });
  const setId = applySetId({
    name: instance.metadata.name ?? '',
    namespace: instance.metadata.namespace ?? '',
    kind: graph.instance.kind,
    group: graph.instance.group,
  });
  const states = new Map<string, NodeState>();
  const stateOf = (id: string) => states.get(id);
  const scheduler = new WaveScheduler(graph, stateOf);
  const out: RenderedNode[] = [];
  for (let wave = scheduler.next(); wave.length > 0; wave = scheduler.next()) {
    const planned = wave.map((node) => ({ node, plan: planNode(ctx, { node, applySetId: setId, stateOf }) }));
    const claimed = scheduler.claimIdentities(planned);
    // A node of an earlier wave that renders the same object is in error too (it was applied).
    for (const { id, outcome } of claimed.earlier) {
      states.set(id, outcome.state);
      const i = out.findIndex((n) => n.id === id);
      out[i] = { ...(out[i] as RenderedNode), ...outcome };
    }
    for (const { node, plan } of claimed.planned) {
      const r = settle(ctx, { node, plan, observed });
      states.set(node.id, r.state);
      out.push({ ...r, id: node.id, wave: scheduler.wave });
    }
  }
  for (const { node, blockers } of scheduler.unreached())
    out.push({ ...waiting(blockers, out), id: node.id, objects: [] });
  return { nodes: out };
}

function settle(
  ctx: InstanceContext,
  o: { node: CompiledNode; plan: NodePlan; observed: ObservedObjects },
): NodeOutcome & { objects: RuntimeObject[] } {
  const { node, plan, observed } = o;
  switch (plan.kind) {
    case 'outcome':
      return { ...plan.outcome, objects: [] };
    case 'apply': {
      const desired = plan.objects.map((d) => d.object);
      const responses = desired.map((d) => overlay(observed.find(refOf(d)), d) as RuntimeObject);
      if (node.type === 'collection') {
        ctx.observe(node, responses);
        return {
          ...collectionReadiness(ctx, node, { observed: responses, desired: responses.length }).outcome,
          objects: desired,
        };
      }
      const first = responses[0] as RuntimeObject;
      ctx.observe(node, first);
      return { ...scalarReadiness(ctx, node, first), objects: desired };
    }
    case 'get': {
      const live = observed.find(plan.ref);
      if (!live) {
        const where = plan.ref.namespace ? `${plan.ref.namespace}/${plan.ref.name}` : plan.ref.name;
        return {
          state: 'IN_PROGRESS',
          reason: 'ExternalNotObserved',
          message: `waiting for external ${plan.ref.apiVersion} ${plan.ref.kind} ${where} (give it with --observed)`,
          objects: [],
        };
      }
      ctx.observe(node, live);
      return { ...scalarReadiness(ctx, node, live), objects: [] };
    }
    case 'list': {
      const items = observed.list({
        apiVersion: plan.apiVersion,
        kind: plan.kind_,
        namespace: plan.namespace,
        matchLabels: plan.selector.matchLabels ?? {},
      });
      ctx.observe(node, items);
      return {
        ...collectionReadiness(ctx, node, { observed: items, desired: items.length }).outcome,
        objects: [],
      };
    }
  }
}

function refOf(o: RuntimeObject): {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name?: string | undefined;
} {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}

/** Why a node no wave reached waits: each unsettled dependency with its state and message. */
function waiting(blockers: readonly string[], done: readonly RenderedNode[]): NodeOutcome {
  const detail = blockers.map((id) => {
    const r = done.find((n) => n.id === id);
    if (!r) return id;
    const why = r.reason === 'WaitingForDependency' ? '' : r.message ? `: ${r.message}` : '';
    return `${id} (${r.state}${why})`;
  });
  return {
    state: 'IN_PROGRESS',
    reason: 'WaitingForDependency',
    message: `waiting for ${detail.join(', ')}`,
  };
}
