// The operator's executor of the wave scheduler (runtime/scheduler.ts, spec 04 §5): plan every
// node of the wave, grow the inventory, apply/read the wave concurrently, compute readiness on the
// responses, repeat with what became unblocked. A node that waits or fails blocks only its own
// dependents.

import type { CompiledNode } from '../../graph/types.js';
import type { DesiredItem, Inventory, NodePlan, PlannedNode } from '../../runtime/index.js';
import {
  eventLoopTurnSpent,
  groupKindOf,
  nextEventLoopTurn,
  planNode,
  sameInventory,
  unionInventory,
  waitingOutcome,
  WaveScheduler,
} from '../../runtime/index.js';
import type { WatchInterest } from '../watch-layer.js';
import { applyNode, readExternal } from './apply-node.js';
import { applyCollection, collectionSelector } from './collection.js';
import { writeInventory } from './instance-io.js';
import type { RunState } from './run-state.js';
import { addInterests, gvrOf } from './run-state.js';

export async function runWaves(run: RunState): Promise<void> {
  const stateOf = (id: string) => run.reports.get(id)?.state;
  const scheduler = new WaveScheduler(run.ctx.graph, stateOf);
  for (;;) {
    if (run.signal.aborted) throw new Error('reconcile aborted');
    const wave = scheduler.next();
    if (wave.length === 0) break;
    run.waves++;
    const planned: PlannedNode[] = [];
    for (const node of wave) {
      // Rendering is synchronous CEL work; between nodes the event loop gets its turn.
      while (eventLoopTurnSpent()) await nextEventLoopTurn();
      planned.push({ node, plan: planNode(run.ctx, { node, applySetId: run.applySetId, stateOf }) });
    }
    if (run.deps.logger.isLevelEnabled('debug')) {
      const nodes = wave.map((n) => n.id);
      run.deps.logger.debug({ instance: run.target.key, wave: scheduler.wave, nodes }, 'reconcile wave');
    }
    const claimed = scheduler.claimIdentities(planned);
    // A node of an earlier wave that renders the same object is in error too.
    for (const { id, outcome } of claimed.earlier) run.reports.set(id, { ...outcome, id });
    await executeWave(run, claimed.planned);
  }
  for (const { node } of scheduler.unreached())
    run.reports.set(node.id, { id: node.id, ...waitingOutcome(node, stateOf) });
}

async function executeWave(run: RunState, planned: readonly PlannedNode[]): Promise<void> {
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
    latest: run.latest,
  });
  run.inventory = next;
  run.parentOwned = true;
}
