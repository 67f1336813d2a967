// What starts an instance reconcile when the whole operator runs (spec 04 §3, §14), with
// `--instance-requeue-interval=0` so that only watch events can make progress: a label-only
// change is skipped (logged, observedGeneration unchanged) while a spec change reconciles; a
// hand edit of a child's owned field is reverted through the child watch; the suspend
// annotation stops applying and removing it resumes.

import { beforeAll, describe, expect, it } from 'vitest';
import type { InstanceReconcilerDeps } from '../../../src/controller/manager.js';
import { createInstanceReconciler } from '../../../src/controller/instance/index.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace, eventually, getKube } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import type { KindRef } from './helpers.js';
import {
  conditionOf,
  createActiveRgd,
  createInstance,
  getInstance,
  instanceRef,
  statusOf,
  untilInstance,
} from './helpers.js';

let op: TestOperator;
let kind: KindRef;
let ns: string;
/** Reconciles started per instance name. */
const reconciles = new Map<string, number>();

const countOf = (name: string): number => reconciles.get(name) ?? 0;

beforeAll(async () => {
  op = await startTestOperator({
    flags: ['--instance-requeue-interval=0'],
    captureLogs: true,
    reconcilerFactory: (deps: InstanceReconcilerDeps) => {
      const inner = createInstanceReconciler(deps);
      return {
        reconcile: (key, ctx) => {
          reconciles.set(key.name, countOf(key.name) + 1);
          return inner.reconcile(key, ctx);
        },
      };
    },
  });
  expect(op.config.instanceRequeueIntervalMs).toBe(0);
  kind = await createActiveRgd(op, {
    kind: 'Trigger',
    spec: { value: 'string' },
    status: { seen: '${cm.data.value}' },
    resources: [
      {
        id: 'cm',
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${schema.metadata.name}-cm' },
          data: { value: '${schema.spec.value}' },
        },
      },
    ],
  });
  ns = await createTestNamespace('op-triggers');
});

const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `${name}-cm`, namespace: ns });

async function untilActive(name: string, generation: number): Promise<KubeObject> {
  return untilInstance(
    { kind, name, namespace: ns },
    (i) => {
      expect(statusOf(i)['state']).toBe('ACTIVE');
      expect(statusOf(i)['observedGeneration']).toBe(generation);
      expect(conditionOf(i, 'Ready')).toMatchObject({ status: 'True' });
    },
    `${name} ACTIVE at generation ${generation}`,
  );
}

/**
 * Waits until the operator is idle for this instance: the queue is empty and no reconcile
 * started between two polls (the trailing reconciles caused by the children's ADDED events).
 */
async function untilQuiet(name: string): Promise<number> {
  let last = -1;
  return eventually(
    () => {
      const stats = op.operator.manager.queue.stats();
      const now = countOf(name);
      const stable = now === last;
      last = now;
      if (stats.ready + stats.running + stats.waiting !== 0 || !stable)
        throw new Error(`operator busy: ${JSON.stringify(stats)}, ${now} reconciles`);
      return now;
    },
    { timeoutMs: 20_000, intervalMs: 400, description: `${name} quiet` },
  );
}

async function patchInstance(name: string, patch: Record<string, unknown>): Promise<KubeObject> {
  const kube = await getKube();
  return kube.resources.mergePatch(instanceRef(kind, name, ns), patch);
}

