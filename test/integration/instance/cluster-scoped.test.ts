// A cluster-scoped instance: children name their namespace, get an owner reference, no
// instance-namespace label, and the ApplySet records their namespace.

import { describe, expect, it } from 'vitest';
import type { ResourceGraphDefinition } from '../../../src/api/rgd.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { createTestNamespace, eventually, registerCleanup } from '../../harness/index.js';
import { startInstanceEnv, statusOf } from './env.js';

const RGD = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  metadata: { name: 'tenant' },
  spec: {
    schema: { apiVersion: 'v1alpha1', kind: 'Tenant', scope: 'Cluster', spec: { ns: 'string' } },
    resources: [
      {
        id: 'settings',
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'tenant-settings', namespace: '${schema.spec.ns}' },
          data: { a: 'b' },
        },
      },
    ],
  },
} as unknown as ResourceGraphDefinition;

describe('cluster-scoped instance', () => {
  it('applies namespaced children with owner references and deletes them', async () => {
    const env = await startInstanceEnv(RGD);
    const ns = await createTestNamespace('inst-tenant');
    const name = `tenant-${ns.slice(-8)}`;
    await env.kube.resources.create({ ...env.ref(name, ''), metadata: { name }, spec: { ns } } as KubeObject);
    registerCleanup(() =>
      env.kube.resources
        .mergePatch(env.ref(name, ''), { metadata: { finalizers: null } })
        .catch(() => undefined),
    );
    await env.until(env.key(name, ''), (i) => expect(statusOf(i)['state']).toBe('ACTIVE'), 'ACTIVE');
    const child = await env.kube.resources.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'tenant-settings',
      namespace: ns,
    });
    expect(child.metadata.labels?.['kro.run/instance-namespace']).toBeUndefined();
    expect(child.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Tenant', name, controller: true });
    const inst = (await env.get(name, ''))!;
    expect(inst.metadata.annotations?.['applyset.kubernetes.io/additional-namespaces']).toBe(ns);
    await env.kube.resources.delete(env.ref(name, ''));
    await eventually(
      async () => {
        await env.reconcile(env.key(name, ''));
        if (await env.get(name, '')) throw new Error('instance still present');
      },
      { timeoutMs: 30_000, description: 'instance deleted' },
    );
    const left = await env.kube.resources.tryGet({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'tenant-settings',
      namespace: ns,
    });
    expect(left === undefined || left.metadata['deletionTimestamp'] !== undefined).toBe(true);
  });
});
