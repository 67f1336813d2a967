// Waves within one reconcile (spec 04 §5): plan every node whose dependencies are settled, grow
// the inventory, apply/read the wave concurrently, compute readiness on the responses, repeat with
// what became unblocked. A node that waits or fails blocks only its own dependents.

import type { CompiledNode } from '../../graph/types.js';
import type { DesiredItem, Inventory, NodePlan, NodeReport } from '../../runtime/index.js';
import {
  eventLoopTurnSpent,
  groupKindOf,
  nextEventLoopTurn,
  identityOf,
  isSettled,
  planNode,
  sameInventory,
  unionInventory,
} from '../../runtime/index.js';
import type { WatchInterest } from '../watch-layer.js';
import { applyNode, readExternal } from './apply-node.js';
import { applyCollection, collectionSelector } from './collection.js';
import { writeInventory } from './instance-io.js';
import type { RunState } from './run-state.js';
import { addInterests, gvrOf } from './run-state.js';

interface Planned {
  readonly node: CompiledNode;
  readonly plan: NodePlan;
}

export async function runWaves(run: RunState): Promise<void> {
  const graph = run.ctx.graph;
  let remaining = [...graph.topologicalOrder];
  const stateOf = (id: string) => run.reports.get(id)?.state;
  for (;;) {
    if (run.signal.aborted) throw new Error('reconcile aborted');
    const wave = remaining.filter((id) =>
      (graph.nodesById.get(id)?.dependencies ?? []).every((d) => {
        const s = stateOf(d);
        return s !== undefined && isSettled(s);
      }),
    );
    if (wave.length === 0) break;
    run.waves++;
    const planned: Planned[] = [];
    for (const id of wave) {
      // Rendering is synchronous CEL work; between nodes the event loop gets its turn.
      while (eventLoopTurnSpent()) await nextEventLoopTurn();
      const node = graph.nodesById.get(id) as CompiledNode;
      planned.push({ node, plan: planNode(run.ctx, { node, applySetId: run.applySetId, stateOf }) });
    }
    checkIdentities(run, planned);
    await executeWave(run, planned);
    remaining = remaining.filter((id) => !wave.includes(id));
  }
  for (const id of remaining)
    run.reports.set(id, waitingForDependency(run, graph.nodesById.get(id) as CompiledNode));
}

function waitingForDependency(run: RunState, node: CompiledNode): NodeReport {
  const dep = node.dependencies.find((d) => !isSettled(run.reports.get(d)?.state ?? 'IN_PROGRESS'));
  const state = (dep !== undefined && run.reports.get(dep)?.state) || 'IN_PROGRESS';
  const message = dep !== undefined ? `waiting for node "${dep}" (${state})` : 'waiting for dependencies';
  return { id: node.id, state: 'IN_PROGRESS', reason: 'WaitingForDependency', message };
}

/** Two nodes (or items) of one instance must not render the same object (§6.3). */
function checkIdentities(run: RunState, planned: Planned[]): void {
  const colliding = new Map<string, string>();
  for (const p of planned) {
    if (p.plan.kind !== 'apply') continue;
    for (const d of p.plan.objects) {
      const ident = identityOf(d.object);
      const other = run.identities.get(ident);
      if (other !== undefined && other !== p.node.id) {
        colliding.set(p.node.id, ident);
        colliding.set(other, ident);
      } else run.identities.set(ident, p.node.id);
    }
  }
  for (const [i, p] of planned.entries()) {
    const ident = colliding.get(p.node.id);
    if (ident === undefined) continue;
    planned[i] = { node: p.node, plan: { kind: 'outcome', outcome: collision(ident) } };
  }
  // A node of an earlier wave that renders the same object is in error too.
  for (const [id, ident] of colliding) {
    if (!planned.some((p) => p.node.id === id)) run.reports.set(id, { ...collision(ident), id });
  }
}

function collision(ident: string): NodeReport {
  return { id: '', state: 'ERROR', reason: 'IdentityCollision', message: `duplicate identity: ${ident}` };
}

async function executeWave(run: RunState, planned: Planned[]): Promise<void> {
  const applies: { node: CompiledNode; objects: readonly DesiredItem[] }[] = [];
  const interests: WatchInterest[] = [];
  for (const { node, plan } of planned) {
    if (plan.kind === 'outcome') {
      run.reports.set(node.id, { id: node.id, ...plan.outcome });
      continue;
    }
    interests.push(...interestsFor(run, node, plan));
    if (plan.kind === 'apply') applies.push({ node, objects: plan.objects });
  }
  // Watches first, then the inventory, then the reads and writes (a crash never loses a child).
  addInterests(run, interests);
  await growInventory(
    run,
    applies.flatMap((a) => a.objects),
  );
  const reads = planned.flatMap(({ node, plan }) =>
    plan.kind === 'get' || plan.kind === 'list' ? [readExternal(run, node, plan)] : [],
  );
  const writes = applies.map((a) =>
    a.node.type === 'collection'
      ? applyCollection(run, a.node, a.objects)
      : applyNode(run, a.node, a.objects),
  );
  for (const report of await Promise.all([...writes, ...reads])) run.reports.set(report.id, report);
}

function interestsFor(run: RunState, node: CompiledNode, plan: NodePlan): WatchInterest[] {
  const gvr = gvrOf(node);
  switch (plan.kind) {
    case 'get':
      return [{ gvr, name: plan.ref.name, ...(plan.ref.namespace ? { namespace: plan.ref.namespace } : {}) }];
    case 'list':
      return [{ gvr, selector: plan.selector, ...(plan.namespace ? { namespace: plan.namespace } : {}) }];
    case 'apply': {
      // Collection items carry the instance and node labels: one selector (all namespaces) covers
      // every item, including one deleted or relabelled (old labels match).
      if (node.type === 'collection') return [{ gvr, selector: collectionSelector(run, node) }];
      return plan.objects.map((d) => ({
        gvr,
        name: d.object.metadata.name ?? '',
        ...(d.object.metadata.namespace ? { namespace: d.object.metadata.namespace } : {}),
      }));
    }
    default:
      return [];
  }
}

/** The union of what is recorded and what this wave applies; one write when it adds entries. */
async function growInventory(run: RunState, objects: readonly DesiredItem[]): Promise<void> {
  const add: Inventory = {
    groupKinds: objects.map((d) => groupKindOf(d.object.apiVersion, d.object.kind)),
    namespaces: objects.flatMap((d) => {
      const ns = d.object.metadata.namespace ?? '';
      return ns !== '' && ns !== run.ctx.namespace ? [ns] : [];
    }),
  };
  run.current = unionInventory(run.current, add);
  const next = unionInventory(run.inventory, add);
  if (sameInventory(next, run.inventory)) return;
  await writeInventory(run.deps.kube, {
    target: run.target,
    applySetId: run.applySetId,
    inventory: next,
  });
  run.inventory = next;
  run.parentOwned = true;
}
