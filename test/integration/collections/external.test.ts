// External collections on the real API server (spec 04 §9): selector values rendered from CEL
// (matchLabels and matchExpressions), an empty namespace meaning all namespaces, items in API
// order (so sortBy works on them), readyWhen with `each`, the selector watch interest, and a
// labelled object appearing: picked up by a re-reconcile, and with the full operator by the watch.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace, eventually, getKube, uniqueGroup, uniqueName } from '../../harness/index.js';
import type { InstanceEnv } from '../instance/env.js';
import { startInstanceEnv, statusOf } from '../instance/env.js';
import { startTestOperator } from '../operator.js';
import { createRgd, deleteCrdAfter, getRgd, rgdObject } from '../rgd/helpers.js';
import { configMap, createInstance, nodeEntries, rgd, stateOf } from './helpers.js';

const SELECTOR = {
  matchLabels: { team: '${schema.spec.team}' },
  matchExpressions: [{ key: 'tier', operator: 'In', values: ['${schema.spec.tier}', 'shared'] }],
};

const RESOURCES = [
  {
    id: 'shared',
    externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { selector: SELECTOR } },
    readyWhen: ['${each.data.?ready.orValue("") == "true"}'],
  },
  {
    id: 'local',
    externalRef: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: '${schema.metadata.namespace}', selector: SELECTOR },
    },
  },
  {
    id: 'summary',
    template: configMap('${schema.metadata.name}-summary', { count: '${string(size(shared))}' }),
  },
];

const STATUS = {
  keys: '${shared.map(c, c.metadata.namespace + "/" + c.metadata.name)}',
  sorted: '${shared.sortBy(c, c.metadata.name).map(c, c.metadata.name)}',
  local: '${size(local)}',
};

let env: InstanceEnv;
let nsA: string;
let nsB: string;

beforeAll(async () => {
  env = await startInstanceEnv(rgd('Consumer', { team: 'string', tier: 'string' }, RESOURCES, STATUS));
  [nsA, nsB] = await Promise.all([createTestNamespace('ext-a'), createTestNamespace('ext-b')]);
});

async function labelled(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ready = true,
): Promise<void> {
  const kube = await getKube();
  await kube.resources.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
    data: { ready: ready ? 'true' : 'false' },
  } as KubeObject);
}

describe('external collections', () => {
  it('lists by a rendered selector in all namespaces, in API order, and follows new objects', async () => {
    const team = uniqueName('team');
    await labelled(nsB, 'zeta', { team, tier: 'web' });
    await labelled(nsA, 'beta', { team, tier: 'shared' });
    await labelled(nsA, 'alpha', { team, tier: 'db' }); // tier not selected
    await labelled(nsB, 'other', { team: 'nobody', tier: 'web' }); // team not selected
    await createInstance(env, { name: 'c1', namespace: nsA, spec: { team, tier: 'web' } });
    const key = env.key('c1', nsA);
    let inst = await env.until(key, (i) => (expect(stateOf(i)).toBe('ACTIVE'), i), 'ACTIVE');

    // API order: namespace, then name.
    const keys = [`${nsB}/zeta`, `${nsA}/beta`].sort();
    expect(statusOf(inst)['keys']).toEqual(keys);
    expect(statusOf(inst)['sorted']).toEqual(['beta', 'zeta']);
    expect(statusOf(inst)['local']).toBe(1);
    const { head, items } = nodeEntries(inst, 'shared');
    expect(head).toMatchObject({ state: 'SYNCED', message: '2/2 items ready' });
    expect(items.map((e) => `${e['namespace']}/${e['name']}`)).toEqual(keys);

    // The selector interest: all namespaces for `shared`, the instance's namespace for `local`.
    const gvr = { group: '', version: 'v1', resource: 'configmaps' };
    const selector = {
      matchLabels: { team },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'shared'] }],
    };
    const registered = [...env.interests.values()].flat();
    expect(registered).toEqual(
      expect.arrayContaining([
        { gvr, selector },
        { gvr, selector, namespace: nsA },
      ]),
    );

    // A labelled object appears, not ready yet: the next reconcile waits on it.
    await labelled(nsB, 'eta', { team, tier: 'shared' }, false);
    await env.reconcile(key);
    inst = (await env.get('c1', nsA))!;
    expect(nodeEntries(inst, 'shared').head).toMatchObject({
      state: 'WAITING_FOR_READINESS',
      reason: 'ItemsNotReady',
      message: `2/3 items ready; ${nsB}/eta: readyWhen[0] "\${each.data.?ready.orValue("") == "true"}" is false`,
    });
    expect(stateOf(inst)).toBe('IN_PROGRESS');

    await env.kube.resources.mergePatch(
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'eta', namespace: nsB },
      { data: { ready: 'true' } },
    );
    inst = await env.until(key, (i) => (expect(stateOf(i)).toBe('ACTIVE'), i), 'ACTIVE with three');
    expect(statusOf(inst)['sorted']).toEqual(['beta', 'eta', 'zeta']);
    const summary = await env.kube.resources.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'c1-summary',
      namespace: nsA,
    });
    expect(summary['data']).toEqual({ count: '3' });
  });

  it('an empty selector result is a ready, empty collection', async () => {
    await createInstance(env, { name: 'c2', namespace: nsB, spec: { team: uniqueName('none'), tier: 'x' } });
    const inst = await env.until(env.key('c2', nsB), (i) => (expect(stateOf(i)).toBe('ACTIVE'), i), 'ACTIVE');
    expect(nodeEntries(inst, 'shared')).toEqual({
      head: expect.objectContaining({ state: 'SYNCED', message: '0/0 items ready' }),
      items: [],
    });
    expect(statusOf(inst)['keys']).toEqual([]);
  });
});

