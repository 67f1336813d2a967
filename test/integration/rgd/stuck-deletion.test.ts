// Issue 14, deletion that can hang: (1) an RGD deleted without --allow-crd-deletion keeps its CRD
// and instances; deleting such an instance afterwards must still delete its resources and remove
// its finalizer (it used to hang forever: nobody reconciled the kind any more). (2) The way out of
// a deletion that cannot finish: `kro.run/deletion-policy: orphan` on the instance leaves the
// children in place, released, and removes the finalizer.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestNamespace,
  eventually,
  getKube,
  registerCleanup,
  uniqueGroup,
} from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import { createRgd, deleteCrdAfter, getCrd, getRgd, rgdObject, RGD_REF } from './helpers.js';

let op: TestOperator;

beforeAll(async () => {
  op = await startTestOperator();
});

async function activeRgdWithInstance(prefix: string) {
  const group = uniqueGroup(prefix);
  deleteCrdAfter(`apps.${group}`);
  const ns = await createTestNamespace(prefix);
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
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'one-cm' };
  await eventually(async () => expect((await kube.resources.get(cm))['data']).toEqual({ name: 'hello' }), {
    timeoutMs: 30_000,
    description: 'instance reconciled',
  });
  return { kube, group, ns, rgd: name, instance, cm };
}

describe('deletions that used to hang', () => {
  it('an instance of a deleted RGD (CRD kept) is still deleted with its resources', async () => {
    const { kube, group, rgd, instance, cm } = await activeRgdWithInstance('strand');
    await kube.resources.delete({ ...RGD_REF, name: rgd });
    await eventually(
      async () => expect(await kube.resources.tryGet({ ...RGD_REF, name: rgd })).toBeUndefined(),
      {
        timeoutMs: 45_000,
        description: 'RGD finalized',
      },
    );
    expect(await getCrd(`apps.${group}`)).toBeDefined();
    expect((await kube.resources.get(instance)).metadata.finalizers).toContain('kro.run/finalizer');
    // The CM must not be deleted by the garbage collector behind the operator's back: the
    // operator deletes it (ordered deletion), then removes the finalizer.
    await kube.resources.delete(instance);
    await eventually(async () => expect(await kube.resources.tryGet(instance)).toBeUndefined(), {
      timeoutMs: 45_000,
      description: 'instance finalized',
    });
    await eventually(
      async () =>
        expect(
          await kube.resources.tryGet(cm).then((c) => c?.metadata.deletionTimestamp ?? c),
        ).toBeUndefined(),
      { timeoutMs: 30_000, description: 'child deleted' },
    );
  });

  it('kro.run/deletion-policy: orphan releases the children and removes the finalizer of a stuck deletion', async () => {
    const { kube, instance, cm } = await activeRgdWithInstance('orphan');
    // Someone else's finalizer on the child: the ordered deletion waits for it forever.
    const hold = 'kro-ts.test/hold';
    await kube.resources.mergePatch(cm, { metadata: { finalizers: [hold] } });
    registerCleanup(() =>
      kube.resources.mergePatch(cm, { metadata: { finalizers: null } }).catch(() => undefined),
    );
    await kube.resources.delete(instance);
    await eventually(
      async () => {
        const c = await kube.resources.get(cm);
        expect(c.metadata.deletionTimestamp).toBeDefined();
        const i = await kube.resources.get(instance);
        expect(JSON.stringify(i['status'])).toContain('held by finalizers: kro-ts.test/hold');
      },
      { timeoutMs: 30_000, description: 'deletion stuck on the held child' },
    );
    await kube.resources.mergePatch(instance, {
      metadata: { annotations: { 'kro.run/deletion-policy': 'orphan' } },
    });
    await eventually(async () => expect(await kube.resources.tryGet(instance)).toBeUndefined(), {
      timeoutMs: 30_000,
      description: 'instance finalized after the orphan annotation',
    });
    const left = await kube.resources.get(cm);
    expect(left.metadata.ownerReferences ?? []).toEqual([]);
    expect(left.metadata.labels?.['applyset.kubernetes.io/part-of']).toBeUndefined();
    expect(left.metadata.finalizers).toEqual([hold]);
  });
});
