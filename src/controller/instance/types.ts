// Dependencies and shared shapes of the instance reconciler.

import type { Config } from '../../config.js';
import type { Kube } from '../../kube/index.js';
import type { EventRecorder } from '../../observability/events.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { GraphRegistry } from '../graph-registry.js';
import type { InstanceKey } from '../instance-key.js';
import type { ReconcileResult } from '../queue.js';
import type { WatchLayer } from '../watch-layer.js';
import type { AppliedCache } from './applied-cache.js';

export interface InstanceReconcilerDeps {
  readonly kube: Kube;
  readonly graphs: GraphRegistry;
  readonly watches: WatchLayer;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly config: Config;
  /** What each child was last applied with (skips unchanged re-applies); one per reconciler. */
  readonly applied?: AppliedCache;
}

export type { ReconcileResult } from '../queue.js';

/** What the manager's work queue calls for each instance key (declared once, here). */
export interface InstanceReconciler {
  reconcile(key: InstanceKey, ctx: { signal: AbortSignal }): Promise<ReconcileResult>;
}

/** How the instance itself is addressed (from discovery, no graph needed). */
export interface InstanceTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly namespaced: boolean;
  readonly namespace: string;
  readonly name: string;
  /** Key for the watch layer. */
  readonly key: string;
  readonly gvrLabel: string;
}

/** Emits one event about the instance. */
export type InstanceEvents = (type: 'Normal' | 'Warning', reason: string, message: string) => void;
