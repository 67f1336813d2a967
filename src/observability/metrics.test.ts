import { describe, expect, it } from 'vitest';
import { register as globalRegistry } from 'prom-client';
import { createMetrics, gvkLabel, gvrLabel } from './metrics.js';

// Every name of spec/05 §5 with its label names (buckets are not part of the contract).
const EXPECTED: ReadonlyArray<[string, string[]]> = [
  ['dynamic_controller_reconcile_total', ['gvr']],
  ['dynamic_controller_reconcile_duration_seconds', ['gvr']],
  ['dynamic_controller_requeue_total', ['gvr', 'type']],
  ['dynamic_controller_handler_errors_total', ['gvr']],
  ['dynamic_controller_reconcile_panics_total', ['gvr']],
  ['dynamic_controller_queue_length', []],
  ['dynamic_controller_gvr_count', []],
  ['dynamic_controller_handler_count_total', ['type']],
  ['dynamic_controller_handler_attach_total', ['type']],
  ['dynamic_controller_handler_detach_total', ['type']],
  ['dynamic_controller_informer_events_total', ['gvr', 'event_type']],
  ['dynamic_controller_informer_sync_duration_seconds', ['gvr']],
  ['dynamic_controller_watch_count', []],
  ['dynamic_controller_instance_watch_count', ['parent_gvr']],
  ['dynamic_controller_watch_request_count', ['gvr', 'type']],
  ['dynamic_controller_route_total', ['gvr']],
  ['dynamic_controller_route_match_total', ['gvr']],
  ['instance_reconcile_total', ['gvr']],
  ['instance_reconcile_duration_seconds', ['gvr']],
  ['instance_reconcile_errors_total', ['gvr']],
  ['instance_state_transitions_total', ['gvr', 'from_state', 'to_state']],
  ['instance_graph_resolution_success_total', ['gvr']],
  ['instance_graph_resolution_failures_total', ['gvr', 'reason']],
  ['instance_graph_resolution_pending_total', ['gvr']],
  ['rgd_graph_build_total', ['name']],
  ['rgd_graph_build_duration_seconds', ['name']],
  ['rgd_graph_build_errors_total', ['name']],
  ['rgd_state_transitions_total', ['name', 'from', 'to']],
  ['rgd_deletions_total', ['name']],
  ['rgd_deletion_duration_seconds', ['name']],
  ['runtime_node_eval_total', []],
  ['runtime_node_eval_duration_seconds', []],
  ['runtime_node_eval_errors_total', []],
  ['runtime_creation_total', []],
  ['runtime_creation_duration_seconds', []],
  ['runtime_node_ignored_check_total', []],
  ['runtime_node_ignored_total', []],
  ['runtime_node_ready_check_total', []],
  ['runtime_node_not_ready_total', []],
  ['runtime_collection_size', []],
  ['cel_expr_eval_total', []],
  ['cel_expr_eval_duration_seconds', []],
  ['schema_resolver_cache_hits_total', []],
  ['schema_resolver_cache_misses_total', []],
  ['schema_resolver_cache_size', []],
  ['schema_resolver_cache_evictions_total', []],
  ['schema_resolver_api_call_duration_seconds', []],
  ['schema_resolver_singleflight_deduplicated_total', []],
  ['schema_resolver_errors_total', []],
  ['rest_client_request_duration_seconds', ['verb', 'host']],
  ['rest_client_rate_limiter_duration_seconds', ['verb', 'host']],
  ['rest_client_request_size_bytes', ['verb', 'host']],
  ['rest_client_response_size_bytes', ['verb', 'host']],
  ['rest_client_request_retries_total', ['code', 'verb', 'host']],
  ['workqueue_depth', ['name']],
  ['workqueue_adds_total', ['name']],
  ['workqueue_queue_duration_seconds', ['name']],
  ['workqueue_work_duration_seconds', ['name']],
  ['workqueue_retries_total', ['name']],
  ['workqueue_unfinished_work_seconds', ['name']],
  ['workqueue_longest_running_processor_seconds', ['name']],
  ['controller_runtime_reconcile_total', ['controller', 'result']],
  ['controller_runtime_reconcile_errors_total', ['controller']],
  ['controller_runtime_reconcile_time_seconds', ['controller']],
  ['controller_runtime_max_concurrent_reconciles', ['controller']],
  ['controller_runtime_active_workers', ['controller']],
  ['leader_election_master_status', ['name']],
  ['cel_expr_budget_exceeded_total', ['gvr']],
  ['instance_reconcile_waves', ['gvr']],
  ['instance_node_state_count', ['gvr', 'state']],
  ['events_emitted_total', ['reason']],
  ['events_dropped_total', []],
];

