// forEach collections on the real API server (spec 04 §7, §10, §11, §12.3): cartesian product,
// item labels, readyWhen with `each`, dependents seeing the list in desired order, collection →
// collection chains, scale up and down with pruning, empty collections, includeWhen on a
// collection, run-time identity collisions.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace } from '../../harness/index.js';
import type { InstanceEnv } from '../instance/env.js';
import { conditionOf, startInstanceEnv, statusOf } from '../instance/env.js';
import {
  configMap,
  createInstance,
  itemNames,
  label,
  listItems,
  nodeEntries,
  rgd,
  stateOf,
  updateSpec,
} from './helpers.js';

let env: InstanceEnv;
let ns: string;

const RGD = rgd(
  'Fleet',
  {
    team: 'string',
    regions: '[]string',
    tiers: '[]string',
    enabled: 'boolean | default=true',
  },
  [
    {
      id: 'workers',
      includeWhen: ['${schema.spec.enabled}'],
      forEach: [{ region: '${schema.spec.regions}' }, { tier: '${schema.spec.tiers}' }],
      readyWhen: ['${each.data.?ready.orValue("") == "true"}'],
      template: configMap('${schema.spec.team}-${region}-${tier}', { region: '${region}', tier: '${tier}' }),
    },
    {
      id: 'copies',
      forEach: [{ w: '${workers}' }],
      template: configMap('${w.metadata.name}-copy', { from: '${w.data.region + "/" + w.data.tier}' }),
    },
    {
      id: 'summary',
      template: configMap('${schema.spec.team}-summary', {
        count: '${string(size(workers))}',
        first: '${size(copies) > 0 ? copies[0].metadata.name : "none"}',
      }),
    },
  ],
  { names: '${workers.map(w, w.metadata.name)}', copies: '${size(copies)}' },
);

beforeAll(async () => {
  env = await startInstanceEnv(RGD);
  ns = await createTestNamespace('coll-foreach');
});

async function markReady(items: readonly KubeObject[]): Promise<void> {
  for (const o of items) {
    await env.kube.resources.mergePatch(
      { apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name ?? '', namespace: ns },
      { data: { ready: 'true' } },
    );
  }
}

const cm = (name: string) =>
  env.kube.resources.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });

