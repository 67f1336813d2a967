// Server-side apply of built-in kinds through src/kube against the real API server.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace, eventually, getKube } from '../../harness/index.js';

const MANAGER = 'kro-ts-test';
let ns: string;

beforeAll(async () => {
  ns = await createTestNamespace('kube-apply');
});

function managers(obj: KubeObject): string[] {
  return (obj.metadata.managedFields ?? []).map((f) => (f as { manager: string }).manager);
}

describe('server-side apply', () => {
  it('creates, updates and re-applies a ConfigMap without a write', async () => {
    const { resources } = await getKube();
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: ns, labels: { app: 'x' } },
      data: { a: '1' },
    };
    const first = await resources.applyDetailed(desired, { fieldManager: MANAGER, force: true });
    expect(first.created).toBe(true);
    const created = first.object;
    expect(created.data).toEqual({ a: '1' });
    expect(created.metadata.uid).toBeTruthy();
    expect(managers(created)).toContain(MANAGER);

    const updated = await resources.apply(
      { ...desired, data: { a: '2', b: '3' } },
      { fieldManager: MANAGER, force: true },
    );
    expect(updated.data).toEqual({ a: '2', b: '3' });
    expect(updated.metadata.uid).toBe(created.metadata.uid);
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

    const again = await resources.applyDetailed(
      { ...desired, data: { a: '2', b: '3' } },
      { fieldManager: MANAGER, force: true },
    );
    expect(again.created).toBe(false);
    expect(again.object.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);

    // A field no longer applied is released (and removed, as nobody else owns it).
    const shrunk = await resources.apply(
      { ...desired, data: { a: '2' } },
      { fieldManager: MANAGER, force: true },
    );
    expect(shrunk.data).toEqual({ a: '2' });
  });

  it('keeps fields owned by another manager', async () => {
    const { resources } = await getKube();
    const base: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: ns },
      data: { mine: '1' },
    };
    await resources.apply(base, { fieldManager: MANAGER, force: true });
    await resources.mergePatch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'shared' },
      { data: { theirs: 'x' } },
      { fieldManager: 'someone-else' },
    );
    const after = await resources.apply(
      { ...base, data: { mine: '2' } },
      { fieldManager: MANAGER, force: true },
    );
    expect(after.data).toEqual({ mine: '2', theirs: 'x' });
    expect(managers(after)).toEqual(expect.arrayContaining([MANAGER, 'someone-else']));
  });

  it('creates, updates and re-applies a Deployment without a write', async () => {
    const { resources } = await getKube();
    const deployment = (replicas: number, image: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image }] },
        },
      },
    });
    const created = await resources.apply(deployment(1, 'nginx:1'), { fieldManager: MANAGER, force: true });
    expect(created.kind).toBe('Deployment');
    // Server-side defaults come back in the response (the client must not drop them).
    const spec = created.spec as { strategy?: { type?: string }; revisionHistoryLimit?: number };
    expect(spec.strategy?.type).toBe('RollingUpdate');
    expect(spec.revisionHistoryLimit).toBe(10);

    const updated = await resources.apply(deployment(2, 'nginx:2'), { fieldManager: MANAGER, force: true });
    expect((updated.spec as { replicas: number }).replicas).toBe(2);
    expect(updated.metadata.generation).toBe(2);

    // The deployment controller writes status concurrently, so compare against a fresh read and
    // retry until no status write slipped in between.
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' };
    const again = await eventually(async () => {
      const before = await resources.get(ref);
      const res = await resources.apply(deployment(2, 'nginx:2'), { fieldManager: MANAGER, force: true });
      expect(res.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      return res;
    });
    expect(again.metadata.generation).toBe(2);
  });

  it('lists by label selector in one namespace and across namespaces, and deletes with a UID precondition', async () => {
    const { resources } = await getKube();
    for (const [name, tier] of [
      ['l1', 'a'],
      ['l2', 'a'],
      ['l3', 'b'],
    ] as const) {
      await resources.apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: ns, labels: { tier, suite: ns } },
        },
        { fieldManager: MANAGER, force: true },
      );
    }
    const inNs = await resources.list({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: ns,
      labelSelector: 'tier=a',
    });
    expect(inNs.items.map((o) => o.metadata.name).sort()).toEqual(['l1', 'l2']);
    expect(inNs.items.every((o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap')).toBe(true);
    expect(inNs.resourceVersion).toMatch(/^\d+$/);

    const all = await resources.list({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      labelSelector: `suite=${ns}`,
      pageSize: 1,
    });
    expect(all.items).toHaveLength(3);

    const byField = await resources.list({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: ns,
      fieldSelector: 'metadata.name=l3',
    });
    expect(byField.items.map((o) => o.metadata.name)).toEqual(['l3']);

    const meta = await resources.list({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: ns,
      labelSelector: 'tier=b',
      metadataOnly: true,
    });
    expect(meta.items).toHaveLength(1);
    expect(meta.items[0]?.kind).toBe('PartialObjectMetadata');
    expect(meta.items[0]?.metadata.labels?.tier).toBe('b');

    const l3 = await resources.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'l3' });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'l3' };
    await expect(resources.delete(ref, { uid: 'not-the-uid' })).rejects.toMatchObject({
      code: 'Conflict',
      status: 409,
    });
    await resources.delete(ref, { uid: l3.metadata.uid ?? '', propagationPolicy: 'Background' });
    expect(await resources.tryGet(ref)).toBeUndefined();
  });
});
