// The instance controller's manager (spec 05 §1, §4; spec 04 §14): one work queue with
// `--dynamic-controller-concurrent-reconciles` workers shared by every generated kind. The RGD
// controller registers a kind with its served graph, swaps the graph atomically (re-enqueueing
// every instance) and deregisters it. Instance watches come from the shared watch layer; an
// update enqueues only when metadata.generation changed or the `kro.run/reconcile` suspension
// flipped, or when user labels/annotations changed and the graph reads `schema.metadata`; a
// label/annotation edit the graph does not read is recorded as a MetadataChangeIgnored event.
// Keys of kinds that are not registered are dropped unreconciled.

import type { Config } from '../config.js';
import type { Gvr, InformerHandlers, Kube, KubeObject } from '../kube/index.js';
import { isNotFound } from '../kube/index.js';
import { errorMessage, KroError } from '../lib/errors.js';
import type { EventRecorder } from '../observability/events.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { gvrLabel } from '../observability/metrics.js';
import type { ServedGraph } from './graph-registry.js';
import { gvrKeyOf, MutableGraphRegistry } from './graph-registry.js';
import { formatInstanceKey, instanceGvrKey, parseInstanceKey } from './instance-key.js';
import { createInstanceReconciler } from './instance/index.js';
import type { InstanceReconciler, InstanceReconcilerDeps } from './instance/index.js';
import type { ShutdownResult } from './queue.js';
import type { CompiledGraph } from '../graph/types.js';
import { EventReasons, instanceEventComponent } from '../observability/events.js';
import { instanceUpdateTriggers, readsSchemaMetadata, userMetadataChanges } from './watch-layer-triggers.js';
import { retryOptionsFrom, WorkQueue } from './queue.js';
import type { InformerLike } from './watch-layer-shared.js';
import { SharedWatchLayer } from './watch-layer-shared.js';

export type { InstanceReconciler, InstanceReconcilerDeps } from './instance/index.js';

export type InstanceReconcilerFactory = (deps: InstanceReconcilerDeps) => InstanceReconciler;

export interface ManagerOptions {
  readonly kube: Kube;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: EventRecorder;
  /** Defaults to controller/instance's `createInstanceReconciler`. */
  readonly reconcilerFactory?: InstanceReconcilerFactory;
}

interface Registration {
  readonly gvr: Gvr;
  readonly informer: InformerLike;
  readonly unregister: () => void;
  /** The last list/watch error while the kind's informer has not synced (e.g. RBAC forbids it). */
  watchError?: string;
}

export class InstanceManager {
  readonly registry = new MutableGraphRegistry();
  readonly watches: SharedWatchLayer;
  readonly queue: WorkQueue;
  private readonly kinds = new Map<string, Registration>();
  private readonly log: Logger;
  private readonly reconciler: InstanceReconciler;
  private resyncTimer: ReturnType<typeof setInterval> | undefined;
  private kindHealthListener: ((gvrKey: string) => void) | undefined;

  constructor(private readonly options: ManagerOptions) {
    this.log = options.logger.child({ logger: 'instance-controller' });
    this.watches = new SharedWatchLayer({
      kube: options.kube,
      logger: options.logger.child({ logger: 'watch' }),
      metrics: options.metrics,
      enqueue: (key) => this.queue.add(key),
    });
    const c = options.config;
    this.queue = new WorkQueue({
      name: 'instance-controller',
      workers: c.dynamicControllerConcurrentReconciles,
      handler: (key, ctx) => this.reconcileKey(key, ctx.signal),
      logger: this.log,
      ...retryOptionsFrom(c),
      rateLimit: { perSecond: c.rateLimiterRateLimit, burst: c.rateLimiterBurstLimit },
      metrics: options.metrics,
      metricsStyle: { kind: 'dynamic-controller', gvrOf: gvrLabelOfKey },
      isExpectedError: (e) => e instanceof KroError || isNotFound(e),
    });
    this.reconciler = (options.reconcilerFactory ?? createInstanceReconciler)(this.deps());
  }

  /** Starts workers and the periodic resync. */
  start(): void {
    this.queue.start();
    const periodMs = this.options.config.defaultResyncPeriodSeconds * 1000;
    if (periodMs > 0) {
      this.resyncTimer = setInterval(() => this.resyncAll(), periodMs);
      this.resyncTimer.unref();
    }
  }

  /** Stops taking work, drains for up to `timeoutMs`, stops all watches. */
  async shutdown(timeoutMs: number): Promise<ShutdownResult> {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    const result = await this.queue.shutdown(timeoutMs);
    for (const r of this.kinds.values()) r.unregister();
    this.kinds.clear();
    await this.watches.stop();
    return result;
  }

  isRegistered(gvrKey: string): boolean {
    return this.kinds.has(gvrKey);
  }

