// Watches and informers on the real API server: add/update/delete delivery, label-selector
// scoping, and recovery from 410 Gone by relisting. The 410 is the real server's answer to a
// watch resumed from a resourceVersion that etcd compaction has discarded.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient, KubeObject, WatchEvent } from '../../../src/kube/index.js';
import {
  apiErrorFromStatus,
  GoneError,
  Informer,
  InformerPool,
  openWatch,
  resourcePath,
} from '../../../src/kube/index.js';
import {
  compactEtcd,
  createTestNamespace,
  eventually,
  getClusterDir,
  getKube,
  registerCleanup,
} from '../../harness/index.js';

const MANAGER = 'kro-ts-test';
let ns: string;

beforeAll(async () => {
  ns = await createTestNamespace('kube-watch');
});

interface Recorded {
  events: string[];
  synced: boolean;
  errors: unknown[];
}

function record(inf: Informer): Recorded {
  const r: Recorded = { events: [], synced: false, errors: [] };
  inf.addHandlers({
    onAdd: (o) => r.events.push(`add ${o.metadata.name}`),
    onUpdate: (_old, o) =>
      r.events.push(`update ${o.metadata.name} ${JSON.stringify((o as { data?: unknown }).data ?? null)}`),
    onDelete: (o) => r.events.push(`delete ${o.metadata.name}`),
    onSynced: () => (r.synced = true),
    onError: (e) => r.errors.push(e),
  });
  return r;
}

function configMap(
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data };
}

/** Opens a raw watch from `rv` and resolves with its ERROR event. */
function firstWatchError(client: KubeClient, rv: string): Promise<WatchEvent> {
  const path = resourcePath({
    gvr: { group: '', version: 'v1', resource: 'podtemplates' },
    namespaced: true,
    namespace: ns,
  });
  return new Promise((resolve, reject) => {
    openWatch(client, { path, resourceVersion: rv, timeoutSeconds: 10 }, (ev) => {
      if (ev.type === 'ERROR') resolve(ev);
    }).then(
      (h) => h.done.then(() => reject(new Error('watch ended without an ERROR event')), reject),
      reject,
    );
  });
}

/** PodTemplates are served from etcd on the harness cluster (no watch cache): see global-setup. */
function podTemplate(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name, namespace: ns },
    template: { spec: { containers: [{ name: 'c', image: 'example.invalid/none' }] } },
  };
}

function names(inf: Informer): string[] {
  return inf
    .list()
    .map((o) => o.metadata.name ?? '')
    .sort();
}

function startInformer(inf: Informer): void {
  inf.start();
  registerCleanup(() => inf.stop());
}

