// What a work queue reports, kept out of the queue's logic. Every queue reports client-go's
// `workqueue_*` series (label `name`); on top, the instance queue reports kro's
// `dynamic_controller_*` series per GVR and the RGD queue controller-runtime's
// `controller_runtime_*` series per controller, as the two kro controllers do.

import type { Metrics } from '../observability/metrics.js';

export type ReconcileOutcome = 'success' | 'requeue_after' | 'error' | 'panic';

export type QueueMetricsStyle =
  | { readonly kind: 'dynamic-controller'; readonly gvrOf: (key: string) => string }
  | { readonly kind: 'controller-runtime' };

export interface QueueObserver {
  depth(ready: number): void;
  added(): void;
  started(key: string, waitedMs: number, activeWorkers: number): void;
  finished(key: string, outcome: ReconcileOutcome, durationMs: number, activeWorkers: number): void;
  retried(key: string): void;
}

export const noopObserver: QueueObserver = {
  depth: () => undefined,
  added: () => undefined,
  started: () => undefined,
  finished: () => undefined,
  retried: () => undefined,
};

export function createQueueObserver(options: {
  readonly metrics: Metrics;
  readonly name: string;
  readonly workers: number;
  readonly style: QueueMetricsStyle;
}): QueueObserver {
  const { metrics: m, name, style } = options;
  const controller = { controller: name };
  const queue = { name };
  if (style.kind === 'controller-runtime')
    m.controllerMaxConcurrentReconciles.set(controller, options.workers);
  return {
    depth(ready) {
      m.workqueueDepth.set(queue, ready);
      if (style.kind === 'dynamic-controller') m.dynamicQueueLength.set(ready);
    },
    added: () => m.workqueueAddsTotal.inc(queue),
    started(key, waitedMs, active) {
      m.workqueueQueueDuration.observe(queue, waitedMs / 1000);
      if (style.kind === 'dynamic-controller') m.dynamicReconcileTotal.inc({ gvr: style.gvrOf(key) });
      else m.controllerActiveWorkers.set(controller, active);
    },
    finished(key, outcome, durationMs, active) {
      const seconds = durationMs / 1000;
      m.workqueueWorkDuration.observe(queue, seconds);
      if (style.kind === 'dynamic-controller') recordDynamic(m, style.gvrOf(key), outcome, seconds);
      else {
        m.controllerActiveWorkers.set(controller, active);
        recordControllerRuntime(m, name, outcome, seconds);
      }
    },
    retried: () => m.workqueueRetriesTotal.inc(queue),
  };
}

const REQUEUE_TYPE: Readonly<Record<ReconcileOutcome, string>> = {
  success: 'no_requeue',
  requeue_after: 'requeue_after',
  error: 'rate_limited',
  panic: 'rate_limited',
};

function recordDynamic(m: Metrics, gvr: string, outcome: ReconcileOutcome, seconds: number): void {
  m.dynamicReconcileDuration.observe({ gvr }, seconds);
  m.dynamicRequeueTotal.inc({ gvr, type: REQUEUE_TYPE[outcome] });
  if (outcome === 'error' || outcome === 'panic') m.dynamicHandlerErrorsTotal.inc({ gvr });
  if (outcome === 'panic') m.dynamicReconcilePanicsTotal.inc({ gvr });
}

function recordControllerRuntime(
  m: Metrics,
  controller: string,
  outcome: ReconcileOutcome,
  seconds: number,
): void {
  m.controllerReconcileTime.observe({ controller }, seconds);
  const result = outcome === 'panic' ? 'error' : outcome;
  m.controllerReconcileTotal.inc({ controller, result });
  if (outcome === 'error' || outcome === 'panic') m.controllerReconcileErrorsTotal.inc({ controller });
  if (outcome === 'panic') m.controllerReconcilePanicsTotal.inc({ controller });
}