  /** Registers (or, when registered, replaces) the kind's graph; instances are (re)enqueued. */
  registerKind(served: ServedGraph): void {
    const gvr = gvrOfGraph(served);
    const key = gvrKeyOf(gvr);
    if (this.kinds.has(key)) {
      this.registry.setServed(key, served);
      this.enqueueAll(key);
      return;
    }
    this.registry.setServed(key, served);
    this.attachKind(key, gvr);
    this.options.metrics.dynamicGvrCount.set(this.kinds.size);
    this.options.metrics.dynamicHandlerAttachTotal.inc({ type: 'instance' });
    this.options.metrics.dynamicHandlerCount.set({ type: 'instance' }, this.kinds.size);
    this.log.info(
      { gvr: gvrLabel(gvr.group, gvr.version, gvr.resource), rgd: served.rgdName },
      'Registered kind',
    );
  }

  /**
   * The kind's RGD has no graph to serve (restart with an invalid spec): instances are watched
   * and reconciled so they can report it, and re-enqueued once a graph is registered.
   */
  registerUnavailable(gvr: Gvr, entry: { rgdName: string; reason: string; mayRecover: boolean }): void {
    const key = gvrKeyOf(gvr);
    if (this.registry.lookup(key)?.kind === 'served') return;
    this.registry.setUnavailable(key, entry);
    if (this.kinds.has(key)) return;
    this.attachKind(key, gvr);
    this.options.metrics.dynamicGvrCount.set(this.kinds.size);
  }

  /**
   * The kind's RGD was deleted and its CRD kept (no --allow-crd-deletion), or the operator found
   * such a CRD at start-up: instances stay watched so that deleting one still deletes its
   * resources and removes its finalizer (issue 14: they were stranded). Nothing else about them
   * is reconciled; an RGD for the kind registered later takes over.
   */
  retainForDeletion(gvr: Gvr, rgdName: string): void {
    const key = gvrKeyOf(gvr);
    if (this.registry.lookup(key)?.kind === 'served') return;
    this.registry.setUnavailable(key, {
      rgdName,
      reason: `ResourceGraphDefinition "${rgdName}" was deleted; only deletions of its instances are processed`,
      mayRecover: false,
      orphaned: true,
    });
    if (this.kinds.has(key)) return;
    this.attachKind(key, gvr);
    this.options.metrics.dynamicGvrCount.set(this.kinds.size);
    this.log.info({ gvr: key, rgd: rgdName }, 'Watching instances of a deleted RGD for their deletion');
  }

  /**
   * Why the kind's instances cannot be watched, while that lasts: the list/watch error of an
   * informer that has not synced (typically RBAC: the controller may not list the generated kind).
   * The RGD controller reports it as ControllerReady=False.
   */
  kindWatchError(gvrKey: string): string | undefined {
    const r = this.kinds.get(gvrKey);
    if (r === undefined || r.informer.hasSynced) return undefined;
    return r.watchError;
  }

  /** Called with the kind's key when kindWatchError() changes. */
  onKindHealthChange(listener: (gvrKey: string) => void): void {
    this.kindHealthListener = listener;
  }

  private attachKind(key: string, gvr: Gvr): void {
    const handlers = this.instanceHandlers(gvr);
    const health: InformerHandlers = {
      onError: (err) => {
        const r = this.kinds.get(key);
        if (r === undefined || r.informer.hasSynced) return;
        const message = errorMessage(err);
        if (r.watchError === message) return;
        r.watchError = message;
        this.log.warn({ gvr: key, err }, 'Cannot watch instances of kind');
        this.kindHealthListener?.(key);
      },
      onSynced: () => {
        const r = this.kinds.get(key);
        if (r?.watchError === undefined) return;
        delete r.watchError;
        this.kindHealthListener?.(key);
      },
    };
    const { informer, unregister } = this.watches.registerKind(gvr, { ...handlers, ...health });
    this.kinds.set(key, { gvr, informer, unregister });
  }

  /** Atomic swap: reconciles that already started keep the graph they looked up. */
  replaceGraph(served: ServedGraph): void {
    this.registerKind(served);
  }

  /** Instances keep existing; nothing reconciles them until the kind is registered again. */
  deregisterKind(gvrKey: string): void {
    const r = this.kinds.get(gvrKey);
    this.registry.remove(gvrKey);
    if (r === undefined) return;
    for (const obj of r.informer.list()) this.watches.dropInstance(this.keyOf(r.gvr, obj));
    r.unregister();
    this.kinds.delete(gvrKey);
    this.options.metrics.dynamicGvrCount.set(this.kinds.size);
    this.options.metrics.dynamicHandlerDetachTotal.inc({ type: 'instance' });
    this.options.metrics.dynamicHandlerCount.set({ type: 'instance' }, this.kinds.size);
    this.log.info({ gvr: gvrKey }, 'Deregistered kind');
  }

