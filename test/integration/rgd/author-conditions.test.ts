// Author-defined conditions (kro v0.9.4): when an RGD declares status.conditions, the instance's
// status.conditions holds exactly the author's conditions (kro's built-ins are not written, but
// still decide `state` and can be read with runtime.condition(schema, …)); an expression that
// fails turns the state to ERROR and keeps the other conditions; removing the block brings the
// built-ins back.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/api/rgd.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace, eventually, getKube, uniqueGroup } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import { createRgd, deleteCrdAfter, getRgd, rgdObject, RGD_REF } from './helpers.js';

let op: TestOperator;

beforeAll(async () => {
  op = await startTestOperator();
});

const CONFIG_READY =
  "${runtime.newCondition({type: 'ConfigReady', status: cm.data.ready == 'yes' ? 'True' : 'False', reason: 'Checked', message: 'configmap ' + cm.metadata.name})}";
const MIRROR =
  "${runtime.newCondition({type: 'KroReady', status: runtime.condition(schema, 'Ready').status})}";

const cm = {
  id: 'cm',
  template: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: '${schema.metadata.name}' },
    data: { ready: '${schema.spec.ready}' },
  },
};

interface InstanceStatus {
  state?: string;
  conditions?: Condition[];
}

describe('author-defined conditions', () => {
  it('replace the built-in conditions on instances', async () => {
    const group = uniqueGroup('cond');
    deleteCrdAfter(`apps.${group}`);
    const ns = await createTestNamespace('cond');
    const name = await createRgd(
      rgdObject({
        labels: op.labels(),
        group,
        spec: { ready: 'string | default=no' },
        status: { conditions: [CONFIG_READY, MIRROR] },
        resources: [cm],
      }),
    );
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
      description: 'RGD Active',
    });
    const kube = await getKube();
    const instance = { apiVersion: `${group}/v1alpha1`, kind: 'App', namespace: ns, name: 'one' };
    await kube.resources.create({
      ...instance,
      metadata: { name: 'one', namespace: ns },
      spec: {},
    } as KubeObject);
    const status = async (): Promise<InstanceStatus> =>
      ((await kube.resources.get(instance))['status'] ?? {}) as InstanceStatus;

    const first = await eventually(
      async () => {
        const s = await status();
        expect(s.state).toBe('ACTIVE');
        expect(s.conditions?.map((c) => [c.type, c.status])).toEqual([
          ['ConfigReady', 'False'],
          ['KroReady', 'True'],
        ]);
        return s;
      },
      { timeoutMs: 30_000, description: 'author conditions written' },
    );
    const generation = (await kube.resources.get(instance)).metadata.generation;
    expect(first.conditions?.[0]).toMatchObject({
      reason: 'Checked',
      message: 'configmap one',
      observedGeneration: generation,
    });
    expect(first.conditions?.[0]?.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u);
    // Empty reason and message are left out, as kro writes them.
    expect(first.conditions?.[1]).not.toHaveProperty('reason');
    expect(first.conditions?.[1]).not.toHaveProperty('message');

    await kube.resources.mergePatch(instance, { spec: { ready: 'yes' } });
    await eventually(
      async () => {
        const s = await status();
        expect(s.conditions?.find((c) => c.type === 'ConfigReady')?.status).toBe('True');
        expect(s.conditions?.find((c) => c.type === 'KroReady')?.lastTransitionTime).toBe(
          first.conditions?.[1]?.lastTransitionTime,
        );
      },
      { timeoutMs: 30_000, description: 'ConfigReady follows the child' },
    );

    // A failing expression: state ERROR, the others still written.
    await kube.resources.mergePatch(
      { ...RGD_REF, name },
      {
        spec: {
          schema: {
            status: {
              conditions: [
                CONFIG_READY,
                "${runtime.newCondition({type: 'Broken', status: string(int(cm.data.ready))})}",
              ],
            },
          },
        },
      },
    );
    await eventually(
      async () => {
        const s = await status();
        expect(s.state).toBe('ERROR');
        expect(s.conditions?.map((c) => c.type)).toEqual(['ConfigReady', 'KroReady']);
      },
      { timeoutMs: 30_000, description: 'degraded conditions' },
    );

    // Without a conditions block, kro's built-ins come back (with kro-ts's kstatus and
    // GraphCurrent conditions, README "GitOps") and the author's go.
    await kube.resources.mergePatch({ ...RGD_REF, name }, { spec: { schema: { status: null } } });
    await eventually(
      async () => {
        const s = await status();
        expect(s.state).toBe('ACTIVE');
        expect(new Set(s.conditions?.map((c) => c.type))).toEqual(
          new Set([
            'InstanceManaged',
            'GraphResolved',
            'ResourcesReady',
            'Ready',
            'Reconciling',
            'Stalled',
            'GraphCurrent',
          ]),
        );
      },
      { timeoutMs: 30_000, description: 'built-ins back' },
    );
  });

  it('rejects an RGD whose condition reads an unknown type from schema', async () => {
    const group = uniqueGroup('condbad');
    const name = await createRgd(
      rgdObject({
        labels: op.labels(),
        group,
        status: {
          conditions: [
            "${runtime.newCondition({type: 'A', status: runtime.condition(schema, 'Redy').status})}",
          ],
        },
      }),
    );
    await eventually(
      async () => {
        const c = (await getRgd(name)).status?.conditions?.find((x) => x.type === 'GraphAccepted');
        expect(c?.status).toBe('False');
        expect(c?.message).toContain('runtime.condition(schema, "Redy"): unknown condition type');
      },
      { timeoutMs: 30_000, description: 'rejected' },
    );
  });
});
