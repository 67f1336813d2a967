// Prometheus metrics (spec/05 §5). kro's names and label names, no namespace prefix, so kro
// dashboards carry over; buckets are not part of the contract. One Registry per process, created
// in main and passed down (never prom-client's global registry, so tests build their own).
// Callers use typed handles: `metrics.instanceReconcileTotal.inc({ gvr })`.

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  exponentialBuckets,
  type LabelValues,
} from 'prom-client';

/** kro's `gvr` label value: Go's `GroupVersionResource.String()`. */
export function gvrLabel(group: string, version: string, plural: string): string {
  return `${group}/${version}, Resource=${plural}`;
}

/** Go's `GroupVersionKind.String()`, used by `instance_state_transitions_total` as in kro. */
export function gvkLabel(group: string, version: string, kind: string): string {
  return `${group}/${version}, Kind=${kind}`;
}

/** Live figures a work queue reports at scrape time (client-go's unfinished/longest gauges). */
export interface QueueProbe {
  unfinishedWorkSeconds(): number;
  longestRunningProcessorSeconds(): number;
}

export interface CreateMetricsOptions {
  /** Node.js process metrics (`process_*`, `nodejs_*`); on by default. */
  readonly defaultMetrics?: boolean;
}

// kro's reconcile buckets (seconds).
const RECONCILE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30, 45, 60, 120];
// client-go's workqueue buckets: 10ns .. 100s.
const WORKQUEUE_BUCKETS = exponentialBuckets(1e-8, 10, 11);
const FAST_BUCKETS = exponentialBuckets(1e-5, 4, 10); // 10µs .. 2.6s: CEL, node evaluation
const SIZE_BUCKETS = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];
const BYTES_BUCKETS = exponentialBuckets(64, 4, 8);

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(options: CreateMetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    registerEventLoopMax(registry);
  }
  const m = metricFactory(registry);
  const queueProbes = new Map<string, QueueProbe>();
  const probeGauge = (name: string, help: string, read: (p: QueueProbe) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['name'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [queue, probe] of queueProbes) this.set({ name: queue }, read(probe));
      },
    });

  return {
    registry,
    /** Registers a queue's live gauges; returns the unregister function. */
    registerQueueProbe(name: string, probe: QueueProbe): () => void {
      queueProbes.set(name, probe);
      return () => {
        if (queueProbes.get(name) === probe) queueProbes.delete(name);
      };
    },

    // Instance controller (kro: pkg/dynamiccontroller).
    dynamicReconcileTotal: m.counter('dynamic_controller_reconcile_total', 'Total number of reconciliations per GVR', ['gvr']),
    dynamicReconcileDuration: m.histogram('dynamic_controller_reconcile_duration_seconds', 'Duration of reconciliations per GVR', ['gvr'], RECONCILE_BUCKETS),
    dynamicRequeueTotal: m.counter('dynamic_controller_requeue_total', 'Total number of requeues per GVR', ['gvr', 'type']),
    dynamicHandlerErrorsTotal: m.counter('dynamic_controller_handler_errors_total', 'Total number of errors encountered by handlers per GVR', ['gvr']),
    dynamicReconcilePanicsTotal: m.counter('dynamic_controller_reconcile_panics_total', 'Total number of reconcile crashes caught by the crash boundary per GVR', ['gvr']),
    dynamicQueueLength: m.gauge('dynamic_controller_queue_length', 'Current length of the workqueue', []),
    dynamicGvrCount: m.gauge('dynamic_controller_gvr_count', 'Number of instance GVRs currently managed by the controller', []),
    dynamicHandlerCount: m.gauge('dynamic_controller_handler_count_total', 'Number of active handlers by type', ['type']),
    dynamicHandlerAttachTotal: m.counter('dynamic_controller_handler_attach_total', 'Total number of handler attachments by handler type', ['type']),
    dynamicHandlerDetachTotal: m.counter('dynamic_controller_handler_detach_total', 'Total number of handler detachments by handler type', ['type']),

    // Watches.
    informerEventsTotal: m.counter('dynamic_controller_informer_events_total', 'Total number of events processed by informers per GVR and event type', ['gvr', 'event_type']),
    informerSyncDuration: m.histogram('dynamic_controller_informer_sync_duration_seconds', 'Duration of informer cache sync per GVR', ['gvr'], RECONCILE_BUCKETS),
    watchCount: m.gauge('dynamic_controller_watch_count', 'Number of active watches', []),
    instanceWatchCount: m.gauge('dynamic_controller_instance_watch_count', 'Number of active instance watchers by parent GVR', ['parent_gvr']),
    watchRequestCount: m.gauge('dynamic_controller_watch_request_count', 'Number of active watch requests by GVR and type (scalar/collection)', ['gvr', 'type']),
    routeTotal: m.counter('dynamic_controller_route_total', 'Total events routed by GVR', ['gvr']),
    routeMatchTotal: m.counter('dynamic_controller_route_match_total', 'Total events that matched at least one instance by GVR', ['gvr']),

    // Instances.
    instanceReconcileTotal: m.counter('instance_reconcile_total', 'Total number of instance reconciliations per GVR', ['gvr']),
    instanceReconcileDuration: m.histogram('instance_reconcile_duration_seconds', 'Duration of instance reconciliation in seconds per GVR', ['gvr'], RECONCILE_BUCKETS),
    instanceReconcileErrorsTotal: m.counter('instance_reconcile_errors_total', 'Total number of instance reconciliation errors per GVR', ['gvr']),
    instanceStateTransitionsTotal: m.counter('instance_state_transitions_total', 'Total number of instance state transitions per GVR', ['gvr', 'from_state', 'to_state']),
    instanceGraphResolutionSuccessTotal: m.counter('instance_graph_resolution_success_total', 'Total number of successful graph resolutions during instance reconciliation', ['gvr']),
    instanceGraphResolutionFailuresTotal: m.counter('instance_graph_resolution_failures_total', 'Total number of graph resolution failures during instance reconciliation', ['gvr', 'reason']),
    instanceGraphResolutionPendingTotal: m.counter('instance_graph_resolution_pending_total', 'Total number of graph resolutions deferred', ['gvr']),

    // RGDs.
    rgdGraphBuildTotal: m.counter('rgd_graph_build_total', 'Total number of RGD graph builds', ['name']),
    rgdGraphBuildDuration: m.histogram('rgd_graph_build_duration_seconds', 'Duration of RGD graph builds in seconds', ['name'], RECONCILE_BUCKETS),
    rgdGraphBuildErrorsTotal: m.counter('rgd_graph_build_errors_total', 'Total number of RGD graph build errors', ['name']),
    rgdStateTransitionsTotal: m.counter('rgd_state_transitions_total', 'Total number of RGD state transitions', ['name', 'from', 'to']),
    rgdDeletionsTotal: m.counter('rgd_deletions_total', 'Total number of RGD deletions', ['name']),
    rgdDeletionDuration: m.histogram('rgd_deletion_duration_seconds', 'Duration of RGD deletions in seconds', ['name'], RECONCILE_BUCKETS),

    // Runtime (one instance, one reconcile).
    runtimeNodeEvalTotal: m.counter('runtime_node_eval_total', 'Total number of node evaluations during reconciliation', []),
    runtimeNodeEvalDuration: m.histogram('runtime_node_eval_duration_seconds', 'Duration of node evaluations in seconds', [], FAST_BUCKETS),
    runtimeNodeEvalErrorsTotal: m.counter('runtime_node_eval_errors_total', 'Total number of node evaluation errors', []),
    runtimeCreationTotal: m.counter('runtime_creation_total', 'Total number of runtimes created', []),
    runtimeCreationDuration: m.histogram('runtime_creation_duration_seconds', 'Duration of runtime creation in seconds', [], FAST_BUCKETS),
    runtimeNodeIgnoredCheckTotal: m.counter('runtime_node_ignored_check_total', 'Total number of node includeWhen checks', []),
    runtimeNodeIgnoredTotal: m.counter('runtime_node_ignored_total', 'Total number of nodes skipped due to includeWhen conditions', []),
    runtimeNodeReadyCheckTotal: m.counter('runtime_node_ready_check_total', 'Total number of node readyWhen checks', []),
    runtimeNodeNotReadyTotal: m.counter('runtime_node_not_ready_total', 'Total number of times nodes were not ready', []),
    runtimeCollectionSize: m.histogram('runtime_collection_size', 'Number of items generated by forEach collection expansion', [], SIZE_BUCKETS),

    // CEL.
    celExprEvalTotal: m.counter('cel_expr_eval_total', 'Total number of CEL expression evaluations', []),
    celExprEvalDuration: m.histogram('cel_expr_eval_duration_seconds', 'Duration of CEL expression evaluations in seconds', [], FAST_BUCKETS),

    // Schema resolution.
    schemaCacheHitsTotal: m.counter('schema_resolver_cache_hits_total', 'Total number of schema resolver cache hits', []),
    schemaCacheMissesTotal: m.counter('schema_resolver_cache_misses_total', 'Total number of schema resolver cache misses', []),
    schemaCacheSize: m.gauge('schema_resolver_cache_size', 'Current number of entries in the schema resolver cache', []),
    schemaCacheEvictionsTotal: m.counter('schema_resolver_cache_evictions_total', 'Total number of entries evicted from the schema resolver cache', []),
    schemaApiCallDuration: m.histogram('schema_resolver_api_call_duration_seconds', 'Duration of API calls to fetch schemas in seconds', [], RECONCILE_BUCKETS),
    schemaSingleflightDedupedTotal: m.counter('schema_resolver_singleflight_deduplicated_total', 'Total number of schema requests deduplicated', []),
    schemaErrorsTotal: m.counter('schema_resolver_errors_total', 'Total number of schema resolution errors', []),

    // API client (client-go's names and labels).
    restRequestDuration: m.histogram('rest_client_request_duration_seconds', 'Request latency in seconds by verb and host', ['verb', 'host'], RECONCILE_BUCKETS),
    restRateLimiterDuration: m.histogram('rest_client_rate_limiter_duration_seconds', 'Client-side rate limiter latency in seconds by verb and host', ['verb', 'host'], RECONCILE_BUCKETS),
    restRequestSize: m.histogram('rest_client_request_size_bytes', 'Request size in bytes by verb and host', ['verb', 'host'], BYTES_BUCKETS),
    restResponseSize: m.histogram('rest_client_response_size_bytes', 'Response size in bytes by verb and host', ['verb', 'host'], BYTES_BUCKETS),
    restRequestRetriesTotal: m.counter('rest_client_request_retries_total', 'Number of request retries by status code, verb and host', ['code', 'verb', 'host']),
    restRequestsTotal: m.counter('rest_client_requests_total', 'Number of HTTP requests by status code, method and host', ['code', 'method', 'host']),

    // Work queues (client-go) and the RGD controller (controller-runtime).
    workqueueDepth: m.gauge('workqueue_depth', 'Current depth of workqueue', ['name']),
    workqueueAddsTotal: m.counter('workqueue_adds_total', 'Total number of adds handled by workqueue', ['name']),
    workqueueQueueDuration: m.histogram('workqueue_queue_duration_seconds', 'How long in seconds an item stays in workqueue before being requested', ['name'], WORKQUEUE_BUCKETS),
    workqueueWorkDuration: m.histogram('workqueue_work_duration_seconds', 'How long in seconds processing an item from workqueue takes', ['name'], WORKQUEUE_BUCKETS),
    workqueueRetriesTotal: m.counter('workqueue_retries_total', 'Total number of retries handled by workqueue', ['name']),
    workqueueUnfinishedWork: probeGauge('workqueue_unfinished_work_seconds', "How many seconds of work has been done that is in progress and hasn't been observed by work_duration", (p) => p.unfinishedWorkSeconds()),
    workqueueLongestRunning: probeGauge('workqueue_longest_running_processor_seconds', 'How many seconds has the longest running processor for workqueue been running', (p) => p.longestRunningProcessorSeconds()),
    controllerReconcileTotal: m.counter('controller_runtime_reconcile_total', 'Total number of reconciliations per controller', ['controller', 'result']),
    controllerReconcileErrorsTotal: m.counter('controller_runtime_reconcile_errors_total', 'Total number of reconciliation errors per controller', ['controller']),
    controllerTerminalErrorsTotal: m.counter('controller_runtime_terminal_reconcile_errors_total', 'Total number of terminal reconciliation errors per controller', ['controller']),
    controllerReconcilePanicsTotal: m.counter('controller_runtime_reconcile_panics_total', 'Total number of reconciliation panics per controller', ['controller']),
    controllerReconcileTime: m.histogram('controller_runtime_reconcile_time_seconds', 'Length of time per reconciliation per controller', ['controller'], RECONCILE_BUCKETS),
    controllerMaxConcurrentReconciles: m.gauge('controller_runtime_max_concurrent_reconciles', 'Maximum number of concurrent reconciles per controller', ['controller']),
    controllerActiveWorkers: m.gauge('controller_runtime_active_workers', 'Number of currently used workers per controller', ['controller']),
    leaderElectionMasterStatus: m.gauge('leader_election_master_status', 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master', ['name']),

    // Beyond kro.
    celBudgetExceededTotal: m.counter('cel_expr_budget_exceeded_total', 'Total number of CEL evaluations that exceeded a bound per GVR', ['gvr']),
    instanceReconcileWaves: m.histogram('instance_reconcile_waves', 'Number of waves per instance reconcile', ['gvr'], [1, 2, 3, 4, 5, 6, 8, 10, 15, 20]),
    instanceNodeStateCount: m.gauge('instance_node_state_count', 'Nodes per state after the last reconcile of each instance, summed per GVR', ['gvr', 'state']),
    eventsEmittedTotal: m.counter('events_emitted_total', 'Total number of Kubernetes Events written, by reason', ['reason']),
    eventsDroppedTotal: m.counter('events_dropped_total', 'Total number of Kubernetes Events dropped by the rate limit or a failed write', []),
  }; // prettier-ignore
}

/** Constructors bound to one registry, typed by their label names. */
function metricFactory(registry: Registry) {
  return {
    counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
      return new Counter<L>({ name, help, labelNames, registers: [registry] });
    },
    gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
      return new Gauge<L>({ name, help, labelNames, registers: [registry] });
    },
    histogram<L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      buckets: number[],
    ): Histogram<L> {
      return new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
    },
  };
}

export type { LabelValues };

// The longest the event loop has been blocked since the process started (issue 14): prom-client's
// nodejs_eventloop_lag_max_seconds resets at every scrape, which hides a stall between scrapes
// from a benchmark or a fault-injection run that reads the figure once at the end.
let loopDelay: IntervalHistogram | undefined;

function registerEventLoopMax(registry: Registry): void {
  if (loopDelay === undefined) {
    loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
  }
  const h = loopDelay;
  new Gauge({
    name: 'kro_ts_event_loop_delay_max_seconds',
    help: 'Longest event-loop delay observed since the process started (10ms resolution)',
    registers: [registry],
    collect() {
      this.set(h.max / 1e9);
    },
  });
}