describe('forEach collections', () => {
  it('builds the cartesian product, waits on each item, then feeds dependents and chains', async () => {
    const name = 'blue';
    await createInstance(env, {
      name,
      namespace: ns,
      spec: { team: 'blue', regions: ['eu', 'us'], tiers: ['web', 'db'] },
    });
    const key = env.key(name, ns);
    await env.reconcile(key);
    let inst = (await env.get(name, ns))!;
    const items = await listItems(env, inst, 'workers');
    // First dimension outermost: eu-web, eu-db, us-web, us-db.
    const byIndex = [...items].sort(
      (a, b) => Number(label(a, 'kro.run/collection-index')) - Number(label(b, 'kro.run/collection-index')),
    );
    expect(byIndex.map((o) => o.metadata.name)).toEqual([
      'blue-eu-web',
      'blue-eu-db',
      'blue-us-web',
      'blue-us-db',
    ]);
    for (const o of items) expect(label(o, 'kro.run/collection-size')).toBe('4');
    expect(items[0]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Fleet', name, controller: true });
    // One selector interest (all namespaces) covers every item of the collection.
    const gvr = { group: '', version: 'v1', resource: 'configmaps' };
    const interests = [...env.interests.values()].flat();
    expect(interests).toContainEqual({
      gvr,
      selector: { matchLabels: { 'kro.run/instance-id': inst.metadata.uid, 'kro.run/node-id': 'workers' } },
    });
    expect(interests.filter((i) => 'name' in i && i.name.startsWith('blue-eu'))).toEqual([]);

    // Not ready: node entry, then one entry per item in desired order; dependents wait.
    const { head, items: itemEntries } = nodeEntries(inst, 'workers');
    expect(head).toMatchObject({
      state: 'WAITING_FOR_READINESS',
      reason: 'ItemsNotReady',
      kind: 'ConfigMap',
    });
    expect(head?.['message']).toBe(
      `0/4 items ready; ${ns}/blue-eu-web: readyWhen[0] "\${each.data.?ready.orValue("") == "true"}" is false`,
    );
    expect(head?.['namespace']).toBeUndefined();
    expect(itemEntries.map((e) => e['name'])).toEqual([
      'blue-eu-web',
      'blue-eu-db',
      'blue-us-web',
      'blue-us-db',
    ]);
    expect(itemEntries.every((e) => e['state'] === 'WAITING_FOR_READINESS' && e['namespace'] === ns)).toBe(
      true,
    );
    expect(nodeEntries(inst, 'copies').head).toMatchObject({
      state: 'IN_PROGRESS',
      reason: 'WaitingForDependency',
    });
    expect(stateOf(inst)).toBe('IN_PROGRESS');

    // One item ready: 1/4 and the first item not ready.
    await markReady(byIndex.slice(0, 1));
    await env.reconcile(key);
    inst = (await env.get(name, ns))!;
    expect(nodeEntries(inst, 'workers').head?.['message']).toMatch(/^1\/4 items ready; .*\/blue-eu-db: /);

    await markReady(byIndex.slice(1));
    inst = await env.until(
      key,
      (i) => {
        expect(stateOf(i)).toBe('ACTIVE');
        return i;
      },
      'ACTIVE',
    );
    expect(conditionOf(inst, 'Ready')).toMatchObject({ status: 'True' });
    expect(nodeEntries(inst, 'workers').head).toMatchObject({ state: 'SYNCED', message: '4/4 items ready' });
    // Dependents see the observed items in desired order; the chain converged in one reconcile.
    expect(statusOf(inst)['names']).toEqual(['blue-eu-web', 'blue-eu-db', 'blue-us-web', 'blue-us-db']);
    expect(statusOf(inst)['copies']).toBe(4);
    expect((await cm('blue-us-db-copy'))?.['data']).toEqual({ from: 'us/db' });
    expect((await cm('blue-summary'))?.['data']).toEqual({ count: '4', first: 'blue-eu-web-copy' });
    expect(nodeEntries(inst, 'copies').items.map((e) => e['name'])).toEqual([
      'blue-eu-web-copy',
      'blue-eu-db-copy',
      'blue-us-web-copy',
      'blue-us-db-copy',
    ]);

    // Scale down: us is gone; its items and their copies are pruned, labels follow the new size.
    await updateSpec(env, { name, namespace: ns, spec: { regions: ['eu'] } });
    inst = await env.until(
      key,
      (i) => {
        expect(statusOf(i)['names']).toEqual(['blue-eu-web', 'blue-eu-db']);
        return i;
      },
      'scaled down',
    );
    expect(itemNames(await listItems(env, inst, 'workers'))).toEqual(['blue-eu-db', 'blue-eu-web']);
    expect(itemNames(await listItems(env, inst, 'copies'))).toEqual(['blue-eu-db-copy', 'blue-eu-web-copy']);
    for (const o of await listItems(env, inst, 'workers'))
      expect(label(o, 'kro.run/collection-size')).toBe('2');
    expect(env.eventMessages('ResourcePruned')).toEqual(
      expect.arrayContaining([`pruned ConfigMap ${ns}/blue-us-db (node workers): no longer rendered`]),
    );

    // Scale up: a new region; the new items wait for readiness, the old ones keep theirs.
    await updateSpec(env, { name, namespace: ns, spec: { regions: ['eu', 'ap'] } });
    await env.reconcile(key);
    inst = (await env.get(name, ns))!;
    expect(nodeEntries(inst, 'workers').head?.['message']).toMatch(/^2\/4 items ready; .*\/blue-ap-web: /);
    expect(itemNames(await listItems(env, inst, 'workers'))).toEqual([
      'blue-ap-db',
      'blue-ap-web',
      'blue-eu-db',
      'blue-eu-web',
    ]);
    expect(label((await cm('blue-ap-db'))!, 'kro.run/collection-index')).toBe('3');

    // includeWhen false on the collection: skipped, its items and the dependents' pruned.
    await updateSpec(env, { name, namespace: ns, spec: { enabled: false } });
    inst = await env.until(
      key,
      async (i) => {
        expect(nodeEntries(i, 'workers').head).toMatchObject({
          state: 'SKIPPED',
          reason: 'IncludeWhenFalse',
        });
        expect(await listItems(env, i, 'workers')).toEqual([]);
        return i;
      },
      'collection skipped',
    );
    expect(nodeEntries(inst, 'copies').head).toMatchObject({ state: 'SKIPPED', reason: 'DependencySkipped' });
    expect(await cm('blue-summary')).toBeUndefined();
    expect(stateOf(inst)).toBe('ACTIVE');
  });

  it('treats an empty collection as ready with zero items and prunes what it had', async () => {
    const name = 'green';
    await createInstance(env, {
      name,
      namespace: ns,
      spec: { team: 'green', regions: ['eu'], tiers: ['a', 'b'] },
    });
    const key = env.key(name, ns);
    await env.reconcile(key);
    let inst = (await env.get(name, ns))!;
    await markReady(await listItems(env, inst, 'workers'));
    await env.until(key, (i) => expect(stateOf(i)).toBe('ACTIVE'), 'ACTIVE with two items');

    await updateSpec(env, { name, namespace: ns, spec: { tiers: [] } });
    inst = await env.until(
      key,
      async (i) => {
        expect(await listItems(env, i, 'workers')).toEqual([]);
        return i;
      },
      'items pruned',
    );
    expect(stateOf(inst)).toBe('ACTIVE');
    const { head, items } = nodeEntries(inst, 'workers');
    expect(head).toMatchObject({ state: 'SYNCED', reason: 'Ready', message: '0/0 items ready' });
    expect(items).toEqual([]);
    expect(statusOf(inst)['names']).toEqual([]);
    expect((await cm('green-summary'))?.['data']).toEqual({ count: '0', first: 'none' });
  });

  it('reports duplicate identities at run time and touches no item of that node', async () => {
    const name = 'dup';
    await createInstance(env, {
      name,
      namespace: ns,
      spec: { team: 'dup', regions: ['eu', 'eu'], tiers: ['x'] },
    });
    await env.reconcile(env.key(name, ns));
    const inst = (await env.get(name, ns))!;
    expect(nodeEntries(inst, 'workers').head).toMatchObject({
      state: 'ERROR',
      reason: 'IdentityCollision',
      message: `duplicate identity: /ConfigMap/${ns}/dup-eu-x`,
    });
    expect(stateOf(inst)).toBe('ERROR');
    expect(conditionOf(inst, 'ResourcesReady')?.['message']).toContain('duplicate identity');
    expect(await cm('dup-eu-x')).toBeUndefined();
  });
});
