// The wave scheduler of one reconcile (spec 04 §5), without I/O: the next wave is every node not
// yet processed whose dependencies are all settled (SYNCED or SKIPPED), in topological order; two
// nodes (or items) rendering the same object are an identity collision (§6.3); what never ran
// waits for its first unsettled dependency. Two thin executors drive it: the operator's
// (controller/instance/waves.ts: applies and reads against the API server) and the CLI's
// (cli/render-engine.ts: responses from --observed). `kro-ts graph` prints its static waves.

import type { NodeState } from '../api/constants.js';
import type { CompiledGraph, CompiledNode } from '../graph/types.js';
import { collision, identityOf } from './plan.js';
import type { NodePlan } from './plan.js';
import { isSettled } from './types.js';
import type { NodeOutcome } from './types.js';

export interface PlannedNode {
  readonly node: CompiledNode;
  readonly plan: NodePlan;
}

export type StateOf = (id: string) => NodeState | undefined;

export class WaveScheduler {
  private remaining: CompiledNode[];
  /** identity → node id, across the whole reconcile. */
  private readonly identities = new Map<string, string>();
  /** 1-based number of the last wave handed out (0 before the first). */
  wave = 0;

  constructor(
    graph: CompiledGraph,
    private readonly stateOf: StateOf,
  ) {
    this.remaining = graph.topologicalOrder.flatMap((id) => graph.nodesById.get(id) ?? []);
  }

  /** The next wave (empty when no unprocessed node has all its dependencies settled). */
  next(): readonly CompiledNode[] {
    const ready = this.remaining.filter((n) =>
      n.dependencies.every((d) => {
        const s = this.stateOf(d);
        return s !== undefined && isSettled(s);
      }),
    );
    if (ready.length === 0) return ready;
    this.remaining = this.remaining.filter((n) => !ready.includes(n));
    this.wave++;
    return ready;
  }

  /**
   * Records the identities a planned wave renders. A colliding node of this wave gets an error
   * plan instead of its objects; a colliding node of an earlier wave is returned in `earlier`
   * (its objects are already applied; its report becomes the error).
   */
  claimIdentities(planned: readonly PlannedNode[]): {
    planned: PlannedNode[];
    earlier: { id: string; outcome: NodeOutcome }[];
  } {
    const colliding = new Map<string, string>();
    for (const p of planned) {
      if (p.plan.kind !== 'apply') continue;
      for (const d of p.plan.objects) {
        const ident = identityOf(d.object);
        const other = this.identities.get(ident);
        if (other !== undefined && other !== p.node.id) {
          colliding.set(p.node.id, ident);
          colliding.set(other, ident);
        } else this.identities.set(ident, p.node.id);
      }
    }
    const out = planned.map((p): PlannedNode => {
      const ident = colliding.get(p.node.id);
      return ident === undefined ? p : { node: p.node, plan: { kind: 'outcome', outcome: collision(ident) } };
    });
    const earlier = [...colliding]
      .filter(([id]) => !planned.some((p) => p.node.id === id))
      .map(([id, ident]) => ({ id, outcome: collision(ident) }));
    return { planned: out, earlier };
  }

  /** The nodes no wave reached, in topological order, each with the dependencies it waits for. */
  unreached(): { node: CompiledNode; blockers: string[] }[] {
    return this.remaining.map((node) => ({ node, blockers: blockersOf(node, this.stateOf) }));
  }
}

/** The dependencies of `node` that are not settled, in the node's dependency order. */
export function blockersOf(node: CompiledNode, stateOf: StateOf): string[] {
  return node.dependencies.filter((d) => !isSettled(stateOf(d) ?? 'IN_PROGRESS'));
}

/** The outcome of a node no wave reached (spec 04 §7): it names its first unsettled dependency. */
export function waitingOutcome(node: CompiledNode, stateOf: StateOf): NodeOutcome {
  const dep = blockersOf(node, stateOf)[0];
  const message =
    dep !== undefined
      ? `waiting for node "${dep}" (${stateOf(dep) || 'IN_PROGRESS'})`
      : 'waiting for dependencies';
  return { state: 'IN_PROGRESS', reason: 'WaitingForDependency', message };
}

/** The waves when every node settles at once: what `kro-ts graph` prints as apply waves. */
export function staticWaves(graph: CompiledGraph): string[][] {
  const done = new Set<string>();
  const s = new WaveScheduler(graph, (id) => (done.has(id) ? 'SYNCED' : undefined));
  const waves: string[][] = [];
  for (let w = s.next(); w.length > 0; w = s.next()) {
    waves.push(w.map((n) => n.id));
    for (const n of w) done.add(n.id);
  }
  return waves;
}