  /** Instances of a registered kind as the watch cache sees them (metadata only). */
  async listInstances(gvrKey: string): Promise<KubeObject[]> {
    const r = this.kinds.get(gvrKey);
    if (r === undefined) return [];
    await r.informer.waitForSync();
    return r.informer.list();
  }

  enqueueAll(gvrKey: string): void {
    const r = this.kinds.get(gvrKey);
    if (r === undefined) return;
    for (const obj of r.informer.list()) this.queue.add(this.keyOf(r.gvr, obj));
  }

  private resyncAll(): void {
    for (const key of this.kinds.keys()) this.enqueueAll(key);
  }

  private deps(): InstanceReconcilerDeps {
    const { kube, events, logger, metrics, config } = this.options;
    return {
      kube,
      graphs: this.registry,
      watches: this.watches,
      events,
      logger: logger.child({ logger: 'instance-controller' }),
      metrics,
      config,
    };
  }

  private keyOf(gvr: Gvr, obj: KubeObject): string {
    return formatInstanceKey({
      group: gvr.group,
      version: gvr.version,
      plural: gvr.resource,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
    });
  }

  private instanceHandlers(gvr: Gvr): InformerHandlers {
    return {
      onAdd: (obj) => this.queue.add(this.keyOf(gvr, obj)),
      onUpdate: (old, obj) => {
        if (instanceUpdateTriggers(old, obj)) {
          this.queue.add(this.keyOf(gvr, obj));
          return;
        }
        const changed = userMetadataChanges(old, obj);
        if (changed.length > 0 && this.onMetadataChange(gvr, obj, changed)) return;
        this.log.debug(
          {
            name: obj.metadata.name,
            namespace: obj.metadata.namespace,
            generation: obj.metadata.generation,
            resourceVersion: obj.metadata.resourceVersion,
          },
          'Skipping update due to unchanged generation',
        );
      },
      onDelete: (obj) => this.queue.add(this.keyOf(gvr, obj)),
    };
  }

  /**
   * A user label/annotation edit without a generation change: reconcile when the served graph
   * reads `schema.metadata` (returns true), else say on the instance that it was seen and needs
   * no work (kro's generation skip, made visible).
   */
  private onMetadataChange(gvr: Gvr, obj: KubeObject, changed: readonly string[]): boolean {
    const lookup = this.registry.lookup(gvrKeyOf(gvr));
    if (lookup?.kind !== 'served') return false;
    const graph = lookup.served.graph;
    if (graphReadsMetadata(graph)) {
      this.queue.add(this.keyOf(gvr, obj));
      return true;
    }
    const what = changed.join(' and ');
    this.options.events.forComponent(instanceEventComponent(`${gvr.resource}.${gvr.group}`)).emit({
      object: {
        apiVersion: graph.instance.apiVersion,
        kind: graph.instance.kind,
        name: obj.metadata.name ?? '',
        ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
        ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
      },
      type: 'Normal',
      reason: EventReasons.metadataChangeIgnored,
      message: `${what} changed at generation ${obj.metadata.generation ?? 0}: nothing to reconcile, the graph of ResourceGraphDefinition ${lookup.served.rgdName} does not read schema.metadata`,
    });
    return false;
  }

  private async reconcileKey(text: string, signal: AbortSignal): Promise<{ requeueAfterMs?: number } | void> {
    const key = parseInstanceKey(text);
    if (!this.kinds.has(instanceGvrKey(key))) return undefined;
    return this.reconciler.reconcile(key, { signal });
  }
}

const metadataReaders = new WeakMap<CompiledGraph, boolean>();

/** Whether any expression of the graph (templates, conditions, forEach, status) reads schema.metadata. */
export function graphReadsMetadata(graph: CompiledGraph): boolean {
  const known = metadataReaders.get(graph);
  if (known !== undefined) return known;
  const texts: string[] = [];
  for (const n of graph.nodes) {
    for (const f of n.fields) for (const e of f.expressions) texts.push(e.expression);
    for (const c of [...n.includeWhen, ...n.readyWhen]) texts.push(c.expression.expression);
    for (const d of n.forEach) texts.push(d.expression.expression);
  }
  for (const f of graph.status.fields) for (const e of f.expressions) texts.push(e.expression);
  const reads = readsSchemaMetadata(texts);
  metadataReaders.set(graph, reads);
  return reads;
}

function gvrOfGraph(served: ServedGraph): Gvr {
  const i = served.graph.instance;
  return { group: i.group, version: i.version, resource: i.plural };
}

function gvrLabelOfKey(text: string): string {
  try {
    const k = parseInstanceKey(text);
    return gvrLabel(k.group, k.version, k.plural);
  } catch {
    return text;
  }
}
