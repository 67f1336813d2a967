// Contract between instance reconciles and the shared watch layer (spec 05 §1): a reconcile
// declares what it read (children by name, collections by selector); events on those objects
// enqueue the instance again.

import type { Gvr, LabelSelectorLike } from '../kube/index.js';

export type WatchInterest =
  /** A scalar child or external reference by name. */
  | { gvr: Gvr; namespace?: string; name: string }
  /** Collection items / external collections; '' or absent namespace = all namespaces. */
  | { gvr: Gvr; namespace?: string; selector: LabelSelectorLike };

export interface WatchLayer {
  /**
   * Replaces the instance's interests. An event on a matching object (new OR old labels for
   * selectors) enqueues the instance.
   */
  setInterests(instanceKey: string, interests: readonly WatchInterest[]): void;
  dropInstance(instanceKey: string): void;
}