describe('createMetrics', () => {
  const metrics = createMetrics({ defaultMetrics: false });

  it.each(EXPECTED)('registers %s with labels %j', (name, labels) => {
    const metric = metrics.registry.getSingleMetric(name) as unknown as { labelNames: string[] } | undefined;
    expect(metric).toBeDefined();
    expect([...(metric?.labelNames ?? [])].sort()).toEqual([...labels].sort());
  });

  it('exposes the longest event-loop block since start (kro_ts_event_loop_delay_max_seconds)', async () => {
    const m = createMetrics();
    // Let the monitor take a sample, then block the loop for 150 ms of synchronous work.
    await new Promise((r) => setTimeout(r, 30));
    const until = performance.now() + 150;
    while (performance.now() < until);
    await new Promise((r) => setTimeout(r, 30));
    const text = await m.registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith('kro_ts_event_loop_delay_max_seconds '));
    expect(line).toBeDefined();
    expect(Number(line?.split(' ')[1])).toBeGreaterThanOrEqual(0.1);
    expect(text).toContain('nodejs_eventloop_lag_max_seconds');
  });

  it('uses its own registry, not the global one', () => {
    expect(globalRegistry.getSingleMetric('instance_reconcile_total')).toBeUndefined();
    // A second set in the same process does not clash.
    expect(() => createMetrics({ defaultMetrics: false })).not.toThrow();
  });

  it('renders typed handles in Prometheus text format', async () => {
    const gvr = gvrLabel('kro.run', 'v1alpha1', 'webapps');
    metrics.instanceReconcileTotal.inc({ gvr });
    metrics.dynamicRequeueTotal.inc({ gvr, type: 'requeue_after' });
    metrics.eventsDroppedTotal.inc();
    const text = await metrics.registry.metrics();
    expect(text).toContain('instance_reconcile_total{gvr="kro.run/v1alpha1, Resource=webapps"} 1');
    expect(text).toContain(
      'dynamic_controller_requeue_total{gvr="kro.run/v1alpha1, Resource=webapps",type="requeue_after"} 1',
    );
    expect(text).toContain('events_dropped_total 1');
    expect(text).toContain('runtime_node_eval_total 0');
    expect(text).toContain('# TYPE instance_reconcile_duration_seconds histogram');
  });

  it('reads queue probes at scrape time and forgets unregistered ones', async () => {
    const m = createMetrics({ defaultMetrics: false });
    const off = m.registerQueueProbe('instances', {
      unfinishedWorkSeconds: () => 2.5,
      longestRunningProcessorSeconds: () => 1.5,
    });
    let text = await m.registry.metrics();
    expect(text).toContain('workqueue_unfinished_work_seconds{name="instances"} 2.5');
    expect(text).toContain('workqueue_longest_running_processor_seconds{name="instances"} 1.5');
    off();
    text = await m.registry.metrics();
    expect(text).not.toContain('workqueue_unfinished_work_seconds{name="instances"}');
  });

  it('includes Node.js process metrics by default', async () => {
    const m = createMetrics();
    const text = await m.registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });
});

describe('label helpers', () => {
  it('formats like Go GroupVersionResource/GroupVersionKind String()', () => {
    expect(gvrLabel('kro.run', 'v1alpha1', 'webapps')).toBe('kro.run/v1alpha1, Resource=webapps');
    expect(gvrLabel('', 'v1', 'configmaps')).toBe('/v1, Resource=configmaps');
    expect(gvkLabel('kro.run', 'v1alpha1', 'WebApp')).toBe('kro.run/v1alpha1, Kind=WebApp');
  });
});
