// Instance status derived from the node reports (spec 04 §12): managedResources, the
// ResourcesReady condition and the state. Pure; the controller writes the result.

import type { InstanceState } from '../api/constants.js';
import type { CompiledGraph } from '../graph/types.js';
import type { ManagedResourceEntry, NodeReport } from './types.js';
import { isSettled } from './types.js';

export const MAX_MESSAGE = 1024;

export function truncate(message: string, max = MAX_MESSAGE): string {
  return message.length <= max ? message : `${message.slice(0, max - 3)}...`;
}

export function managedResources(
  graph: CompiledGraph,
  reports: ReadonlyMap<string, NodeReport>,
  maxEntries: number,
): ManagedResourceEntry[] {
  const perNode = graph.topologicalOrder.map((id) => {
    const node = graph.nodesById.get(id);
    const r = reports.get(id);
    const base = { id, apiVersion: node?.apiVersion ?? '', kind: node?.kind ?? '' };
    const head = entry(base, r ?? { state: 'IN_PROGRESS', reason: 'WaitingForDependency', message: '' });
    const items = (r?.items ?? []).map((it) => entry(base, it));
    return { head, items };
  });
  let budget = maxEntries - perNode.length;
  const dropped = new Map<ManagedResourceEntry, number>();
  // Drop SYNCED item entries first, then those not in error, then the rest, from the last node
  // backwards, so the entries that explain a problem stay listed.
  const passes: ((state: string) => boolean)[] = [(s) => s === 'SYNCED', (s) => s !== 'ERROR', () => true];
  for (const pass of passes) {
    for (const p of [...perNode].reverse()) {
      const total = perNode.reduce((n, q) => n + q.items.length, 0);
      if (total <= budget) break;
      const excess = total - budget;
      const candidates = new Set(p.items.filter((it) => pass(it.state)).slice(-excess));
      if (candidates.size === 0) continue;
      p.items = p.items.filter((it) => !candidates.has(it));
      dropped.set(p.head, (dropped.get(p.head) ?? 0) + candidates.size);
    }
  }
  budget = Math.max(budget, 0);
  const out: ManagedResourceEntry[] = [];
  for (const p of perNode) {
    const n = dropped.get(p.head);
    if (n !== undefined) {
      const listed = `${p.items.length} of ${p.items.length + n} items listed`;
      p.head.message = truncate(p.head.message ? `${p.head.message} (${listed})` : listed);
    }
    out.push(p.head, ...p.items);
  }
  return out.slice(0, Math.max(maxEntries, perNode.length));
}

function entry(
  base: { id: string; apiVersion: string; kind: string },
  r: {
    state: string;
    reason: string;
    message: string;
    namespace?: string | undefined;
    name?: string | undefined;
  },
): ManagedResourceEntry {
  const e: ManagedResourceEntry = { ...base, state: r.state, reason: r.reason };
  if (r.namespace) e.namespace = r.namespace;
  if (r.name) e.name = r.name;
  if (r.message) e.message = truncate(r.message);
  return e;
}

export interface ConditionValue {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

/** ResourcesReady from the node reports (§12.2), with status-field errors last. */
export function resourcesReady(
  graph: CompiledGraph,
  reports: ReadonlyMap<string, NodeReport>,
  statusErrors: readonly string[] = [],
): ConditionValue {
  const ordered = graph.topologicalOrder.flatMap((id) => {
    const r = reports.get(id);
    return r ? [r] : [];
  });
  const details = (rs: NodeReport[]): string =>
    truncate(rs.map((r) => `node "${r.id}": ${r.message || r.reason}`).join('; '));
  const errors = ordered.filter((r) => r.state === 'ERROR');
  if (errors.length > 0)
    return { status: 'False', reason: 'ResourceError', message: `resource error: ${details(errors)}` };
  const deleting = ordered.find((r) => r.state === 'DELETING');
  if (deleting) {
    const at = deleting.namespace ? `${deleting.namespace}/${deleting.name ?? ''}` : (deleting.name ?? '');
    return {
      status: 'False',
      reason: 'ResourceDeleting',
      message: `resource "${at}" for node "${deleting.id}" is currently being deleted; waiting for deletion to complete before continuing reconciliation`,
    };
  }
  const waiting = ordered.filter((r) => !isSettled(r.state));
  if (waiting.length > 0) {
    return {
      status: 'False',
      reason: 'NotReady',
      message: `awaiting resource readiness: ${details(waiting)}`,
    };
  }
  if (statusErrors.length > 0) {
    return { status: 'False', reason: 'StatusFieldError', message: truncate(statusErrors.join('; ')) };
  }
  return { status: 'True', reason: 'AllResourcesReady', message: 'all resources are created and ready' };
}

/** state (§12.1), given whether Ready is True and whether a status field failed. */
export function instanceState(opts: {
  ready: boolean;
  reports: Iterable<NodeReport>;
  statusError: boolean;
}): InstanceState {
  if (opts.ready) return 'ACTIVE';
  const all = [...opts.reports];
  if (opts.statusError || all.some((r) => r.state === 'ERROR')) return 'ERROR';
  if (all.every((r) => r.state === 'SYNCED' || r.state === 'SKIPPED' || r.state === 'DELETED'))
    return 'ACTIVE';
  return 'IN_PROGRESS';
}
