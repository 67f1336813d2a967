// Pruning (spec 04 §11): after the waves, only when every node is SYNCED, WAITING_FOR_READINESS or
// SKIPPED. Members of the ApplySet not applied in this reconcile are deleted with a UID
// precondition, group by group (nodes gone from the graph first, then dependents before
// dependencies); a clean prune shrinks the inventory to the current set.

import { Labels } from '../../api/constants.js';
import type { KubeObject } from '../../kube/index.js';
import { isConflict, isNotFound, refOf } from '../../kube/index.js';
import { groupKindOf, sameInventory } from '../../runtime/index.js';
import { mapConcurrent } from './concurrency.js';
import { writeInventory } from './instance-io.js';
import type { Member } from './members.js';
import { listMembers } from './members.js';
import type { RunState } from './run-state.js';

export function mayPrune(run: RunState): boolean {
  const ok = new Set(['SYNCED', 'WAITING_FOR_READINESS', 'SKIPPED']);
  return [...run.reports.values()].every((r) => ok.has(r.state)) && !run.retrying;
}

/** Returns true when UID conflicts kept something from being pruned. */
export async function prune(run: RunState): Promise<boolean> {
  const graph = run.ctx.graph;
  const known = new Map(graph.nodes.map((n) => [groupKindOf(n.apiVersion, n.kind), n.apiVersion]));
  const members = await listMembers(run.deps.kube, {
    applySetId: run.applySetId,
    inventory: run.inventory,
    namespace: run.ctx.namespace,
    knownApiVersions: known,
  });
  // Collection items found by their labels join the members: items in a namespace the inventory
  // no longer records are pruned too.
  const seen = new Set(members.map((m) => m.object.metadata.uid ?? ''));
  for (const m of run.collectionItems) {
    const uid = m.object.metadata.uid ?? '';
    if (!seen.has(uid)) members.push(m);
    seen.add(uid);
  }
  const stale = members.filter((m) => !run.appliedUids.has(m.object.metadata.uid ?? ''));
  let conflicts = false;
  for (const group of pruneGroups(stale, graph.topologicalOrder)) {
    const results = await mapConcurrent(group, (m) => deleteMember(run, m));
    if (results.includes('conflict')) conflicts = true;
  }
  if (!conflicts && !sameInventory(run.inventory, run.current)) {
    await writeInventory(run.deps.kube, {
      target: run.target,
      applySetId: run.applySetId,
      inventory: run.current,
      latest: run.latest,
    });
    run.inventory = run.current;
    run.parentOwned = true;
  }
  return conflicts;
}

/** Orphans (node id no longer in the graph) first, then by descending topological position. */
export function pruneGroups(stale: readonly Member[], order: readonly string[]): Member[][] {
  const pos = (m: Member): number => order.indexOf(m.object.metadata.labels?.[Labels.nodeId] ?? '');
  const byPos = new Map<number, Member[]>();
  for (const m of stale) byPos.set(pos(m), [...(byPos.get(pos(m)) ?? []), m]);
  const keys = [...byPos.keys()].sort((a, b) => (a === -1 ? -1 : b === -1 ? 1 : b - a));
  return keys.map((k) => byPos.get(k) ?? []);
}

async function deleteMember(run: RunState, m: Member): Promise<'deleted' | 'gone' | 'conflict'> {
  const o = m.object;
  if (o.metadata.deletionTimestamp) return 'deleted';
  try {
    await run.deps.kube.resources.delete(refOf(o as KubeObject), {
      ...(o.metadata.uid ? { uid: o.metadata.uid } : {}),
      propagationPolicy: 'Background',
    });
  } catch (e) {
    if (isNotFound(e)) return 'gone';
    if (isConflict(e)) return 'conflict';
    throw e;
  }
  const at = o.metadata.namespace
    ? `${o.metadata.namespace}/${o.metadata.name ?? ''}`
    : (o.metadata.name ?? '');
  const id = o.metadata.labels?.[Labels.nodeId] ?? '';
  const report = run.reports.get(id);
  const why =
    report?.state === 'SKIPPED'
      ? `: ${report.message || report.reason}`
      : run.ctx.graph.nodesById.has(id)
        ? ': no longer rendered'
        : ': node removed from the graph';
  run.emit('Normal', 'ResourcePruned', `pruned ${o.kind} ${at} (node ${id})${why}`);
  return 'deleted';
}
