import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Gvr, InformerHandlers, KubeObject } from '../kube/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import type { InformerLike } from './watch-layer-shared.js';
import { SharedWatchLayer } from './watch-layer-shared.js';

class FakeInformer implements InformerLike {
  readonly handlers = new Set<InformerHandlers>();
  started = false;
  stopped = false;
  hasSynced = true;
  addHandlers(h: InformerHandlers): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }
  start(): void {
    this.started = true;
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
  list(): KubeObject[] {
    return [];
  }
  waitForSync(): Promise<void> {
    return Promise.resolve();
  }
  add(obj: KubeObject): void {
    for (const h of this.handlers) h.onAdd?.(obj);
  }
  update(old: KubeObject, obj: KubeObject): void {
    for (const h of this.handlers) h.onUpdate?.(old, obj);
  }
}

const CM: Gvr = { group: '', version: 'v1', resource: 'configmaps' };
const SVC: Gvr = { group: '', version: 'v1', resource: 'services' };
const obj = (name: string, ns: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
});

function setup(idleStopDelayMs = 0) {
  const informers = new Map<string, FakeInformer>();
  const enqueued: string[] = [];
  const metrics = createMetrics({ defaultMetrics: false });
  const layer = new SharedWatchLayer({
    logger: createLogger({ level: 'fatal', encoder: 'json', devel: false }),
    metrics,
    enqueue: (k) => enqueued.push(k),
    idleStopDelayMs,
    createInformer: (gvr) => {
      const f = new FakeInformer();
      informers.set(gvr.resource, f);
      return f;
    },
  });
  return { layer, informers, enqueued, metrics };
}

const I1 = 'x.test/v1/apps/ns/a';
const I2 = 'x.test/v1/apps/ns/b';

