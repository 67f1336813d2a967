// The mutable state of one reconcile: node reports, the recorded inventory, applied UIDs, watch
// interests and flags. Created per reconcile; never shared between instances.

import type { CompiledNode } from '../../graph/types.js';
import type { Gvr } from '../../kube/index.js';
import type { InstanceContext, Inventory, NodeReport } from '../../runtime/index.js';
import type { WatchInterest } from '../watch-layer.js';
import type { LatestInstance } from './instance-io.js';
import type { Member } from './members.js';
import type { InstanceEvents, InstanceReconcilerDeps, InstanceTarget } from './types.js';

export interface RunState {
  readonly deps: InstanceReconcilerDeps;
  readonly ctx: InstanceContext;
  readonly target: InstanceTarget;
  readonly applySetId: string;
  /** What the instance's ApplySet annotations record (the union once grown). */
  inventory: Inventory;
  /** What this reconcile applies (the set the inventory shrinks to after a clean prune). */
  current: Inventory;
  /**
   * The applyset-parent field manager owns the inventory (it wrote it in this reconcile or an
   * earlier one). Until it does, the reconcile writes the inventory once at its end even when
   * unchanged, as kro, which applies it with that manager on every reconcile, would have.
   */
  parentOwned: boolean;
  readonly reports: Map<string, NodeReport>;
  readonly appliedUids: Set<string>;
  readonly interests: Map<string, WatchInterest>;
  /** Existing collection items found by their instance/node labels (all namespaces), for the prune. */
  readonly collectionItems: Member[];
  readonly emit: InstanceEvents;
  /** A retryable apply error happened: requeue. */
  retrying: boolean;
  waves: number;
  readonly signal: AbortSignal;
  /** The newest copy of the instance this reconcile holds (see instance-io's LatestInstance). */
  readonly latest?: LatestInstance;
}

export function gvrOf(node: CompiledNode): Gvr {
  return { group: node.gvk.group, version: node.gvk.version, resource: node.plural };
}

/**
 * Records an interest of this reconcile (deduplicated) and adds it to the watch layer at once,
 * before the object is read; the previous reconcile's interests stay until this one finishes.
 */
export function addInterests(run: RunState, interests: readonly WatchInterest[]): void {
  const added: WatchInterest[] = [];
  for (const i of interests) {
    const key = JSON.stringify(i);
    if (!run.interests.has(key)) {
      run.interests.set(key, i);
      added.push(i);
    }
  }
  if (added.length > 0) run.deps.watches.addInterests(run.target.key, added);
}
