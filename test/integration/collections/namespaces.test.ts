// A collection spanning several namespaces on the real API server: items found across all
// namespaces, applyset.kubernetes.io/additional-namespaces grown and shrunk, drift corrected in
// every namespace (changed field reverted, deleted item re-created), pruning per namespace.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace } from '../../harness/index.js';
import type { InstanceEnv } from '../instance/env.js';
import { startInstanceEnv } from '../instance/env.js';
import { configMap, createInstance, listItems, nodeEntries, rgd, stateOf, updateSpec } from './helpers.js';

let env: InstanceEnv;
let home: string;
let nsB: string;
let nsC: string;

const RGD = rgd('Spread', { namespaces: '[]string', value: 'string' }, [
  {
    id: 'configs',
    forEach: [{ n: '${schema.spec.namespaces}' }],
    template: configMap('${schema.metadata.name}-cfg', { value: '${schema.spec.value}' }, '${n}'),
  },
]);

beforeAll(async () => {
  env = await startInstanceEnv(RGD);
  [home, nsB, nsC] = await Promise.all([
    createTestNamespace('coll-home'),
    createTestNamespace('coll-b'),
    createTestNamespace('coll-c'),
  ]);
});

const ref = (namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: 'wide-cfg', namespace });
const additional = async (): Promise<string | undefined> =>
  (await env.get('wide', home))?.metadata.annotations?.['applyset.kubernetes.io/additional-namespaces'];

describe('collection across namespaces', () => {
  it('applies, corrects drift and prunes items in every namespace it spans', async () => {
    await createInstance(env, {
      name: 'wide',
      namespace: home,
      spec: { namespaces: [home, nsB, nsC], value: 'v1' },
    });
    const key = env.key('wide', home);
    let inst = await env.until(key, (i) => (expect(stateOf(i)).toBe('ACTIVE'), i), 'ACTIVE');
    const items = await listItems(env, inst, 'configs');
    expect(items.map((o) => o.metadata.namespace).sort()).toEqual([home, nsB, nsC].sort());
    expect(await additional()).toBe([nsB, nsC].sort().join(','));
    // Owner references only where Kubernetes allows them: same namespace as the instance.
    for (const o of items) {
      expect(o.metadata.ownerReferences?.length ?? 0).toBe(o.metadata.namespace === home ? 1 : 0);
    }
    expect(nodeEntries(inst, 'configs').items.map((e) => e['namespace'])).toEqual([home, nsB, nsC]);

    // Drift: a field kro-ts owns changed in one namespace, an item deleted in another.
    await env.kube.resources.mergePatch(ref(nsC), { data: { value: 'tampered', extra: 'kept' } });
    await env.kube.resources.delete(ref(nsB));
    await env.until(
      key,
      async () => {
        expect((await env.kube.resources.get(ref(nsC)))['data']).toEqual({ value: 'v1', extra: 'kept' });
        expect((await env.kube.resources.tryGet(ref(nsB)))?.['data']).toEqual({ value: 'v1' });
      },
      'drift corrected',
    );

    // A spec change reaches every namespace in one reconcile.
    await updateSpec(env, { name: 'wide', namespace: home, spec: { value: 'v2' } });
    await env.reconcile(key);
    for (const n of [home, nsB, nsC]) {
      expect((await env.kube.resources.get(ref(n)))['data']).toEqual(
        n === nsC ? { value: 'v2', extra: 'kept' } : { value: 'v2' },
      );
    }

    // Scale down to one other namespace: the items elsewhere are pruned, the inventory shrinks.
    await updateSpec(env, { name: 'wide', namespace: home, spec: { namespaces: [nsC] } });
    inst = await env.until(
      key,
      async (i) => {
        expect((await listItems(env, i, 'configs')).map((o) => o.metadata.namespace)).toEqual([nsC]);
        return i;
      },
      'pruned to one namespace',
    );
    expect(await additional()).toBe(nsC);
    expect(env.eventMessages('ResourcePruned')).toEqual(
      expect.arrayContaining([`pruned ConfigMap ${nsB}/wide-cfg (node configs): no longer rendered`]),
    );
    expect(stateOf(inst)).toBe('ACTIVE');
  });
});
