// Restarts: the graph lives in memory. An unchanged spec keeps its revision number; an RGD whose
// spec became invalid while no operator ran has no graph to serve, and its instances say so
// until the RGD is accepted again.

import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/api/rgd.js';
import { createTestNamespace, eventually, getKube, uniqueGroup } from '../../harness/index.js';
import { startTestOperator } from '../operator.js';
import { condition, createRgd, deleteCrdAfter, getRgd, rgdObject, RGD_REF } from './helpers.js';

describe('operator restart', () => {
  it('keeps the revision of an unchanged spec and reports a missing graph on instances', async () => {
    const group = uniqueGroup('restart');
    deleteCrdAfter(`apps.${group}`);
    const ns = await createTestNamespace('restart');
    const first = await startTestOperator();
    const name = await createRgd(rgdObject({ labels: first.labels(), group }));
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
    });
    const kube = await getKube();
    const instance = { apiVersion: `${group}/v1alpha1`, kind: 'App', namespace: ns, name: 'one' };
    await kube.resources.create({
      ...instance,
      metadata: { name: 'one', namespace: ns },
      spec: { name: 'a' },
    });
    await first.stop();

    const second = await startTestOperator({ id: first.id });
    const gvrKey = `${group}/v1alpha1/apps`;
    await eventually(() => expect(second.operator.manager.isRegistered(gvrKey)).toBe(true), {
      timeoutMs: 30_000,
    });
    expect((await getRgd(name)).status?.lastIssuedRevision).toBe(1);
    await second.stop();

    await kube.resources.mergePatch(
      { ...RGD_REF, name },
      {
        spec: {
          resources: [
            { id: 'cm', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${nope}' } } },
          ],
        },
      },
    );
    await startTestOperator({ id: first.id });
    const rgd = await eventually(
      async () => {
        const r = await getRgd(name);
        expect(condition(r, 'GraphAccepted')).toMatchObject({
          status: 'False',
          observedGeneration: r.metadata.generation,
        });
        return r;
      },
      { timeoutMs: 30_000, description: 'rejected after restart' },
    );
    const buildError = condition(rgd, 'GraphAccepted')?.message ?? '';
    await eventually(
      async () => {
        const obj = await kube.resources.get(instance);
        const status = obj['status'] as { conditions?: Condition[]; state?: string } | undefined;
        const resolved = status?.conditions?.find((c) => c.type === 'GraphResolved');
        expect(resolved).toMatchObject({
          status: 'False',
          reason: 'ResolutionFailed',
          message: `no accepted graph for ResourceGraphDefinition "${name}": ${buildError}`,
        });
        expect(status?.state).toBe('ERROR');
      },
      { timeoutMs: 30_000, description: 'instance reports the missing graph' },
    );
  });
});
