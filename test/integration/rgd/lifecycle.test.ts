// An RGD becomes Active and its CRD appears; events are written; deleting the RGD keeps the CRD.

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

describe('RGD lifecycle', () => {
  it('becomes Active with its CRD, status fields and events', async () => {
    const group = uniqueGroup('life');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(
      rgdObject({
        labels: op.labels(),
        group,
        spec: { name: 'string', replicas: 'integer | default=2' },
        status: { cmName: '${cm.metadata.name}' },
        resources: [
          {
            id: 'cm',
            template: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: '${schema.metadata.name}' },
              data: { a: '${schema.spec.name}' },
            },
          },
          {
            id: 'other',
            template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${cm.metadata.name}-2' } },
          },
        ],
      }),
    );
    const rgd = await eventually(
      async () => {
        const r = await getRgd(name);
        expect(r.status?.state).toBe('Active');
        return r;
      },
      { timeoutMs: 30_000, description: 'RGD Active' },
    );
    expect(rgd.metadata.finalizers).toContain('kro.run/finalizer');
    expect(rgd.status?.topologicalOrder).toEqual(['cm', 'other']);
    expect(rgd.status?.resources).toEqual([{ id: 'other', dependencies: [{ id: 'cm' }] }]);
    expect(rgd.status?.lastIssuedRevision).toBe(1);
    const types = rgd.status?.conditions?.map((c) => [c.type, c.status]);
    expect(types?.at(-1)).toEqual(['Ready', 'True']);
    expect(new Set(types)).toEqual(
      new Set([
        ['GraphRevisionsResolved', 'True'],
        ['GraphAccepted', 'True'],
        ['KindReady', 'True'],
        ['ControllerReady', 'True'],
        ['Ready', 'True'],
      ]),
    );
    expect(condition(rgd, 'KindReady')?.message).toBe('kind App has been accepted and ready');
    expect(condition(rgd, 'GraphRevisionsResolved')?.message).toBe('revision 1 compiled and active');
    for (const c of rgd.status?.conditions ?? []) expect(c.observedGeneration).toBe(rgd.metadata.generation);

    const crd = await getCrd(`apps.${group}`);
    expect(crd?.metadata.labels).toMatchObject({
      'kro.run/owned': 'true',
      'kro.run/resource-graph-definition-name': name,
    });
    const spec = crd?.['spec'] as {
      scope: string;
      names: { kind: string; plural: string };
      versions: {
        name: string;
        schema: { openAPIV3Schema: { properties: Record<string, { properties?: Record<string, unknown> }> } };
      }[];
    };
    expect(spec.scope).toBe('Namespaced');
    expect(spec.names).toMatchObject({ kind: 'App', plural: 'apps' });
    const props = spec.versions[0]?.schema.openAPIV3Schema.properties;
    expect(props?.['spec']?.properties?.['replicas']).toEqual({ type: 'integer', default: 2 });
    expect(Object.keys(props?.['status']?.properties ?? {})).toEqual(
      expect.arrayContaining(['cmName', 'state', 'conditions']),
    );

    await eventually(
      async () => {
        const reasons = (await listEvents(name)).map((e) => e['reason']);
        expect(reasons).toEqual(expect.arrayContaining(['GraphAccepted', 'CRDCreated']));
      },
      { timeoutMs: 15_000, description: 'RGD events' },
    );
  });

  it('keeps the CRD when the RGD is deleted (default) and removes the finalizer', async () => {
    const group = uniqueGroup('del');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(rgdObject({ labels: op.labels(), group }));
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
    });
    const kube = await getKube();
    await kube.resources.delete({ ...RGD_REF, name });
    await eventually(async () => expect(await kube.resources.tryGet({ ...RGD_REF, name })).toBeUndefined(), {
      timeoutMs: 20_000,
      description: 'RGD gone',
    });
    expect(await getCrd(`apps.${group}`)).toBeDefined();
    // The kind no longer serves a graph; its instances stay watched only so their deletions
    // still finish (Manager.retainForDeletion: the CRD was kept).
    const entry = op.operator.manager.registry.lookup(`${group}/v1alpha1/apps`);
    expect(entry?.kind).not.toBe('served');
    expect(entry).toMatchObject({ kind: 'unavailable', orphaned: true });
  });

  it('re-creates a hand-deleted CRD', async () => {
    const group = uniqueGroup('restore');
    const crdName = `apps.${group}`;
    deleteCrdAfter(crdName);
    const name = await createRgd(rgdObject({ labels: op.labels(), group }));
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
    });
    const before = await getCrd(crdName);
    const kube = await getKube();
    await kube.resources.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: crdName,
    });
    await eventually(
      async () => {
        const crd = await getCrd(crdName);
        expect(crd).toBeDefined();
        expect(crd?.metadata.uid).not.toBe(before?.metadata.uid);
        expect(crd?.metadata.deletionTimestamp).toBeUndefined();
      },
      { timeoutMs: 40_000, description: 'CRD re-created' },
    );
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
    });
  });
});
