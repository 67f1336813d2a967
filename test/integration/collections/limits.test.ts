// Collection limits and ownership on the real API server: --rgd-max-collection-size,
// --status-max-managed-resources (SYNCED item entries dropped first), items owned by another
// ApplySet (checked by GET for few new items, by one LIST per namespace for many), adoption.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace } from '../../harness/index.js';
import type { InstanceEnv } from '../instance/env.js';
import { conditionOf, startInstanceEnv } from '../instance/env.js';
import { configMap, createInstance, listItems, nodeEntries, rgd, stateOf } from './helpers.js';

let env: InstanceEnv;
let ns: string;

const RGD = rgd('Batch', { prefix: 'string', count: 'integer' }, [
  {
    id: 'parts',
    forEach: [{ i: '${lists.range(schema.spec.count)}' }],
    readyWhen: ['${each.data.?ready.orValue("") == "true"}'],
    template: configMap('${schema.spec.prefix}-${string(i)}', { i: '${string(i)}' }),
  },
]);

beforeAll(async () => {
  env = await startInstanceEnv(RGD, ['--rgd-max-collection-size=12', '--status-max-managed-resources=5']);
  ns = await createTestNamespace('coll-limits');
});

const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });

async function markReady(names: readonly string[]): Promise<void> {
  for (const n of names) await env.kube.resources.mergePatch(ref(n), { data: { ready: 'true' } });
}

async function foreign(name: string): Promise<void> {
  await env.kube.resources.create({
    ...ref(name),
    metadata: {
      name,
      namespace: ns,
      labels: { 'applyset.kubernetes.io/part-of': 'applyset-other-v1', 'kro.run/instance-name': 'other' },
    },
    data: { mine: 'no' },
  } as KubeObject);
}

describe('collection limits', () => {
  it('rejects a collection over --rgd-max-collection-size', async () => {
    await createInstance(env, { name: 'big', namespace: ns, spec: { prefix: 'big', count: 13 } });
    await env.reconcile(env.key('big', ns));
    const inst = (await env.get('big', ns))!;
    expect(nodeEntries(inst, 'parts').head).toMatchObject({
      state: 'ERROR',
      reason: 'CollectionTooLarge',
      message: 'collection size of 13 is over the maximum collection size of 12',
    });
    expect(stateOf(inst)).toBe('ERROR');
    expect(await listItems(env, inst, 'parts')).toEqual([]);
  });

  it('caps managedResources, dropping SYNCED item entries first', async () => {
    await createInstance(env, { name: 'cap', namespace: ns, spec: { prefix: 'cap', count: 6 } });
    const key = env.key('cap', ns);
    await env.reconcile(key);
    await markReady(['cap-0', 'cap-1', 'cap-2']);
    await env.reconcile(key);
    const inst = (await env.get('cap', ns))!;
    const { head, items } = nodeEntries(inst, 'parts');
    // 5 entries: the node's and 4 items; two SYNCED entries (the last ones) dropped.
    expect(items.map((e) => [e['name'], e['state']])).toEqual([
      ['cap-0', 'SYNCED'],
      ['cap-3', 'WAITING_FOR_READINESS'],
      ['cap-4', 'WAITING_FOR_READINESS'],
      ['cap-5', 'WAITING_FOR_READINESS'],
    ]);
    expect(head?.['message']).toMatch(/^3\/6 items ready; .*cap-3: .* \(4 of 6 items listed\)$/);
  });

  it('refuses items owned by another ApplySet and adopts unlabelled ones (LIST path)', async () => {
    await foreign('many-3');
    await env.kube.resources.create({
      ...ref('many-5'),
      metadata: { name: 'many-5', namespace: ns },
    } as KubeObject);
    // Unlabelled, with another controller: the LIST does not show it, the first apply is refused,
    // the item is read and applied with a non-controller owner reference.
    const owner = await env.kube.resources.create({
      ...ref('many-owner'),
      metadata: { name: 'many-owner', namespace: ns },
    } as KubeObject);
    const controlled = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'many-owner',
      uid: owner.metadata.uid,
      controller: true,
    };
    await env.kube.resources.create({
      ...ref('many-7'),
      metadata: { name: 'many-7', namespace: ns, ownerReferences: [controlled] },
    } as KubeObject);
    await createInstance(env, { name: 'many', namespace: ns, spec: { prefix: 'many', count: 10 } });
    await env.reconcile(env.key('many', ns));
    const inst = (await env.get('many', ns))!;
    const { head, items } = nodeEntries(inst, 'parts');
    const message = 'resource belongs to a different ApplySet applyset-other-v1 (instance other)';
    expect(head).toMatchObject({ state: 'ERROR', reason: 'OwnershipConflict' });
    // Capped at 5 entries: the error item stays listed.
    expect(head?.['message']).toBe(`${message} (4 of 10 items listed)`);
    expect(items.find((e) => e['name'] === 'many-3')).toMatchObject({
      state: 'ERROR',
      reason: 'OwnershipConflict',
    });
    expect(conditionOf(inst, 'ResourcesReady')?.['message']).toContain(message);
    // The other items were applied; the foreign object was not touched.
    expect((await listItems(env, inst, 'parts')).length).toBe(9);
    expect((await env.kube.resources.get(ref('many-3')))['data']).toEqual({ mine: 'no' });
    expect(env.eventMessages('ResourceAdopted')).toContain(`adopted ConfigMap ${ns}/many-5 (node parts)`);
    const seven = await env.kube.resources.get(ref('many-7'));
    expect(seven.metadata.ownerReferences).toEqual([
      expect.objectContaining({ name: 'many-owner', controller: true }),
      expect.objectContaining({ kind: 'Batch', name: 'many', controller: false }),
    ]);
    expect(env.eventMessages('ResourceCreated')).toContain(`created ConfigMap ${ns}/many-0 (node parts)`);
  });

  it('refuses items owned by another ApplySet (GET path)', async () => {
    await foreign('few-1');
    await createInstance(env, { name: 'few', namespace: ns, spec: { prefix: 'few', count: 2 } });
    await env.reconcile(env.key('few', ns));
    const inst = (await env.get('few', ns))!;
    expect(nodeEntries(inst, 'parts').head).toMatchObject({ state: 'ERROR', reason: 'OwnershipConflict' });
    expect((await listItems(env, inst, 'parts')).map((o) => o.metadata.name)).toEqual(['few-0']);
  });
});
