// Never-silent behaviour, waves, pruning and externals on the real API server.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ResourceGraphDefinition } from '../../../src/api/rgd.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace } from '../../harness/index.js';
import type { InstanceEnv } from './env.js';
import { conditionOf, startInstanceEnv, statusOf } from './env.js';

let env: InstanceEnv;
let ns: string;

const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

const RGD = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  metadata: { name: 'chain' },
  spec: {
    schema: {
      apiVersion: 'v1alpha1',
      kind: 'Chain',
      spec: {
        prefix: 'string',
        extra: 'boolean | default=false',
        divisor: 'integer | default=1',
        ext: 'string | default=missing',
      },
      status: { last: '${c.data.v}' },
    },
    resources: [
      { id: 'a', template: cm('${schema.spec.prefix}-a', { v: '1' }) },
      { id: 'b', template: cm('${a.metadata.name}-b', { v: '${a.data.v + "2"}' }) },
      { id: 'c', template: cm('${b.metadata.name}-c', { v: '${b.data.v + "3"}' }) },
      { id: 'opt', includeWhen: ['${schema.spec.extra}'], template: cm('${schema.spec.prefix}-opt') },
      { id: 'optChild', template: cm('${opt.metadata.name}-child') },
      {
        id: 'guarded',
        includeWhen: ['${10 / schema.spec.divisor > 1}'],
        template: cm('${schema.spec.prefix}-guarded'),
      },
      {
        id: 'ext',
        externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${schema.spec.ext}' } },
      },
      { id: 'usesExt', template: cm('${schema.spec.prefix}-uses-ext', { from: '${ext.data.k}' }) },
    ],
  },
} as unknown as ResourceGraphDefinition;

beforeAll(async () => {
  env = await startInstanceEnv(RGD);
  ns = await createTestNamespace('inst-chain');
});

async function create(name: string, spec: Record<string, unknown>): Promise<void> {
  await env.kube.resources.create({
    ...env.ref(name, ns),
    metadata: { name, namespace: ns },
    spec,
  } as KubeObject);
}

const entries = (i: KubeObject) => statusOf(i)['managedResources'] as Record<string, string>[];
const entry = (i: KubeObject, id: string) => entries(i).find((e) => e['id'] === id);
const exists = (name: string) =>
  env.kube.resources.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });

describe('waves, includeWhen, externals', () => {
  it('converges a chain of three in one reconcile and reports what waits', async () => {
    await create('one', { prefix: 'one', ext: 'ext-one' });
    await env.reconcile(env.key('one', ns));
    const i = (await env.get('one', ns))!;
    expect(entry(i, 'c')).toMatchObject({ state: 'SYNCED', name: 'one-a-b-c' });
    expect((await exists('one-a-b-c'))?.['data']).toEqual({ v: '123' });
    expect(statusOf(i)['last']).toBe('123');
    // The external is missing: it waits, and its dependent says what it waits for.
    expect(entry(i, 'ext')).toMatchObject({ state: 'WAITING_FOR_READINESS', reason: 'ExternalRefNotFound' });
    expect(entry(i, 'usesExt')).toMatchObject({
      state: 'IN_PROGRESS',
      reason: 'WaitingForDependency',
      message: 'waiting for node "ext" (WAITING_FOR_READINESS)',
    });
    expect(entry(i, 'opt')).toMatchObject({ state: 'SKIPPED', reason: 'IncludeWhenFalse' });
    expect(entry(i, 'optChild')).toMatchObject({ state: 'SKIPPED', reason: 'DependencySkipped' });
    expect(statusOf(i)['state']).toBe('IN_PROGRESS');
    expect(env.eventMessages('Waiting')).toContain(
      'node "usesExt" is waiting: waiting for node "ext" (WAITING_FOR_READINESS)',
    );

    // The external appears later: the dependent is applied and the instance becomes ACTIVE.
    await env.kube.resources.create({
      ...cm('ext-one', { k: 'hello' }),
      metadata: { name: 'ext-one', namespace: ns },
    } as KubeObject);
    await env.until(env.key('one', ns), (x) => expect(statusOf(x)['state']).toBe('ACTIVE'), 'ACTIVE');
    expect((await exists('one-uses-ext'))?.['data']).toEqual({ from: 'hello' });
  });

  it('includeWhen turning true then false applies and prunes the cascade', async () => {
    await create('two', { prefix: 'two', extra: true, ext: 'ext-two' });
    await env.kube.resources.create({
      ...cm('ext-two', { k: 'x' }),
      metadata: { name: 'ext-two', namespace: ns },
    } as KubeObject);
    await env.until(env.key('two', ns), (x) => expect(statusOf(x)['state']).toBe('ACTIVE'), 'ACTIVE');
    expect(await exists('two-opt-child')).toBeDefined();
    const cur = (await env.get('two', ns))!;
    await env.kube.resources.replace({
      ...cur,
      spec: { ...(cur['spec'] as object), extra: false },
    } as KubeObject);
    await env.reconcile(env.key('two', ns));
    const gone = async (n: string) => {
      const o = await exists(n);
      return o === undefined || o.metadata['deletionTimestamp'] !== undefined;
    };
    expect(await gone('two-opt')).toBe(true);
    expect(await gone('two-opt-child')).toBe(true);
    expect(env.eventMessages('ResourcePruned')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^pruned ConfigMap ${ns}/two-opt-child \\(node optChild\\): `)),
        expect.stringMatching(
          new RegExp(`^pruned ConfigMap ${ns}/two-opt \\(node opt\\): includeWhen\\[0\\] `),
        ),
      ]),
    );
  });

  it('an includeWhen that fails at run time is ERROR with the expression, in status and as an Event', async () => {
    await create('three', { prefix: 'three', divisor: 0, ext: 'ext-three' });
    await env.reconcile(env.key('three', ns));
    const i = (await env.get('three', ns))!;
    const e = entry(i, 'guarded');
    expect(e).toMatchObject({ state: 'ERROR', reason: 'IncludeWhenError' });
    expect(e?.['message']).toMatch(
      /^node "guarded" includeWhen\[0\] "\$\{10 \/ schema.spec.divisor > 1\}": /,
    );
    expect(statusOf(i)['state']).toBe('ERROR');
    expect(conditionOf(i, 'Ready')).toMatchObject({ status: 'False' });
    expect(String(conditionOf(i, 'ResourcesReady')?.['message'])).toContain(
      'resource error: node "guarded": node "guarded" includeWhen[0]',
    );
    // Isolation: the other nodes were still applied.
    expect(await exists('three-a-b-c')).toBeDefined();
    expect(
      env
        .eventMessages('NodeError')
        .some((m) => m.startsWith('node "guarded": node "guarded" includeWhen[0]')),
    ).toBe(true);
  });
});
