// Restarts: the graph lives in memory and its accepted specs in GraphRevisions. An unchanged spec
// keeps its revision number; an RGD whose spec became invalid while no operator ran is served
// from its newest GraphRevision; with no revision left there is no graph to serve, and its
// instances say so until the RGD is accepted again.

import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/api/rgd.js';
import { createTestNamespace, eventually, getKube, uniqueGroup } from '../../harness/index.js';
import { startTestOperator } from '../operator.js';
import { condition, createRgd, deleteCrdAfter, getRgd, rgdObject, RGD_REF } from './helpers.js';

describe('operator restart', () => {
  it('keeps the revision of an unchanged spec, serves the last revision, reports a missing graph', async () => {
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
    const third = await startTestOperator({ id: first.id });
    const rgd = await eventually(
      async () => {
        const r = await getRgd(name);
        expect(condition(r, 'GraphAccepted')).toMatchObject({
          status: 'False',
          observedGeneration: r.metadata.generation,
        });
        expect(condition(r, 'GraphRevisionsResolved')?.message).toBe('revision 1 compiled and active');
        return r;
      },
      { timeoutMs: 30_000, description: 'rejected after restart' },
    );
    expect(rgd.status?.lastIssuedRevision).toBe(1);
    // The newest revision serves: an instance edit is applied with revision 1's template.
    await kube.resources.mergePatch(instance, { spec: { name: 'b' } });
    await eventually(
      async () => {
        const cm = await kube.resources.tryGet({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: ns,
          name: 'one-cm',
        });
        expect((cm?.['data'] as Record<string, string> | undefined)?.['name']).toBe('b');
        const obj = await kube.resources.get(instance);
        const status = obj['status'] as { state?: string; conditions?: Condition[] } | undefined;
        expect(status?.state).toBe('ACTIVE');
        // The instance says which revision serves it and why the newer spec was refused.
        expect(status?.conditions?.find((c) => c.type === 'GraphCurrent')).toMatchObject({
          status: 'False',
          reason: 'NewerSpecRejected',
          message: `generation ${String(rgd.metadata.generation)} of ResourceGraphDefinition ${name} was rejected; still served from revision 1 of ResourceGraphDefinition ${name} (GraphRevision ${name}-r00001, RGD generation 1): ${condition(rgd, 'GraphAccepted')?.message ?? ''}`,
        });
      },
      { timeoutMs: 30_000, description: 'instance served from revision 1 after restart' },
    );
    await third.stop();

    // Without any GraphRevision there is nothing to serve.
    await kube.resources.delete({
      apiVersion: 'internal.kro.run/v1alpha1',
      kind: 'GraphRevision',
      name: `${name}-r00001`,
    });
    await startTestOperator({ id: first.id });
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
