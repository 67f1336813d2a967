// --allow-crd-deletion: instances are drained (through the instance controller) before the CRD
// is deleted and the finalizer removed. Also: instances of a registered kind are reconciled.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, getKube, uniqueGroup } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import { createRgd, deleteCrdAfter, getCrd, getRgd, listEvents, rgdObject, RGD_REF } from './helpers.js';

let op: TestOperator;

beforeAll(async () => {
  op = await startTestOperator({ flags: ['--allow-crd-deletion'] });
});

describe('RGD deletion with --allow-crd-deletion', () => {
  it('deletes instances first, then the CRD, then releases the RGD', async () => {
    const group = uniqueGroup('drain');
    const crdName = `apps.${group}`;
    deleteCrdAfter(crdName);
    const ns = await createTestNamespace('drain');
    const name = await createRgd(rgdObject({ labels: op.labels(), group }));
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
    });
    const kube = await getKube();
    const instance = { apiVersion: `${group}/v1alpha1`, kind: 'App', namespace: ns, name: 'one' };
    await kube.resources.create({
      apiVersion: instance.apiVersion,
      kind: instance.kind,
      metadata: { name: instance.name, namespace: ns },
      spec: { name: 'hello' },
    });
    const cmRef = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'one-cm' };
    await eventually(
      async () => expect((await kube.resources.get(cmRef))['data']).toEqual({ name: 'hello' }),
      {
        timeoutMs: 30_000,
        description: 'instance reconciled',
      },
    );

    await kube.resources.delete({ ...RGD_REF, name });
    await eventually(async () => expect(await kube.resources.tryGet({ ...RGD_REF, name })).toBeUndefined(), {
      timeoutMs: 45_000,
      description: 'RGD finalized',
    });
    expect(
      await kube.resources.tryGet(cmRef).then((c) => c?.metadata.deletionTimestamp ?? c),
    ).toBeUndefined();
    // The operator's part is the DELETE; the API server then finishes the CRD's own cleanup
    // finalizer, which can take a while on a loaded machine: deleted or terminating both count.
    await eventually(
      async () => {
        const crd = await getCrd(crdName);
        expect(crd === undefined || crd.metadata?.deletionTimestamp !== undefined).toBe(true);
      },
      { timeoutMs: 30_000, description: 'CRD deleted' },
    );
    await eventually(
      async () => expect((await listEvents(name)).map((e) => e['reason'])).toContain('CRDDeleted'),
      {
        timeoutMs: 15_000,
      },
    );
  });
});