describe('informer', () => {
  it('lists existing objects, then sees add, update and delete', async () => {
    const { resources } = await getKube();
    await resources.apply(configMap('pre', { v: '0' }, { set: 'one' }), {
      fieldManager: MANAGER,
      force: true,
    });

    const inf = new Informer(resources, {
      target: { group: '', version: 'v1', kind: 'ConfigMap' },
      namespace: ns,
      labelSelector: 'set=one',
    });
    const rec = record(inf);
    startInformer(inf);
    await inf.waitForSync();
    expect(rec.synced).toBe(true);
    expect(rec.events).toEqual(['add pre']);
    expect(inf.get(ns, 'pre')?.kind).toBe('ConfigMap');

    await resources.apply(configMap('a', { v: '1' }, { set: 'one' }), { fieldManager: MANAGER, force: true });
    await resources.apply(configMap('a', { v: '2' }, { set: 'one' }), { fieldManager: MANAGER, force: true });
    // Not matching the selector: never delivered.
    await resources.apply(configMap('other', { v: '1' }, { set: 'two' }), {
      fieldManager: MANAGER,
      force: true,
    });
    await resources.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' });

    await eventually(
      () => expect(rec.events).toEqual(['add pre', 'add a', 'update a {"v":"2"}', 'delete a']),
      {
        description: 'add/update/delete events',
      },
    );
    expect(inf.list().map((o) => o.metadata.name)).toEqual(['pre']);
    expect(rec.errors).toEqual([]);
    expect(inf.stats.lists).toBe(1);
  });

  it('delivers metadata-only objects for all namespaces', async () => {
    const { resources } = await getKube();
    const inf = new Informer(resources, {
      target: { group: '', version: 'v1', resource: 'configmaps' },
      labelSelector: `meta-test=${ns}`,
      metadataOnly: true,
    });
    const rec = record(inf);
    startInformer(inf);
    await inf.waitForSync();
    await resources.apply(configMap('m1', { big: 'x'.repeat(1000) }, { 'meta-test': ns }), {
      fieldManager: MANAGER,
      force: true,
    });
    await eventually(() => expect(rec.events).toEqual(['add m1']));
    const cached = inf.get(ns, 'm1');
    expect(cached?.kind).toBe('PartialObjectMetadata');
    expect(cached?.data).toBeUndefined();
    expect(inf.mapping?.gvk.kind).toBe('ConfigMap');
  });

  it('relists after a real 410 Gone and reports what changed meanwhile', async () => {
    const { resources, client } = await getKube();
    const dir = getClusterDir();
    await resources.apply(podTemplate('g1'), { fieldManager: MANAGER, force: true });
    const listed = await resources.list({ apiVersion: 'v1', kind: 'PodTemplate', namespace: ns });
    // On the harness cluster a version from just now, made unreadable by compacting etcd below;
    // on an external cluster version 1, which any cluster that has been up a while has discarded.
    const staleRv = dir ? listed.resourceVersion : '1';

    // Changes the informer will only learn about from its relist.
    await resources.apply(podTemplate('g2'), { fieldManager: MANAGER, force: true });
    await resources.delete({ apiVersion: 'v1', kind: 'PodTemplate', namespace: ns, name: 'g1' });
    await resources.apply(podTemplate('g3'), { fieldManager: MANAGER, force: true });
    if (dir) {
      await compactEtcd(dir);
      // The real server's verdict on the stale version, as a watch ERROR event.
      const ev = await firstWatchError(client, staleRv);
      const err = apiErrorFromStatus(ev.object);
      expect(err).toBeInstanceOf(GoneError);
      expect(err.serverMessage).toBe('The resourceVersion for the provided watch is too old.');
    }

    const inf = new Informer(resources, {
      target: { group: '', version: 'v1', kind: 'PodTemplate' },
      namespace: ns,
      resumeFromResourceVersion: staleRv,
      backoff: { initialMs: 50, maxMs: 500 },
    });
    const rec = record(inf);
    startInformer(inf);
    await eventually(() => expect(names(inf)).toEqual(['g2', 'g3']), { description: 'the relisted state' });
    if (dir) {
      expect(inf.stats.gone).toBe(1);
      expect(inf.stats.lists).toBe(1);
      expect(rec.events.sort()).toEqual(['add g2', 'add g3']);
    }

    // And it keeps watching from the relisted version.
    await resources.apply(podTemplate('g4'), { fieldManager: MANAGER, force: true });
    await resources.delete({ apiVersion: 'v1', kind: 'PodTemplate', namespace: ns, name: 'g2' });
    await eventually(() => expect(names(inf)).toEqual(['g3', 'g4']));
    expect(rec.events.slice(-2)).toEqual(['add g4', 'delete g2']);
    expect(rec.errors).toEqual([]);
  });

  it('a pool shares one informer per key, replays the cache to late users, and stops after the last release', async () => {
    const { resources } = await getKube();
    await resources.apply(configMap('p1', { v: '1' }, { set: 'pool' }), {
      fieldManager: MANAGER,
      force: true,
    });
    const pool = new InformerPool(resources);
    registerCleanup(() => pool.stopAll());
    const opts = {
      target: { group: '', version: 'v1', kind: 'ConfigMap' },
      namespace: ns,
      labelSelector: 'set=pool',
    } as const;
    const first: string[] = [];
    const second: string[] = [];
    const a = pool.acquire(opts, {
      onAdd: (o) => first.push(`add ${o.metadata.name}`),
      onSynced: () => first.push('synced'),
    });
    await a.informer.waitForSync();
    const b = pool.acquire(opts, {
      onAdd: (o) => second.push(`add ${o.metadata.name}`),
      onSynced: () => second.push('synced'),
    });
    expect(b.informer).toBe(a.informer);
    expect(pool.size).toBe(1);
    expect(second).toEqual(['add p1', 'synced']);

    await resources.apply(configMap('p2', { v: '1' }, { set: 'pool' }), {
      fieldManager: MANAGER,
      force: true,
    });
    await eventually(() => {
      expect(first).toEqual(['add p1', 'synced', 'add p2']);
      expect(second).toEqual(['add p1', 'synced', 'add p2']);
    });
    expect(a.informer.stats.lists).toBe(1);

    await a.release();
    await a.release();
    expect(pool.size).toBe(1);
    await b.release();
    expect(pool.size).toBe(0);
  });

  it('reports why it cannot sync when the kind is not served', async () => {
    const { resources } = await getKube();
    const inf = new Informer(resources, {
      target: { group: 'missing.kro-ts.test', version: 'v1', kind: 'Nothing' },
      backoff: { initialMs: 20, maxMs: 100 },
    });
    const rec = record(inf);
    startInformer(inf);
    await expect(inf.waitForSync({ timeoutMs: 500 })).rejects.toThrow(
      /not synced after 500ms; last error: no matches for kind "Nothing" in version "missing.kro-ts.test\/v1"/,
    );
    expect(rec.errors.length).toBeGreaterThan(0);
    expect(rec.synced).toBe(false);
  });

  it('stop() ends the loop and later changes are not delivered', async () => {
    const { resources } = await getKube();
    const inf = new Informer(resources, {
      target: { group: '', version: 'v1', kind: 'ConfigMap' },
      namespace: ns,
      labelSelector: 'set=stop',
    });
    const rec = record(inf);
    inf.start();
    await inf.waitForSync();
    await inf.stop();
    await resources.apply(configMap('s1', { v: '1' }, { set: 'stop' }), {
      fieldManager: MANAGER,
      force: true,
    });
    // Prove the server has the object, then that the stopped informer did not see it.
    await resources.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 's1' });
    expect(rec.events).toEqual([]);
    expect(inf.stats.watches).toBeLessThanOrEqual(1);
  });
});
