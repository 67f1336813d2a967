// The RGD controller (spec 01 §5–10, spec 05 §1): a watch on RGDs (generation changes, deletion,
// allow-breaking-changes flips; status-only updates are ignored), a metadata watch on CRDs
// (owned CRDs: hand edits and deletion are repaired; any CRD: rejected RGDs referencing its group
// are rebuilt), and a work queue with --resource-graph-definition-concurrent-reconciles workers.

import { KRO_GROUP, KRO_VERSION, Labels, RGD_PLURAL } from '../../api/constants.js';
import { GR_GROUP, GR_PLURAL, GR_VERSION } from '../../api/graph-revision.js';
import type { ResourceGraphDefinition } from '../../api/rgd.js';
import type { Config } from '../../config.js';
import { buildGraph } from '../../graph/index.js';
import type { Kube, KubeObject } from '../../kube/index.js';
import { formatLabelSelector, Informer, isNotFound } from '../../kube/index.js';
import { KroError } from '../../lib/errors.js';
import type { EventRecorder } from '../../observability/events.js';
import { RGD_EVENT_COMPONENT } from '../../observability/events.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { LiveSchemaResolver } from '../../schema/index.js';
import { formatConditionTime } from '../conditions.js';
import type { InstanceManager } from '../manager.js';
import type { ReconcileResult, ShutdownResult } from '../queue.js';
import { retryOptionsFrom, WorkQueue } from '../queue.js';
import { rgdUpdateTriggers } from '../watch-layer-triggers.js';
import { matchesSelector } from '../watch-layer-match.js';
import type { RgdContext, RgdMemory } from './context.js';
import { instanceGvrOf, rgdRef } from './context.js';
import { finalizeRgd } from './deletion.js';
import { crdRef } from './ensure-crd.js';
import { releaseGraphRevision } from './graph-revisions.js';
import { ensureFinalizer, reconcileRgd } from './reconcile.js';

export interface RgdControllerOptions {
  readonly kube: Kube;
  readonly manager: InstanceManager;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: EventRecorder;
  /**
   * Only RGDs carrying these labels are handled (tests run several operators against one API
   * server); absent in production.
   */
  readonly rgdLabels?: Readonly<Record<string, string>>;
}

export class RgdController {
  readonly queue: WorkQueue;
  private readonly cx: RgdContext;
  private readonly resolver: LiveSchemaResolver;
  private readonly rgdInformer: Informer;
  private readonly crdInformer: Informer;
  private readonly grInformer: Informer;
  /** Writes from watch handlers (releasing deleted GraphRevisions) are the leader's only. */
  private leading = false;
  private readonly log: Logger;

