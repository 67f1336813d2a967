// Contract between instance reconciles and the shared watch layer (spec 05 §1): a reconcile
// declares what it read (children by name, collections by selector); events on those objects
// enqueue the instance again.

import type { Gvr, KubeObject, LabelSelectorLike } from '../kube/index.js';

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
  /**
   * Adds to the instance's interests without dropping any: a reconcile declares what it is about
   * to read before reading it, and replaces the whole set (setInterests) only when it ends, so no
   * event on a child is lost in between.
   */
  addInterests(instanceKey: string, interests: readonly WatchInterest[]): void;
  dropInstance(instanceKey: string): void;
  /**
   * The instance just wrote this object (the apply response): the watch event carrying exactly
   * this resourceVersion is the echo of that write and does not requeue the writer (other
   * interested instances still get it). Saves one full reconcile after every change.
   */
  noteOwnWrite?(instanceKey: string, gvr: Gvr, obj: KubeObject): void;
}
