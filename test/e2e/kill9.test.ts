// kill -9 of the operator mid-work (issue 14; the long version is hack/chaos/run.ts): the operator
// as a separate process, 12 instances of a two-ConfigMap RGD changed, deleted and created while the
// process is killed with SIGKILL at random moments and restarted. Afterwards every live instance
// converges to its latest spec, every deleted one is gone, no child is left without its instance
// and none is duplicated. (The e2e cluster runs the garbage collector, which would also remove
// orphans in time; the harness runs without it and checks that strictly.)

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verdict } from '../../hack/chaos/invariants.js';
import type { Kube } from '../../src/kube/index.js';
import {
  createTestNamespace,
  eventually,
  getKube,
  getKubeConfigPath,
  registerCleanup,
  uniqueGroup,
  releaseCustomResources,
} from '../harness/index.js';
import { ensureRgdCrd } from './lib/namespace.js';
import type { BuiltDist } from './lib/operator-process.js';
import { buildDist, freePort } from './lib/operator-process.js';
import { repoRoot } from './lib/paths.js';

const KILLS = 4;
let dist: BuiltDist;
let kube: Kube;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dist = buildDist();
  kube = await getKube();
  await ensureRgdCrd(kube);
}, 180_000);

afterAll(async () => {
  await kill9();
  dist?.remove();
});

async function start(): Promise<void> {
  const [probe, metrics] = [await freePort(), await freePort()];
  child = spawn(
    process.execPath,
    [
      `${dist.dist}/main.js`,
      '--kubeconfig',
      getKubeConfigPath(),
      `--health-probe-bind-address=127.0.0.1:${probe}`,
      `--metrics-bind-address=127.0.0.1:${metrics}`,
      '--zap-log-level=error',
    ],
    { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, POD_NAME: 'kro-ts-e2e-kill9' } },
  );
}

async function kill9(): Promise<void> {
  const c = child;
  child = undefined;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const gone = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await gone;
}

describe('kill -9 of the operator while it works', () => {
  it(`after ${KILLS} kills at random moments: converged, deleted gone, no orphan, no duplicate`, async () => {
    const ns = await createTestNamespace('kill9');
    const group = uniqueGroup('kill');
    const rgdName = `kill9-${group.split('.')[0]}`;
    const rgdRef = { apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition', name: rgdName };
    await kube.resources.create({
      ...rgdRef,
      metadata: { name: rgdName },
      spec: {
        schema: { apiVersion: 'v1alpha1', kind: 'Victim', group, spec: { value: 'string' } },
        resources: [
          {
            id: 'config',
            template: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: '${schema.metadata.name}-config' },
              data: { value: '${schema.spec.value}' },
            },
          },
          {
            id: 'copy',
            template: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: '${schema.metadata.name}-copy' },
              data: { value: '${config.data.value}' },
            },
          },
        ],
      },
    });
    registerCleanup(async () => {
      await kube.resources.delete(rgdRef).catch(() => undefined);
      await kube.resources
        .delete({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: `victims.${group}`,
        })
        .catch(() => undefined);
      await releaseCustomResources(kube, `victims.${group}`).catch(() => undefined);
    });
    await start();
    await eventually(
      async () =>
        expect(((await kube.resources.get(rgdRef))['status'] as { state?: string })?.state).toBe('Active'),
      { timeoutMs: 60_000, description: 'RGD Active' },
    );
    const iref = { apiVersion: `${group}/v1alpha1`, kind: 'Victim', namespace: ns };
    const live = new Map<string, string>();
    const deleted = new Set<string>();
    const create = async (name: string, value: string): Promise<void> => {
      await kube.resources.create({ ...iref, metadata: { name, namespace: ns }, spec: { value } });
      live.set(name, value);
    };
    for (let i = 0; i < 12; i++) await create(`v${i}`, `a${i}`);
    for (let k = 0; k < KILLS; k++) {
      // Work for the operator: a change, a delete and a create, then a kill at a random moment.
      const names = [...live.keys()];
      const change = names[(k * 5) % names.length]!;
      await kube.resources.mergePatch({ ...iref, name: change }, { spec: { value: `k${k}` } });
      live.set(change, `k${k}`);
      const victim = names[(k * 5 + 1) % names.length]!;
      await kube.resources.delete({ ...iref, name: victim });
      live.delete(victim);
      deleted.add(victim);
      await create(`n${k}`, `n${k}`);
      await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 1500)));
      await kill9();
      await start();
    }
    const v = await eventually(
      async () => {
        const r = await verdict(kube, { ns, instance: iref, live, deleted, nodes: ['config', 'copy'] });
        expect(r).toEqual({ unconverged: [], orphans: [], duplicates: [], stuck: [] });
        return r;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'invariants after kill -9' },
    );
    expect(v.unconverged).toEqual([]);
    // The children of the live instances carry their latest values (checked by verdict) and the
    // second ConfigMap followed the first.
    for (const [name, value] of live) {
      const cm = await kube.resources.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: ns,
        name: `${name}-copy`,
      });
      expect((cm['data'] as Record<string, string>)['value']).toBe(value);
    }
    // Clean up while an operator runs (the instances carry its finalizer).
    for (const name of live.keys()) await kube.resources.delete({ ...iref, name });
    await eventually(async () => expect((await kube.resources.list(iref)).items).toEqual([]), {
      timeoutMs: 120_000,
      description: 'instances deleted',
    });
    await kill9();
  }, 300_000);
});