describe('external collections with the operator', () => {
  it('a labelled object appearing requeues the instance through the selector watch', async () => {
    const op = await startTestOperator();
    const kube = await getKube();
    const group = uniqueGroup('extw');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(
      rgdObject({
        labels: op.labels(),
        group,
        spec: { team: 'string', tier: 'string' },
        status: { sorted: STATUS.sorted },
        resources: RESOURCES.slice(0, 1),
      }),
    );
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
      description: 'RGD Active',
    });
    const team = uniqueName('watch');
    await labelled(nsA, 'first', { team, tier: 'web' });
    const ref = { apiVersion: `${group}/v1alpha1`, kind: 'App', name: 'w1', namespace: nsA };
    await eventually(
      () =>
        kube.resources.create({
          ...ref,
          metadata: { name: 'w1', namespace: nsA },
          spec: { team, tier: 'web' },
        } as KubeObject),
      {
        timeoutMs: 30_000,
        description: 'instance kind served',
      },
    );
    const status = async (): Promise<Record<string, unknown>> =>
      ((await kube.resources.get(ref))['status'] ?? {}) as Record<string, unknown>;
    await eventually(
      async () => {
        const s = await status();
        expect(s['state']).toBe('ACTIVE');
        expect(s['sorted']).toEqual(['first']);
      },
      { timeoutMs: 30_000, description: 'instance ACTIVE with one item' },
    );
    // ACTIVE instances are not requeued on a timer: only the watch can bring the new object in.
    await labelled(nsB, 'second', { team, tier: 'shared' });
    await eventually(async () => expect((await status())['sorted']).toEqual(['first', 'second']), {
      timeoutMs: 30_000,
      description: 'new labelled object picked up',
    });
    // A label change that makes an object leave the selector requeues too (old labels match).
    await kube.resources.mergePatch(
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'first', namespace: nsA },
      { metadata: { labels: { tier: 'none' } } },
    );
    await eventually(async () => expect((await status())['sorted']).toEqual(['second']), {
      timeoutMs: 30_000,
      description: 'relabelled object dropped',
    });
    await kube.resources.delete(ref);
    await eventually(async () => expect(await kube.resources.tryGet(ref)).toBeUndefined(), {
      timeoutMs: 30_000,
      description: 'instance deleted',
    });
  });
});
