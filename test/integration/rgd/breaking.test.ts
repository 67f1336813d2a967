// Breaking CRD changes are refused without kro.run/allow-breaking-changes and applied with it.

import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, getKube, uniqueGroup } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import {
  condition,
  createRgd,
  deleteCrdAfter,
  getCrd,
  getRgd,
  listEvents,
  rgdObject,
  RGD_REF,
} from './helpers.js';

let op: TestOperator;

beforeAll(async () => {
  op = await startTestOperator();
});

type CrdSpec = {
  versions: {
    schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
  }[];
};
const specProps = (crd: Record<string, unknown> | undefined): string[] =>
  Object.keys(
    (crd?.['spec'] as CrdSpec | undefined)?.versions[0]?.schema.openAPIV3Schema.properties.spec.properties ??
      {},
  );

describe('breaking CRD changes', () => {
  it('refuses a removed field without the annotation and applies it with the annotation', async () => {
    const group = uniqueGroup('brk');
    const crdName = `apps.${group}`;
    deleteCrdAfter(crdName);
    const name = await createRgd(
      rgdObject({ labels: op.labels(), group, spec: { name: 'string', size: 'integer' } }),
    );
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
    });
    expect(specProps(await getCrd(crdName))).toEqual(expect.arrayContaining(['name', 'size']));

    const kube = await getKube();
    await kube.resources.mergePatch({ ...RGD_REF, name }, { spec: { schema: { spec: { size: null } } } });
    const refused = await eventually(
      async () => {
        const r = await getRgd(name);
        expect(condition(r, 'KindReady')?.status).toBe('False');
        return r;
      },
      { timeoutMs: 30_000, description: 'KindReady=False' },
    );
    expect(condition(refused, 'KindReady')).toMatchObject({
      reason: 'Failed',
      message: `cannot update CRD ${crdName}: breaking changes detected: Property size was removed`,
    });
    expect(condition(refused, 'GraphAccepted')?.status).toBe('True');
    expect(refused.status?.state).toBe('Inactive');
    expect(specProps(await getCrd(crdName))).toContain('size');
    await eventually(
      async () => expect((await listEvents(name)).map((e) => e['reason'])).toContain('CRDUpdateRefused'),
      { timeoutMs: 15_000 },
    );

    await kube.resources.mergePatch(
      { ...RGD_REF, name },
      { metadata: { annotations: { 'kro.run/allow-breaking-changes': 'true' } } },
    );
    await eventually(
      async () => {
        const r = await getRgd(name);
        expect(r.status?.state).toBe('Active');
        expect(specProps(await getCrd(crdName))).not.toContain('size');
      },
      { timeoutMs: 30_000, description: 'breaking change applied' },
    );
    await eventually(
      async () => expect((await listEvents(name)).map((e) => e['reason'])).toContain('CRDUpdated'),
      { timeoutMs: 15_000 },
    );
  });

  it('refuses to take over a CRD that kro does not own (CRDConflict)', async () => {
    const group = uniqueGroup('own');
    const crdName = `apps.${group}`;
    deleteCrdAfter(crdName);
    const kube = await getKube();
    await kube.resources.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crdName },
      spec: {
        group,
        names: { kind: 'App', plural: 'apps', singular: 'app', listKind: 'AppList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    const name = await createRgd(rgdObject({ labels: op.labels(), group }));
    const rgd = await eventually(
      async () => {
        const r = await getRgd(name);
        expect(condition(r, 'KindReady')?.status).toBe('False');
        return r;
      },
      { timeoutMs: 30_000, description: 'KindReady=False' },
    );
    expect(condition(rgd, 'KindReady')?.message).toBe(
      `failed to update CRD ${crdName}: CRD already exists and is not owned by KRO`,
    );
    expect(rgd.status?.state).toBe('Inactive');
    await eventually(
      async () => expect((await listEvents(name)).map((e) => e['reason'])).toContain('CRDConflict'),
      { timeoutMs: 15_000 },
    );
  });
});
