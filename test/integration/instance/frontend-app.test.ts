// FrontendAppV2 end to end on the real API server: create, readiness through /status, update in
// one reconcile, deletion in reverse topological order.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace, eventually } from '../../harness/index.js';
import type { InstanceEnv } from './env.js';
import { staticWaves } from '../../../src/runtime/index.js';
import { conditionOf, loadRgd, startInstanceEnv, statusOf } from './env.js';

let env: InstanceEnv;
let ns: string;

beforeAll(async () => {
  env = await startInstanceEnv(loadRgd('frontend-app-v2.yaml'));
  ns = await createTestNamespace('inst-frontend');
});

function instanceBody(name: string, tag: string): KubeObject {
  return {
    ...env.ref(name, ns),
    metadata: { name, namespace: ns },
    spec: {
      name: `${name}-app`,
      namespace: ns,
      values: {
        configMap: { data: { API_HTTP_URL: 'http://api.example' } },
        deployment: { image: 'nginx', tag },
        service: {},
      },
    },
  } as KubeObject;
}

/**
 * Readiness without a kubelet: mark the Deployment's pods Running and Ready, so the real
 * deployment controller reports availableReplicas itself (patching the Deployment's /status
 * directly would be reverted by that controller).
 */
async function markPodsReady(app: string): Promise<void> {
  const pods = await env.kube.resources.list({
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: ns,
    labelSelector: `app=${app}`,
  });
  if (pods.items.length === 0) throw new Error('no pods yet');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const p of pods.items) {
    await env.kube.resources.mergePatchStatus(
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

describe('FrontendAppV2', () => {
  it('creates the three resources, becomes ACTIVE, updates the tag in one reconcile, and deletes in reverse order', async () => {
    const name = 'shop';
    await env.kube.resources.create(instanceBody(name, '1.27'));
    const key = env.key(name, ns);

    // First reconcile: configMap, deployment (waits for readiness), service in one reconcile.
    env.waves.length = 0;
    await env.reconcile(key);
    // The operator's waves are the ones `kro-ts graph` prints (and `kro-ts render` processes).
    expect(env.waves.map((w) => w.nodes)).toEqual(staticWaves(env.graph));
    expect(env.waves.map((w) => w.nodes)).toEqual([['configMap', 'service'], ['deployment']]);
    const cm = await env.kube.resources.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'shop-app-config',
      namespace: ns,
    });
    expect(cm['data']).toEqual({ API_HTTP_URL: 'http://api.example', TIME_ZONE: 'XXX/XXX' });
    const dep = await env.kube.resources.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'shop-app',
      namespace: ns,
    });
    expect(dep).toMatchObject({
      spec: {
        replicas: 1,
        template: { spec: { containers: [{ image: 'nginx:1.27', ports: [{ containerPort: 3000 }] }] } },
      },
      metadata: { labels: { 'kro.run/node-id': 'deployment', 'kro.run/instance-name': name } },
    });
    expect(dep.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'FrontendAppV2',
      name,
      controller: true,
    });
    // The service depends on nothing but the schema: applied in the same reconcile.
    const svc = await env.kube.resources.get({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'shop-app',
      namespace: ns,
    });
    expect(svc).toMatchObject({ spec: { ports: [{ port: 3000, targetPort: 3000 }] } });

    const inst = await env.get(name, ns);
    const st = statusOf(inst!);
    expect(st['state']).toBe('IN_PROGRESS');
    expect(st['observedGeneration']).toBe(1);
    expect(conditionOf(inst!, 'ResourcesReady')).toMatchObject({ status: 'False', reason: 'NotReady' });
    const mr = st['managedResources'] as Record<string, unknown>[];
    expect(mr.find((e) => e['id'] === 'deployment')).toMatchObject({
      state: 'WAITING_FOR_READINESS',
      reason: 'ReadyWhenPending',
    });
    expect(inst!.metadata.finalizers).toContain('kro.run/finalizer');
    expect(inst!.metadata.labels).toMatchObject({
      'kro.run/owned': 'true',
      'kro.run/resource-graph-definition-id': 'rgd-uid-1',
    });
    expect(inst!.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe(
      'ConfigMap,Deployment.apps,Service',
    );

    // Readiness: the test plays the kubelet; the deployment controller then reports availability.
    await eventually(() => markPodsReady('shop-app'), {
      timeoutMs: 30_000,
      description: 'pods marked ready',
    });
    await env.until(
      key,
      async (i) => {
        if (statusOf(i)['state'] !== 'ACTIVE') {
          throw new Error(
            `state ${String(statusOf(i)['state'])}: ${JSON.stringify(statusOf(i)['managedResources'])} ${JSON.stringify(conditionOf(i, 'Ready'))}`,
          );
        }
        expect(conditionOf(i, 'Ready')).toMatchObject({ status: 'True' });
      },
      'ACTIVE',
    );
    expect(env.eventMessages('ResourceCreated')).toEqual(
      expect.arrayContaining([`created Deployment ${ns}/shop-app (node deployment)`]),
    );

    // Changing the tag updates the image in one reconcile.
    const current = (await env.get(name, ns))!;
    await env.kube.resources.replace({
      ...current,
      spec: {
        ...(current['spec'] as object),
        values: { ...(instanceBody(name, '1.28')['spec'] as { values: object }).values },
      },
    } as KubeObject);
    await env.reconcile(key);
    const updated = await env.kube.resources.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'shop-app',
      namespace: ns,
    });
    expect(
      (updated['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec
        .containers[0]?.image,
    ).toBe('nginx:1.28');

    // Deletion: waves by apply-order, highest first (deployment 2 before configMap 1; service is 1 too).
    await env.kube.resources.delete(env.ref(name, ns));
    const seen: string[][] = [];
    await eventually(
      async () => {
        await env.reconcile(key);
        const left: string[] = [];
        for (const [kind, apiVersion, n] of [
          ['ConfigMap', 'v1', 'shop-app-config'],
          ['Deployment', 'apps/v1', 'shop-app'],
          ['Service', 'v1', 'shop-app'],
        ] as const) {
          const o = await env.kube.resources.tryGet({ apiVersion, kind, name: n, namespace: ns });
          if (o && !o.metadata['deletionTimestamp']) left.push(kind);
        }
        if (seen.at(-1)?.join() !== left.join()) seen.push(left);
        if (await env.get(name, ns)) throw new Error(`instance still present; left ${left.join(',')}`);
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'instance deleted' },
    );
    // The deployment (apply-order 2) went before the configMap and the service (apply-order 1).
    expect(seen.at(-1)).toEqual([]);
    const withDeployment = seen.filter((s) => s.includes('Deployment'));
    const withConfigMap = seen.filter((s) => s.includes('ConfigMap'));
    expect(withConfigMap.length).toBeGreaterThanOrEqual(withDeployment.length);
    expect(
      seen.some((s) => s.includes('ConfigMap') && !s.includes('Deployment')) || seen[0]?.length === 0,
    ).toBe(true);
    expect(env.eventMessages('ResourceDeleted')[0]).toBe(
      `deleted Deployment ${ns}/shop-app (node deployment)`,
    );
  });
});
