// The user's FrontendAppV2 end to end through the whole operator: the RGD becomes Active with its
// CRD; an instance creates the ConfigMap, Deployment and Service with rendered values; it is
// ACTIVE with Ready=True once the Deployment is available (the test plays the kubelet, the real
// deployment controller reports availability); a tag bump updates the image in the reconcile
// that observes the new generation; deleting the instance removes the Deployment before the
// ConfigMap and the Service (reverse topological order by apply waves).

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { Informer } from '../../../src/kube/index.js';
import { createTestNamespace, eventually, getKube, registerCleanup } from '../../harness/index.js';
import { loadRgd } from '../instance/env.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import { getCrd } from '../rgd/helpers.js';
import type { KindRef } from './helpers.js';
import {
  conditionOf,
  createInstance,
  createActiveRgd,
  instanceRef,
  nodeEntry,
  statusOf,
  untilInstance,
} from './helpers.js';

let op: TestOperator;
let kind: KindRef;
let ns: string;

beforeAll(async () => {
  op = await startTestOperator();
  const fixture = loadRgd('frontend-app-v2.yaml');
  kind = await createActiveRgd(op, {
    kind: fixture.spec.schema.kind,
    spec: fixture.spec.schema.spec as Record<string, unknown>,
    resources: fixture.spec.resources as unknown[],
  });
  ns = await createTestNamespace('op-frontend');
});

const values = (tag: string) => ({
  configMap: { data: { API_HTTP_URL: 'http://api.example' } },
  deployment: { image: 'nginx', tag },
  service: {},
});

const child = (apiVersion: string, k: string, name: string) => ({ apiVersion, kind: k, name, namespace: ns });
const CM = () => child('v1', 'ConfigMap', 'shop-app-config');
const DEPLOY = () => child('apps/v1', 'Deployment', 'shop-app');
const SVC = () => child('v1', 'Service', 'shop-app');

function imageOf(dep: KubeObject): string | undefined {
  return (dep['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec
    .containers[0]?.image;
}

/** Plays the kubelet: the Deployment's pods become Running and Ready. */
async function markPodsReady(app: string): Promise<void> {
  const kube = await getKube();
  const pods = await kube.resources.list({
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: ns,
    labelSelector: `app=${app}`,
  });
  if (pods.items.length === 0) throw new Error('no pods yet');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const p of pods.items) {
    await kube.resources.mergePatchStatus(
      { apiVersion: 'v1', kind: 'Pod', name: p.metadata.name ?? '', namespace: ns },
      {
        status: {
          phase: 'Running',
          conditions: [
            { type: 'Ready', status: 'True', lastTransitionTime: now },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
          ],
        },
      },
    );
  }
}

/** Records when each child kind's object goes away (DELETED watch events, in arrival order). */
async function recordDeletions(): Promise<string[]> {
  const kube = await getKube();
  const order: string[] = [];
  for (const [group, resource, label] of [
    ['', 'configmaps', 'ConfigMap'],
    ['apps', 'deployments', 'Deployment'],
    ['', 'services', 'Service'],
  ] as const) {
    const informer = new Informer(kube.resources, {
      target: { group, version: 'v1', resource },
      namespace: ns,
      metadataOnly: true,
    });
    informer.addHandlers({
      onDelete: (o) => {
        if (o.metadata.name === 'shop-app' || o.metadata.name === 'shop-app-config') order.push(label);
      },
    });
    informer.start();
    registerCleanup(() => informer.stop());
    await informer.waitForSync();
  }
  return order;
}

describe('FrontendAppV2 through the operator', () => {
  it('is served, creates its resources, becomes ACTIVE, updates the tag and deletes in reverse order', async () => {
    const crd = await getCrd(`${kind.plural}.${kind.group}`);
    expect(crd?.metadata.labels).toMatchObject({ 'kro.run/resource-graph-definition-name': kind.rgdName });

    const name = 'shop';
    await createInstance(kind, {
      name,
      namespace: ns,
      spec: { name: 'shop-app', namespace: ns, values: values('1.27') },
    });
    const kube = await getKube();
    await eventually(
      async () => {
        expect((await kube.resources.get(CM()))['data']).toEqual({
          API_HTTP_URL: 'http://api.example',
          TIME_ZONE: 'XXX/XXX',
        });
        const dep = await kube.resources.get(DEPLOY());
        expect(dep).toMatchObject({
          spec: {
            replicas: 1,
            template: {
              spec: {
                containers: [
                  {
                    image: 'nginx:1.27',
                    ports: [{ containerPort: 3000 }],
                    envFrom: [{ configMapRef: { name: 'shop-app-config' } }],
                  },
                ],
              },
            },
          },
          metadata: { labels: { 'kro.run/node-id': 'deployment', 'kro.run/instance-name': name } },
        });
        expect(dep.metadata.ownerReferences?.[0]).toMatchObject({ kind: kind.kind, name, controller: true });
        expect(await kube.resources.get(SVC())).toMatchObject({
          spec: { ports: [{ port: 3000, targetPort: 3000 }] },
        });
      },
      { timeoutMs: 30_000, description: 'children rendered' },
    );
    // Without available pods the Deployment waits.
    const waiting = await untilInstance(
      { kind, name, namespace: ns },
      (i) => expect(nodeEntry(i, 'deployment')?.['state']).toBe('WAITING_FOR_READINESS'),
      'deployment waiting',
    );
    expect(statusOf(waiting)['state']).toBe('IN_PROGRESS');

    await eventually(() => markPodsReady('shop-app'), {
      timeoutMs: 30_000,
      description: 'pods marked ready',
    });
    await untilInstance(
      { kind, name, namespace: ns },
      (i) => {
        expect(statusOf(i)['state']).toBe('ACTIVE');
        expect(conditionOf(i, 'Ready')).toMatchObject({ status: 'True' });
        expect(statusOf(i)['observedGeneration']).toBe(1);
      },
      'ACTIVE',
    );

    // Tag bump: the reconcile that reports generation 2 has applied the new image.
    await kube.resources.mergePatch(instanceRef(kind, name, ns), {
      spec: { values: { deployment: { tag: '1.28' } } },
    });
    await eventually(
      async () => {
        const inst = await kube.resources.get(instanceRef(kind, name, ns));
        if (statusOf(inst)['observedGeneration'] !== 2) throw new Error('generation 2 not observed yet');
      },
      { timeoutMs: 30_000, intervalMs: 50, description: 'generation 2 observed' },
    );
    expect(imageOf(await kube.resources.get(DEPLOY()))).toBe('nginx:1.28');

    // Deletion in reverse topological order: the Deployment (it reads the ConfigMap) and the
    // independent Service share the last apply wave and go first, concurrently; the ConfigMap
    // goes only after both are gone.
    const deletions = await recordDeletions();
    await kube.resources.delete(instanceRef(kind, name, ns));
    await eventually(
      async () => {
        expect(await kube.resources.tryGet(instanceRef(kind, name, ns))).toBeUndefined();
        expect(new Set(deletions)).toEqual(new Set(['ConfigMap', 'Deployment', 'Service']));
      },
      { timeoutMs: 60_000, description: 'instance and children deleted' },
    );
    expect(deletions[2]).toBe('ConfigMap');
    expect(new Set(deletions.slice(0, 2))).toEqual(new Set(['Deployment', 'Service']));
  });
});
