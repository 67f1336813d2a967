// A forEach collection through the full operator: the RGD is served, the items are created, and
// — with the instance ACTIVE, so nothing requeues on a timer — the collection's selector watch
// alone brings back a deleted item and reverts a changed one, in two namespaces; a spec change
// scales the collection down and prunes.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace, eventually, getKube, uniqueGroup } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import { createRgd, deleteCrdAfter, getRgd, rgdObject } from '../rgd/helpers.js';
import { configMap } from './helpers.js';

let op: TestOperator;
let home: string;
let other: string;

beforeAll(async () => {
  op = await startTestOperator();
  [home, other] = await Promise.all([createTestNamespace('coll-op'), createTestNamespace('coll-op2')]);
});

describe('collections with the operator', () => {
  it('corrects drift on items through the selector watch and prunes on scale down', async () => {
    const kube = await getKube();
    const group = uniqueGroup('collop');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(
      rgdObject({
        labels: op.labels(),
        group,
        spec: { namespaces: '[]string', shards: '[]string' },
        status: { items: '${size(shards)}' },
        resources: [
          {
            id: 'shards',
            forEach: [{ n: '${schema.spec.namespaces}' }, { s: '${schema.spec.shards}' }],
            template: configMap('${schema.metadata.name}-${s}', { shard: '${s}' }, '${n}'),
          },
        ],
      }),
    );
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
      description: 'RGD Active',
    });
    const ref = { apiVersion: `${group}/v1alpha1`, kind: 'App', name: 'ring', namespace: home };
    await eventually(
      () =>
        kube.resources.create({
          ...ref,
          metadata: { name: 'ring', namespace: home },
          spec: { namespaces: [home, other], shards: ['a', 'b', 'c'] },
        } as KubeObject),
      { timeoutMs: 30_000, description: 'instance kind served' },
    );
    const status = async (): Promise<Record<string, unknown>> =>
      ((await kube.resources.get(ref))['status'] ?? {}) as Record<string, unknown>;
    await eventually(
      async () => {
        const s = await status();
        expect(s['state']).toBe('ACTIVE');
        expect(s['items']).toBe(6);
      },
      { timeoutMs: 30_000, description: 'ACTIVE with six items' },
    );
    const item = (namespace: string, shard: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: `ring-${shard}`,
      namespace,
    });

    // Drift with no timer requeue: only the items' watch events can trigger the correction.
    await kube.resources.delete(item(other, 'b'));
    await kube.resources.mergePatch(item(home, 'c'), { data: { shard: 'tampered' } });
    await eventually(
      async () => {
        expect((await kube.resources.tryGet(item(other, 'b')))?.['data']).toEqual({ shard: 'b' });
        expect((await kube.resources.get(item(home, 'c')))['data']).toEqual({ shard: 'c' });
      },
      { timeoutMs: 30_000, description: 'drift corrected through the watch' },
    );

    // Scale down: one namespace, one shard.
    await kube.resources.mergePatch(ref, { spec: { namespaces: [other], shards: ['a'] } });
    await eventually(
      async () => {
        expect((await status())['items']).toBe(1);
        const left = await kube.resources.list({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          labelSelector: 'kro.run/node-id=shards,kro.run/instance-name=ring',
        });
        expect(
          left.items
            .filter((o) => [home, other].includes(o.metadata.namespace ?? ''))
            .map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
        ).toEqual([`${other}/ring-a`]);
      },
      { timeoutMs: 30_000, description: 'scaled down and pruned' },
    );
    const inst = await kube.resources.get(ref);
    expect(inst.metadata.annotations?.['applyset.kubernetes.io/additional-namespaces']).toBe(other);

    await kube.resources.delete(ref);
    await eventually(async () => expect(await kube.resources.tryGet(ref)).toBeUndefined(), {
      timeoutMs: 30_000,
      description: 'instance deleted',
    });
    expect(await kube.resources.tryGet(item(other, 'a'))).toBeUndefined();
  });
});
