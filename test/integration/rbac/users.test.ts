// Issue 14: the default RBAC must not hand cluster-admin to namespace editors. An RGD makes the
// controller create anything its templates say, with the controller's permissions (cluster-admin
// in the default mode), so creating RGDs is not aggregated into the built-in edit/admin roles.
// Checked with the real API server's SubjectAccessReview after applying deploy/base/rbac-users.yaml
// (the kube-controller-manager's aggregation controller fills edit/view).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { eventually, getKube, registerCleanup, uniqueName } from '../../harness/index.js';

const usersYaml = fileURLToPath(new URL('../../../deploy/base/rbac-users.yaml', import.meta.url));

async function can(user: string, verb: string, resource = 'resourcegraphdefinitions'): Promise<boolean> {
  const kube = await getKube();
  const r = await kube.client.request<{ status?: { allowed?: boolean } }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user, resourceAttributes: { group: 'kro.run', resource, verb } },
    },
  });
  return r.status?.allowed === true;
}

async function bind(user: string, role: string): Promise<void> {
  const kube = await getKube();
  const name = uniqueName('kro-rbac-test');
  await kube.resources.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
  registerCleanup(() =>
    kube.resources.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name }),
  );
}

describe('default RBAC for people (deploy/base/rbac-users.yaml)', () => {
  it('edit bound cluster-wide reads RGDs but cannot write them; kro:edit can', async () => {
    const kube = await getKube();
    for (const doc of parseAllDocuments(readFileSync(usersYaml, 'utf8'))) {
      const obj = doc.toJS() as KubeObject;
      // Fresh, so labels another field manager set earlier (an older install) do not linger.
      await kube.resources
        .delete({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? '' })
        .catch(() => undefined);
      await kube.resources.apply(obj, { fieldManager: 'kro-ts-tests', force: true });
    }
    const editor = uniqueName('namespace-editor');
    const author = uniqueName('rgd-author');
    await bind(editor, 'edit');
    await bind(author, 'kro:edit');
    // The aggregation controller copies kro:view into view (and so edit) asynchronously.
    await eventually(async () => expect(await can(editor, 'list')).toBe(true), {
      timeoutMs: 30_000,
      description: 'kro:view aggregated into edit',
    });
    for (const verb of ['create', 'update', 'patch', 'delete'])
      expect([verb, await can(editor, verb)]).toEqual([verb, false]);
    for (const verb of ['create', 'update', 'patch', 'delete', 'list'])
      expect([verb, await can(author, verb)]).toEqual([verb, true]);
  });
});