  constructor(private readonly options: RgdControllerOptions) {
    const { kube, config, metrics } = options;
    this.log = options.logger.child({ logger: 'rgd-controller' });
    this.resolver = new LiveSchemaResolver({
      client: { getJson: (path) => kube.client.request({ method: 'GET', path }) },
      restMapper: async (gvk) => {
        const m = await kube.discovery.tryResolve(gvk);
        return m ? { plural: m.gvr.resource, namespaced: m.namespaced } : undefined;
      },
    });
    const memory = new Map<string, RgdMemory>();
    this.cx = {
      kube,
      manager: options.manager,
      memory,
      config,
      logger: this.log,
      metrics,
      events: options.events.forComponent(RGD_EVENT_COMPONENT),
      buildGraph: (rgd) =>
        buildGraph(rgd, {
          resolver: this.resolver,
          omitEnabled: config.featureGates.CELOmitFunction,
          maxCollectionDimensions: config.rgdMaxCollectionDimensionSize,
        }),
      now: () => formatConditionTime(Date.now()),
      markUnavailable: (rgd, message) => this.markUnavailable(rgd, message),
      ...(options.rgdLabels ? { revisionLabels: options.rgdLabels } : {}),
    };
    this.queue = new WorkQueue({
      name: 'resourcegraphdefinition-controller',
      workers: config.rgdConcurrentReconciles,
      handler: (key, ctx) => this.reconcile(key, ctx.signal),
      logger: this.log,
      ...retryOptionsFrom(config),
      metrics,
      isExpectedError: (e) => e instanceof KroError || (e instanceof Error && 'status' in e),
    });
    // A kind whose instances cannot be watched (or can again) changes its RGD's ControllerReady.
    options.manager.onKindHealthChange((gvrKey) => {
      const lookup = options.manager.registry.lookup(gvrKey);
      if (lookup?.kind === 'served') this.queue.add(lookup.served.rgdName);
    });
    this.rgdInformer = new Informer(kube.resources, {
      target: { group: KRO_GROUP, version: KRO_VERSION, resource: RGD_PLURAL },
      labelSelector: options.rgdLabels
        ? formatLabelSelector({ matchLabels: { ...options.rgdLabels } })
        : undefined,
      logger: this.log,
    });
    this.rgdInformer.addHandlers(this.rgdHandlers());
    this.crdInformer = new Informer(kube.resources, {
      target: { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
      metadataOnly: true,
      logger: this.log,
    });
    this.crdInformer.addHandlers(this.crdHandlers());
    // GraphRevisions: any change re-runs their RGD (kro's Owns/Watches); a deleted one is let go.
    // Not part of waitForSync: a cluster without the GraphRevision CRD still serves RGDs.
    this.grInformer = new Informer(kube.resources, {
      target: { group: GR_GROUP, version: GR_VERSION, resource: GR_PLURAL },
      labelSelector: options.rgdLabels
        ? formatLabelSelector({ matchLabels: { ...options.rgdLabels } })
        : undefined,
      logger: this.log,
    });
    this.grInformer.addHandlers(this.graphRevisionHandlers());
  }

  /** Starts the watches (also on non-leaders with warm-up). */
  startWatches(): void {
    this.rgdInformer.start();
    this.crdInformer.start();
    this.grInformer.start();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([this.rgdInformer.waitForSync(), this.crdInformer.waitForSync()]);
  }

  /** Starts reconciling (leader only). */
  start(): void {
    this.leading = true;
    this.startWatches();
    this.queue.start();
  }

  async shutdown(timeoutMs: number): Promise<ShutdownResult> {
    const result = await this.queue.shutdown(timeoutMs);
    await Promise.all([this.rgdInformer.stop(), this.crdInformer.stop(), this.grInformer.stop()]);
    return result;
  }

  private async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult | void> {
    let rgd = (await this.options.kube.resources.tryGet(rgdRef(name))) as ResourceGraphDefinition | undefined;
    if (rgd === undefined) {
      this.cx.memory.delete(name);
      await this.retainOrphanedKinds(name);
      return undefined;
    }
    if (
      this.options.rgdLabels &&
      !matchesSelector(rgd.metadata.labels, { matchLabels: { ...this.options.rgdLabels } })
    ) {
      return undefined;
    }
    if (rgd.metadata.deletionTimestamp !== undefined) return finalizeRgd(this.cx, rgd);
    rgd = await ensureFinalizer(this.cx, rgd);
    return reconcileRgd(this.cx, rgd, signal);
  }

  /**
   * CRDs generated for an RGD that no longer exists (deleted while its CRD was kept, possibly
   * before this process started): their instances stay deletable (Manager.retainForDeletion).
   * Only without an RGD label selector: a sharded operator cannot tell whether the deleted RGD
   * was its own.
   */
  private async retainOrphanedKinds(rgdName: string): Promise<void> {
    if (this.options.rgdLabels) return;
    const crds = this.crdInformer
      .list()
      .filter(
        (c) => c.metadata.labels?.[Labels.owned] === 'true' && c.metadata.labels[Labels.rgdName] === rgdName,
      );
    for (const meta of crds) {
      if (meta.metadata.deletionTimestamp !== undefined) continue;
      const crd = await this.options.kube.resources.tryGet(crdRef(meta.metadata.name ?? ''));
      const spec = crd?.spec as
        | { group?: string; names?: { plural?: string }; versions?: { name?: string; served?: boolean }[] }
        | undefined;
      if (!spec?.group || !spec.names?.plural) continue;
      for (const v of spec.versions ?? []) {
        if (v.served === false || !v.name) continue;
        this.options.manager.retainForDeletion(
          { group: spec.group, version: v.name, resource: spec.names.plural },
          rgdName,
        );
      }
    }
  }

  private async markUnavailable(rgd: ResourceGraphDefinition, message: string): Promise<void> {
    const kind = instanceGvrOf(rgd);
    const crd = await this.options.kube.resources.tryGet(crdRef(kind.crdName));
    if (crd === undefined) return;
    const name = rgd.metadata.name ?? '';
    this.options.manager.registerUnavailable(kind.gvr, {
      rgdName: name,
      reason: `no accepted graph for ResourceGraphDefinition "${name}": ${message}`,
      mayRecover: true,
    });
  }

  private rgdHandlers() {
    const enqueue = (o: KubeObject): void => this.queue.add(o.metadata.name ?? '');
    return {
      onAdd: enqueue,
      onDelete: enqueue,
      onUpdate: (old: KubeObject, obj: KubeObject) => {
        if (rgdUpdateTriggers(old, obj)) enqueue(obj);
      },
    };
  }

  private graphRevisionHandlers() {
    const rgdOf = (o: KubeObject): string => {
      const snapshot = (o['spec'] as { snapshot?: { name?: unknown } } | undefined)?.snapshot;
      return typeof snapshot?.name === 'string' ? snapshot.name : '';
    };
    const onChange = (o: KubeObject): void => {
      if (this.leading && o.metadata.deletionTimestamp !== undefined) {
        releaseGraphRevision(this.cx, o).catch((err: unknown) =>
          this.log.warn({ err, graphRevision: o.metadata.name }, 'Cannot release graph revision'),
        );
      }
      const rgd = rgdOf(o);
      if (rgd !== '') this.queue.add(rgd);
    };
    return {
      onAdd: onChange,
      onUpdate: (_old: KubeObject, obj: KubeObject) => onChange(obj),
      onDelete: (o: KubeObject) => {
        const rgd = rgdOf(o);
        if (rgd !== '') this.queue.add(rgd);
      },
      onError: (err: unknown) => this.log.debug({ err }, 'GraphRevision watch error'),
    };
  }

  private crdHandlers() {
    const groupOf = (o: KubeObject): string => {
      const name = o.metadata.name ?? '';
      return name.slice(name.indexOf('.') + 1);
    };
    const owner = (o: KubeObject): string | undefined =>
      o.metadata.labels?.[Labels.owned] === 'true' ? o.metadata.labels[Labels.rgdName] : undefined;
    const rebuildRejected = (o: KubeObject): void => {
      const group = groupOf(o);
      this.options.kube.discovery.invalidateGroup(group);
      this.resolver.invalidate();
      for (const [name, mem] of this.cx.memory) if (mem.rejectedGroups?.has(group)) this.queue.add(name);
    };
    return {
      onAdd: (o: KubeObject) => {
        rebuildRejected(o);
        // A generated CRD whose RGD may be gone (found after a restart): see retainOrphanedKinds.
        const rgd = owner(o);
        if (rgd !== undefined && !this.options.rgdLabels) this.queue.add(rgd);
      },
      onUpdate: (old: KubeObject, obj: KubeObject) => {
        if (old.metadata.generation === obj.metadata.generation && sameMeta(old, obj)) return;
        rebuildRejected(obj);
        const rgd = owner(obj) ?? owner(old);
        if (rgd !== undefined) this.queue.add(rgd);
      },
      onDelete: (obj: KubeObject) => {
        const rgd = owner(obj);
        if (rgd !== undefined) this.queue.add(rgd);
      },
      onError: (err: unknown) => {
        if (!isNotFound(err)) this.log.debug({ err }, 'CRD watch error');
      },
    };
  }
}

function sameMeta(a: KubeObject, b: KubeObject): boolean {
  return (
    JSON.stringify(a.metadata.labels ?? {}) === JSON.stringify(b.metadata.labels ?? {}) &&
    JSON.stringify(a.metadata.annotations ?? {}) === JSON.stringify(b.metadata.annotations ?? {})
  );
}
