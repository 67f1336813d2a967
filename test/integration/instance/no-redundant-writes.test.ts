// Issue 16: a reconcile that renders what is already there writes nothing (no child apply, no
// status write), and drift or a changed desired state is still applied.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResourceGraphDefinition } from '../../../src/api/rgd.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace } from '../../harness/index.js';
import type { InstanceEnv } from './env.js';
import { conditionOf, startInstanceEnv } from './env.js';

let env: InstanceEnv;
let ns: string;

const cm = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

const RGD = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  metadata: { name: 'quiet' },
  spec: {
    schema: {
      apiVersion: 'v1alpha1',
      kind: 'Quiet',
      spec: { value: 'string' },
      status: { last: '${c.data.v}' },
    },
    resources: [
      { id: 'a', template: cm('${schema.metadata.name}-a', { v: '${schema.spec.value}' }) },
      { id: 'b', template: cm('${a.metadata.name}-b', { v: '${a.data.v + "b"}' }) },
      { id: 'c', template: cm('${b.metadata.name}-c', { v: '${b.data.v + "c"}' }) },
    ],
  },
} as unknown as ResourceGraphDefinition;

beforeAll(async () => {
  env = await startInstanceEnv(RGD);
  ns = await createTestNamespace('inst-quiet');
});

afterEach(() => {
  vi.restoreAllMocks();
});

const instance = (name: string): KubeObject => {
  const { apiVersion, kind } = env.ref(name, ns);
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: ns },
    spec: { value: 'x' },
  } as unknown as KubeObject;
};

const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });

/** Counts the writes the reconciler sends (child applies, instance applies, status PUTs). */
function countWrites(): { applies: () => string[]; statusWrites: () => number } {
  const res = env.kube.resources;
  const applyDetailed = vi.spyOn(res, 'applyDetailed');
  const apply = vi.spyOn(res, 'apply');
  const replaceStatus = vi.spyOn(res, 'replaceStatus');
  return {
    applies: () =>
      [...applyDetailed.mock.calls, ...apply.mock.calls].map(
        (c) => `${(c[0] as KubeObject).kind}/${(c[0] as KubeObject).metadata.name ?? ''}`,
      ),
    statusWrites: () => replaceStatus.mock.calls.length,
  };
}

describe('no redundant writes', () => {
  it('a second reconcile of a Ready instance writes nothing; drift and spec changes are applied', async () => {
    const name = 'q1';
    await env.kube.resources.create(instance(name));
    const key = env.key(name, ns);
    await env.until(key, (i) => expect(conditionOf(i, 'Ready')?.['status']).toBe('True'), 'Ready');
    const before = await env.get(name, ns);

    // Nothing changed: no apply, no status write, the instance untouched.
    let writes = countWrites();
    await env.reconcile(key);
    await env.reconcile(key);
    expect(writes.applies()).toEqual([]);
    expect(writes.statusWrites()).toBe(0);
    expect((await env.get(name, ns))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
    vi.restoreAllMocks();

    // Someone edits a child: the next reconcile re-applies exactly that child and reverts it.
    await env.kube.resources.mergePatch(cmRef(`${name}-a-b`), { data: { v: 'edited' } });
    writes = countWrites();
    await env.reconcile(key);
    expect(writes.applies()).toEqual([`ConfigMap/${name}-a-b`]);
    const b = await env.kube.resources.tryGet(cmRef(`${name}-a-b`));
    expect((b as unknown as { data: Record<string, string> }).data['v']).toBe('xb');
    expect(env.eventMessages('ResourceDriftReverted').some((m) => m.includes(`${name}-a-b`))).toBe(true);
    vi.restoreAllMocks();

    // The desired state changes: every child whose rendering changed is applied, status follows.
    await env.kube.resources.mergePatch(env.ref(name, ns), { spec: { value: 'y' } });
    writes = countWrites();
    await env.until(
      key,
      (i) => expect((i['status'] as Record<string, unknown>)['last']).toBe('ybc'),
      'new value',
    );
    expect(new Set(writes.applies())).toEqual(
      new Set([`ConfigMap/${name}-a`, `ConfigMap/${name}-a-b`, `ConfigMap/${name}-a-b-c`]),
    );
    expect(writes.statusWrites()).toBeGreaterThan(0);
  });

  it('a deleted child is recreated although its rendering did not change', async () => {
    const name = 'q2';
    await env.kube.resources.create(instance(name));
    const key = env.key(name, ns);
    await env.until(key, (i) => expect(conditionOf(i, 'Ready')?.['status']).toBe('True'), 'Ready');
    await env.kube.resources.delete(cmRef(`${name}-a-b-c`));
    await env.until(
      key,
      async () => expect(await env.kube.resources.tryGet(cmRef(`${name}-a-b-c`))).toBeDefined(),
      'child recreated',
    );
  });

  it("the status write starts from the reconcile's own copy of the instance, and a write by someone else in between is not lost", async () => {
    const res = env.kube.resources;
    const instanceGets = (spy: { mock: { calls: unknown[][] } }) =>
      spy.mock.calls.filter((c) => (c[0] as { kind?: string }).kind === env.ref('x', ns).kind).length;

    // One reconcile of a new instance: one GET of the instance (the fresh read it starts with);
    // the status write uses the answer of the reconcile's own last write.
    const name = 'q3';
    await res.create(instance(name));
    const key = env.key(name, ns);
    let gets = vi.spyOn(res, 'tryGet');
    const replace = vi.spyOn(res, 'replaceStatus');
    await env.reconcile(key);
    expect(instanceGets(gets)).toBe(1);
    expect(replace.mock.calls.length).toBe(1);
    expect(conditionOf((await env.get(name, ns)) as KubeObject, 'Ready')).toBeDefined();
    vi.restoreAllMocks();

    // Someone labels the instance just before the status write: the write conflicts, is rebuilt
    // on a fresh GET and succeeds; the label stays.
    const other = 'q4';
    await res.create(instance(other));
    const otherKey = env.key(other, ns);
    gets = vi.spyOn(res, 'tryGet');
    const real = res.replaceStatus.bind(res);
    let interfered = false;
    vi.spyOn(res, 'replaceStatus').mockImplementation(async (obj, opts) => {
      if (!interfered) {
        interfered = true;
        await res.mergePatch(env.ref(other, ns), { metadata: { labels: { 'example.com/by-hand': 'yes' } } });
      }
      return real(obj, opts);
    });
    await env.reconcile(otherKey);
    expect(instanceGets(gets)).toBe(2);
    const stored = (await env.get(other, ns)) as KubeObject;
    expect(stored.metadata.labels?.['example.com/by-hand']).toBe('yes');
    expect(conditionOf(stored, 'Ready')).toBeDefined();
  });
});
