// Watches and informers on the real API server: add/update/delete delivery, label-selector
// scoping, and recovery from 410 Gone by relisting. The 410 is the real server's answer to a
// watch resumed from a resourceVersion it no longer has (etcd compacted past it).

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient, KubeObject, WatchEvent } from '../../../src/kube/index.js';
import { apiErrorFromStatus, GoneError, Informer, openWatch, resourcePath } from '../../../src/kube/index.js';
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
    gvr: { group: '', version: 'v1', resource: 'configmaps' },
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

  it('relists after 410 Gone and reports what changed meanwhile', async () => {
    const { resources, client } = await getKube();
    await resources.apply(configMap('g1', { v: '1' }, { set: 'gone' }), {
      fieldManager: MANAGER,
      force: true,
    });
    const listed = await resources.list({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: ns,
      labelSelector: 'set=gone',
    });
    const staleRv = listed.resourceVersion;

    // Move on and make the old version unreadable.
    await resources.apply(configMap('g2', { v: '1' }, { set: 'gone' }), {
      fieldManager: MANAGER,
      force: true,
    });
    await resources.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'g1' });
    const dir = getClusterDir();
    if (dir) await compactEtcd(dir);
    // Writes after the compaction push the watch cache's window past `staleRv` as well.
    for (let i = 0; i < 3; i++) {
      await resources.apply(configMap('filler', { i: String(i) }), { fieldManager: MANAGER, force: true });
    }

    // Reading the compacted version from etcd: the real server answers 410 Gone.
    if (dir) {
      const e = await resources
        .list({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: ns,
          resourceVersion: staleRv,
          resourceVersionMatch: 'Exact',
        })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GoneError);
    }

    // A raw watch from a version older than the server's watch window: 410 as an ERROR event.
    const ev = await firstWatchError(client, '1');
    expect(apiErrorFromStatus(ev.object)).toBeInstanceOf(GoneError);

    // An informer resuming from the stale version recovers by relisting.
    const inf = new Informer(resources, {
      target: { group: '', version: 'v1', kind: 'ConfigMap' },
      namespace: ns,
      labelSelector: 'set=gone',
      resumeFromResourceVersion: '1',
      backoff: { initialMs: 50, maxMs: 500 },
    });
    const rec = record(inf);
    startInformer(inf);
    await eventually(() => expect(inf.stats.lists).toBeGreaterThanOrEqual(1), { description: 'a relist' });
    expect(inf.stats.gone).toBeGreaterThanOrEqual(1);
    await eventually(() => expect(rec.events).toContain('add g2'));
    expect(rec.events).not.toContain('add g1');
    expect(inf.list().map((o) => o.metadata.name)).toEqual(['g2']);

    // And keeps watching afterwards.
    await resources.apply(configMap('g3', { v: '1' }, { set: 'gone' }), {
      fieldManager: MANAGER,
      force: true,
    });
    await eventually(() => expect(rec.events).toContain('add g3'));
    expect(rec.errors).toEqual([]);
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