describe('SharedWatchLayer', () => {
  it('does not requeue the writer for the echo of its own apply, but does for later changes and others', () => {
    const { layer, informers, enqueued } = setup();
    layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
    layer.setInterests(I2, [{ gvr: CM, selector: { matchLabels: { app: 'web' } } }]);
    const mine = {
      ...obj('one', 'ns', { app: 'web' }),
      metadata: { ...obj('one', 'ns', { app: 'web' }).metadata, resourceVersion: '7' },
    };
    layer.noteOwnWrite(I1, CM, mine);
    const cm = informers.get('configmaps');
    cm?.update(mine, mine);
    // I1 wrote it: no requeue for I1; I2 selects it by label and still hears about it.
    expect(enqueued).toEqual([I2]);
    const edited = { ...mine, metadata: { ...mine.metadata, resourceVersion: '8' } };
    cm?.update(mine, edited);
    expect(enqueued).toEqual([I2, I1, I2]);
    // The echo is consumed: the same resourceVersion again is routed as usual.
    cm?.update(mine, mine);
    expect(enqueued).toEqual([I2, I1, I2, I1, I2]);
  });

  it('addInterests keeps earlier interests routed while a reconcile declares new ones', () => {
    const { layer, informers, enqueued } = setup();
    layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
    layer.addInterests(I1, [{ gvr: SVC, namespace: 'ns', name: 'one' }]);
    layer.addInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
    informers.get('configmaps')?.add(obj('one', 'ns'));
    informers.get('services')?.add(obj('one', 'ns'));
    expect(enqueued).toEqual([I1, I1]);
    // The end of the reconcile replaces the set: the ConfigMap is no longer of interest.
    layer.setInterests(I1, [{ gvr: SVC, namespace: 'ns', name: 'one' }]);
    informers.get('services')?.add(obj('one', 'ns'));
    expect(enqueued).toEqual([I1, I1, I1]);
    expect(layer.hasWatch(CM)).toBe(false);
  });

  it('starts one informer per GVR and routes by name', () => {
    const { layer, informers, enqueued } = setup();
    layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
    layer.setInterests(I2, [{ gvr: CM, namespace: 'ns', name: 'two' }]);
    expect(informers.size).toBe(1);
    expect(layer.watchCount).toBe(1);
    const cm = informers.get('configmaps');
    expect(cm?.started).toBe(true);
    cm?.add(obj('one', 'ns'));
    cm?.add(obj('one', 'other'));
    expect(enqueued).toEqual([I1]);
  });

  it('routes by selector on new or old labels, respecting the namespace', () => {
    const { layer, informers, enqueued } = setup();
    layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', selector: { matchLabels: { app: 'web' } } }]);
    layer.setInterests(I2, [{ gvr: CM, selector: { matchLabels: { app: 'web' } } }]);
    const cm = informers.get('configmaps');
    cm?.add(obj('x', 'elsewhere', { app: 'web' }));
    expect(enqueued).toEqual([I2]);
    enqueued.length = 0;
    cm?.update(obj('x', 'ns', { app: 'web' }), obj('x', 'ns', { app: 'db' }));
    expect(enqueued.sort()).toEqual([I1, I2]);
    enqueued.length = 0;
    cm?.update(obj('x', 'ns', { app: 'db' }), obj('x', 'ns', { app: 'db2' }));
    expect(enqueued).toEqual([]);
  });

  it('stops an informer when the last interest goes, and replaces interests', async () => {
    const { layer, informers, metrics } = setup();
    layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
    layer.setInterests(I1, [{ gvr: SVC, namespace: 'ns', name: 'one' }]);
    expect(informers.get('configmaps')?.stopped).toBe(true);
    expect(layer.hasWatch(SVC)).toBe(true);
    const text = await metrics.registry.getSingleMetricAsString('dynamic_controller_instance_watch_count');
    expect(text).toContain('parent_gvr="x.test/v1, Resource=apps"} 1');
    layer.dropInstance(I1);
    expect(layer.watchCount).toBe(0);
    expect(informers.get('services')?.stopped).toBe(true);
  });

  it('keeps a registered kind watched without interests', () => {
    const { layer, informers } = setup();
    const seen: string[] = [];
    const reg = layer.registerKind(CM, { onAdd: (o) => seen.push(o.metadata.name ?? '') });
    layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
    layer.dropInstance(I1);
    expect(layer.hasWatch(CM)).toBe(true);
    informers.get('configmaps')?.add(obj('z', 'ns'));
    expect(seen).toEqual(['z']);
    reg.unregister();
    expect(layer.hasWatch(CM)).toBe(false);
  });

  describe('idle delay', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('keeps an unneeded informer through a reconcile that clears and re-declares interests', () => {
      vi.useFakeTimers();
      const { layer, informers } = setup(1000);
      layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
      const first = informers.get('configmaps');
      layer.setInterests(I1, []);
      vi.advanceTimersByTime(500);
      layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
      vi.advanceTimersByTime(2000);
      expect(first?.stopped).toBe(false);
      expect(informers.get('configmaps')).toBe(first);
      expect(layer.watchCount).toBe(1);
    });

    it('stops the informer once it stayed unneeded for the delay', () => {
      vi.useFakeTimers();
      const { layer, informers } = setup(1000);
      layer.setInterests(I1, [{ gvr: CM, namespace: 'ns', name: 'one' }]);
      layer.dropInstance(I1);
      vi.advanceTimersByTime(999);
      expect(informers.get('configmaps')?.stopped).toBe(false);
      vi.advanceTimersByTime(1);
      expect(informers.get('configmaps')?.stopped).toBe(true);
      expect(layer.watchCount).toBe(0);
    });
  });

  it('keeps the watch gauges equal to a recount as interests are set, replaced and dropped', async () => {
    const { layer, metrics } = setup(60_000);
    const text = async (name: string) => metrics.registry.getSingleMetricAsString(name);
    const I3 = 'y.test/v1/dbs/ns/c';
    layer.setInterests(I1, [
      { gvr: CM, namespace: 'ns', name: 'one' },
      { gvr: CM, namespace: 'ns', name: 'two' },
    ]);
    layer.setInterests(I2, [
      { gvr: CM, namespace: 'ns', name: 'one' },
      { gvr: CM, selector: { matchLabels: { app: 'web' } } },
    ]);
    layer.setInterests(I3, [{ gvr: SVC, namespace: 'ns', name: 's' }]);
    // Declared again (a reconcile re-declares its interests): the counts do not grow.
    layer.setInterests(I1, [
      { gvr: CM, namespace: 'ns', name: 'one' },
      { gvr: CM, namespace: 'ns', name: 'two' },
    ]);
    expect(await text('dynamic_controller_instance_watch_count')).toContain(
      'parent_gvr="x.test/v1, Resource=apps"} 2',
    );
    expect(await text('dynamic_controller_instance_watch_count')).toContain(
      'parent_gvr="y.test/v1, Resource=dbs"} 1',
    );
    const requests = await text('dynamic_controller_watch_request_count');
    expect(requests).toMatch(/gvr="\/v1, Resource=configmaps",type="scalar"\} 3/);
    expect(requests).toMatch(/gvr="\/v1, Resource=configmaps",type="collection"\} 1/);
    expect(requests).toMatch(/gvr="\/v1, Resource=services",type="scalar"\} 1/);

    layer.setInterests(I2, [{ gvr: CM, namespace: 'ns', name: 'three' }]);
    layer.dropInstance(I3);
    expect(await text('dynamic_controller_instance_watch_count')).toContain(
      'parent_gvr="x.test/v1, Resource=apps"} 2',
    );
    expect(await text('dynamic_controller_instance_watch_count')).not.toContain('y.test');
    const after = await text('dynamic_controller_watch_request_count');
    expect(after).toMatch(/gvr="\/v1, Resource=configmaps",type="scalar"\} 3/);
    expect(after).toMatch(/gvr="\/v1, Resource=configmaps",type="collection"\} 0/);
    layer.dropInstance(I1);
    layer.dropInstance(I2);
    expect(await text('dynamic_controller_instance_watch_count')).not.toContain('x.test');
    expect(await text('dynamic_controller_watch_request_count')).toMatch(
      /gvr="\/v1, Resource=configmaps",type="scalar"\} 0/,
    );
  });
});
