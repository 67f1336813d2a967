// Rejected RGDs: every issue in the GraphAccepted message; an invalid update keeps the last good
// graph serving and the CRD untouched.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ResourceGraphDefinition } from '../../../src/api/rgd.js';
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

async function rejected(name: string): Promise<ResourceGraphDefinition> {
  return eventually(
    async () => {
      const r = await getRgd(name);
      expect(condition(r, 'GraphAccepted')?.status).toBe('False');
      return r;
    },
    { timeoutMs: 30_000, description: 'GraphAccepted=False' },
  );
}

const deployment = (replicas: string) => ({
  id: 'deploy',
  template: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: '${schema.metadata.name}' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  },
});

describe('invalid RGDs', () => {
  it('rejects a string expression in an integer field, naming resource, path and expression', async () => {
    const group = uniqueGroup('int');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(
      rgdObject({ labels: op.labels(), group, resources: [deployment('${schema.spec.name}')] }),
    );
    const rgd = await rejected(name);
    const c = condition(rgd, 'GraphAccepted');
    expect(c?.reason).toBe('InvalidResourceGraph');
    expect(c?.message).toContain('deploy');
    expect(c?.message).toContain('spec.replicas');
    expect(c?.message).toContain('schema.spec.name');
    expect(rgd.status?.state).toBe('Inactive');
    expect(rgd.status?.topologicalOrder).toBeUndefined();
    expect(condition(rgd, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidResourceGraph' });
    expect(await getCrd(`apps.${group}`)).toBeUndefined();
    await eventually(
      async () => {
        const ev = (await listEvents(name)).find((e) => e['reason'] === 'GraphRejected');
        expect(ev?.['type']).toBe('Warning');
        expect(ev?.['message']).toBe(c?.message);
      },
      { timeoutMs: 15_000, description: 'GraphRejected event' },
    );
  });

  it('lists every issue of an RGD with several errors', async () => {
    const group = uniqueGroup('multi');
    const name = await createRgd(
      rgdObject({
        labels: op.labels(),
        group,
        resources: [
          deployment('${schema.spec.name}'),
          {
            id: 'cm',
            template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${nope.metadata.name}' } },
          },
          { id: 'Bad_Id', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } },
        ],
      }),
    );
    const message = condition(await rejected(name), 'GraphAccepted')?.message ?? '';
    expect(message).toContain('spec.replicas');
    expect(message).toContain('nope');
    expect(message).toContain(
      'naming convention violation: id Bad_Id is not a valid KRO resource id: must be lower camelCase',
    );
    expect(message.split('\n').length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the last good graph serving after an invalid update', async () => {
    const group = uniqueGroup('keep');
    const crdName = `apps.${group}`;
    deleteCrdAfter(crdName);
    const name = await createRgd(rgdObject({ labels: op.labels(), group }));
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 30_000,
    });
    const crdBefore = await getCrd(crdName);
    const gvrKey = `${group}/v1alpha1/apps`;
    const servedBefore = op.operator.manager.registry.lookup(gvrKey);
    expect(servedBefore?.kind).toBe('served');

    const kube = await getKube();
    await kube.resources.mergePatch(
      { ...RGD_REF, name },
      { spec: { resources: [deployment('${schema.spec.name}')] } },
    );
    const rgd = await eventually(
      async () => {
        const r = await getRgd(name);
        expect(condition(r, 'GraphAccepted')?.status).toBe('False');
        expect(condition(r, 'GraphAccepted')?.observedGeneration).toBe(r.metadata.generation);
        return r;
      },
      { timeoutMs: 30_000, description: 'invalid update rejected' },
    );
    expect(rgd.status?.state).toBe('Inactive');
    expect(rgd.status?.topologicalOrder).toBeUndefined();
    expect(rgd.status?.resources).toBeUndefined();
    expect(condition(rgd, 'KindReady')?.status).toBe('True');
    expect(condition(rgd, 'ControllerReady')?.status).toBe('True');
    expect(condition(rgd, 'Ready')?.status).toBe('False');
    expect((await getCrd(crdName))?.metadata.resourceVersion).toBe(crdBefore?.metadata.resourceVersion);
    // The same compiled graph and revision keep serving; the entry records the refused generation
    // (instances show it as GraphCurrent=False).
    const servedAfter = op.operator.manager.registry.lookup(gvrKey);
    if (servedBefore?.kind !== 'served' || servedAfter?.kind !== 'served') throw new Error('not served');
    expect(servedAfter.served.graph).toBe(servedBefore.served.graph);
    expect(servedAfter.served.revision).toBe(servedBefore.served.revision);
    expect(servedAfter.served.rejected).toEqual({
      generation: rgd.metadata.generation,
      message: condition(rgd, 'GraphAccepted')?.message,
    });
  });

  it('rebuilds a rejected RGD when the CRD it references is installed', async () => {
    const group = uniqueGroup('late');
    const widgets = uniqueGroup('widget');
    deleteCrdAfter(`apps.${group}`);
    deleteCrdAfter(`widgets.${widgets}`);
    const name = await createRgd(
      rgdObject({
        labels: op.labels(),
        group,
        resources: [
          {
            id: 'widget',
            template: {
              apiVersion: `${widgets}/v1`,
              kind: 'Widget',
              metadata: { name: '${schema.metadata.name}' },
              spec: { size: 1 },
            },
          },
        ],
      }),
    );
    expect(condition(await rejected(name), 'GraphAccepted')?.message).toContain('widget');
    const kube = await getKube();
    await kube.resources.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${widgets}` },
      spec: {
        group: widgets,
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    });
    await eventually(async () => expect((await getRgd(name)).status?.state).toBe('Active'), {
      timeoutMs: 45_000,
      description: 'RGD accepted once the CRD exists',
    });
  });
});
