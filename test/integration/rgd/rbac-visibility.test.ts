// Never silent about permissions (spec 05 §10): an operator that may not list the generated kind
// (aggregation mode without the per-RGD ClusterRole) shows it on the RGD as ControllerReady=False
// with the API server's forbidden message, instead of Active while only its logs complain; once
// the permission is granted the RGD becomes Active.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  createTestNamespace,
  eventually,
  getKube,
  getKubeConfigPath,
  registerCleanup,
  uniqueGroup,
  uniqueName,
} from '../../harness/index.js';
import { startTestOperator } from '../operator.js';
import { createRgd, deleteCrdAfter, getRgd, rgdObject } from './helpers.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

function rules(extra: object[] = []): object[] {
  return [
    {
      apiGroups: ['kro.run'],
      resources: [
        'resourcegraphdefinitions',
        'resourcegraphdefinitions/status',
        'resourcegraphdefinitions/finalizers',
      ],
      verbs: ['*'],
    },
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['*'] },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['*'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['get'] },
    ...extra,
  ];
}

async function serviceAccountKubeconfig(namespace: string, account: string): Promise<string> {
  const kube = await getKube();
  const token = (await kube.client.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  })) as { status: { token: string } };
  const config = parse(readFileSync(getKubeConfigPath(), 'utf8')) as {
    users: { name: string; user: Record<string, unknown> }[];
  };
  for (const u of config.users) u.user = { token: token.status.token };
  const path = join(mkdtempSync(join(tmpdir(), 'kro-ts-sa-')), 'kubeconfig');
  writeFileSync(path, stringify(config));
  return path;
}

describe('RBAC visibility', () => {
  it('reports a kind it may not list as ControllerReady=False, and recovers when granted', async () => {
    const kube = await getKube();
    const ns = await createTestNamespace('rbac');
    const account = 'kro-limited';
    const role = uniqueName('kro-limited');
    await kube.resources.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: account, namespace: ns },
    });
    await kube.resources.create({
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: role },
      rules: rules(),
    });
    await kube.resources.create({
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: role },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace: ns }],
    });
    registerCleanup(async () => {
      await kube.resources
        .delete({ apiVersion: RBAC, kind: 'ClusterRoleBinding', name: role })
        .catch(() => undefined);
      await kube.resources
        .delete({ apiVersion: RBAC, kind: 'ClusterRole', name: role })
        .catch(() => undefined);
    });
    const op = await startTestOperator({ kubeconfigPath: await serviceAccountKubeconfig(ns, account) });

    const group = uniqueGroup('rbac');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(rgdObject({ labels: op.labels(), group }));
    const cond = async (type: string) =>
      (await getRgd(name)).status?.conditions?.find((c) => c.type === type);
    await eventually(
      async () => {
        const c = await cond('ControllerReady');
        expect(c?.status).toBe('False');
        expect(c?.reason).toBe('FailedToStart');
        expect(c?.message).toContain(`cannot watch instances of apps.${group}`);
        expect(c?.message).toContain('forbidden');
        expect((await getRgd(name)).status?.state).toBe('Inactive');
      },
      { timeoutMs: 30_000, description: 'ControllerReady=False with the forbidden message' },
    );

    await kube.resources.mergePatch(
      { apiVersion: RBAC, kind: 'ClusterRole', name: role },
      {
        rules: rules([
          { apiGroups: [group], resources: ['apps', 'apps/status', 'apps/finalizers'], verbs: ['*'] },
        ]),
      },
    );
    await eventually(
      async () => {
        expect((await cond('ControllerReady'))?.status).toBe('True');
        expect((await getRgd(name)).status?.state).toBe('Active');
      },
      { timeoutMs: 45_000, description: 'Active once the kind may be listed' },
    );
  });
});
