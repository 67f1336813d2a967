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
});