describe('instance triggers through the operator', () => {
  it('skips a label-only update (debug log, observedGeneration unchanged) and reconciles a spec change', async () => {
    const name = 'gen';
    await createInstance(kind, { name, namespace: ns, spec: { value: 'one' } });
    await untilActive(name, 1);
    const before = await untilQuiet(name);
    expect(before).toBeGreaterThan(0);

    const labelled = await patchInstance(name, { metadata: { labels: { tier: 'gold' } } });
    expect(labelled.metadata.generation).toBe(1);
    const rv = labelled.metadata.resourceVersion;
    const skip = await eventually(
      () => {
        const line = op
          .logs()
          .find(
            (l) =>
              l['msg'] === 'Skipping update due to unchanged generation' &&
              l['name'] === name &&
              l['resourceVersion'] === rv,
          );
        if (!line) throw new Error('no skip line for the label change yet');
        return line;
      },
      { timeoutMs: 15_000, description: 'skip log line' },
    );
    expect(skip).toMatchObject({ level: 'debug', namespace: ns, generation: 1 });
    // The update was dropped by the watch handler: nothing was enqueued, nothing reconciled.
    expect(op.operator.manager.queue.stats()).toMatchObject({ ready: 0, running: 0 });
    expect(countOf(name)).toBe(before);
    const inst = await getInstance(kind, name, ns);
    expect(inst.metadata.labels).toMatchObject({ tier: 'gold' });
    expect(statusOf(inst)['observedGeneration']).toBe(1);

    // A spec change moves the generation and is reconciled at once.
    const changed = await patchInstance(name, { spec: { value: 'two' } });
    expect(changed.metadata.generation).toBe(2);
    const after = await untilActive(name, 2);
    expect(statusOf(after)['seen']).toBe('two');
    expect(countOf(name)).toBeGreaterThan(before);
    const kube = await getKube();
    expect((await kube.resources.get(cmRef(name)))['data']).toEqual({ value: 'two' });
  });

  it("reverts a hand edit of a child's owned field through the child watch (no requeue interval)", async () => {
    const name = 'drift';
    await createInstance(kind, { name, namespace: ns, spec: { value: 'desired' } });
    await untilActive(name, 1);
    const before = await untilQuiet(name);
    const kube = await getKube();
    await kube.resources.mergePatch(cmRef(name), { data: { value: 'hand-edited' } });
    await eventually(
      async () => expect((await kube.resources.get(cmRef(name)))['data']).toEqual({ value: 'desired' }),
      { timeoutMs: 15_000, description: 'child reverted' },
    );
    expect(countOf(name)).toBeGreaterThan(before);

    // A deleted child is re-created the same way.
    await kube.resources.delete(cmRef(name));
    await eventually(
      async () => {
        const cm = await kube.resources.tryGet(cmRef(name));
        expect(cm?.metadata.deletionTimestamp).toBeUndefined();
        expect(cm?.['data']).toEqual({ value: 'desired' });
      },
      { timeoutMs: 15_000, description: 'child re-created' },
    );
  });

  it('stops applying while suspended (ReconciliationSuspended) and resumes when the annotation goes', async () => {
    const name = 'susp';
    await createInstance(kind, { name, namespace: ns, spec: { value: 'v1' } });
    await untilActive(name, 1);

    await patchInstance(name, { metadata: { annotations: { 'kro.run/reconcile': 'Suspended' } } });
    await untilInstance(
      { kind, name, namespace: ns },
      (i) => {
        expect(statusOf(i)['state']).toBe('IN_PROGRESS');
        expect(conditionOf(i, 'ResourcesReady')).toMatchObject({
          status: 'False',
          reason: 'ReconciliationSuspended',
          message: 'reconciliation suspended via kro.run/reconcile annotation',
        });
        expect(conditionOf(i, 'Ready')).toMatchObject({ status: 'False' });
        // User status fields keep their last values while suspended.
        expect(statusOf(i)['seen']).toBe('v1');
      },
      'suspended',
    );

    // A spec change while suspended is reconciled (status describes generation 2) but not applied.
    await patchInstance(name, { spec: { value: 'v2' } });
    await untilInstance(
      { kind, name, namespace: ns },
      (i) => {
        expect(statusOf(i)['observedGeneration']).toBe(2);
        expect(conditionOf(i, 'ResourcesReady')).toMatchObject({ reason: 'ReconciliationSuspended' });
      },
      'suspended at generation 2',
    );
    const kube = await getKube();
    expect((await kube.resources.get(cmRef(name)))['data']).toEqual({ value: 'v1' });

    // Removing the annotation (no generation change) triggers a reconcile that applies v2.
    await patchInstance(name, { metadata: { annotations: { 'kro.run/reconcile': null } } });
    const resumed = await untilActive(name, 2);
    expect(statusOf(resumed)['seen']).toBe('v2');
    expect((await kube.resources.get(cmRef(name)))['data']).toEqual({ value: 'v2' });
  });
});
