// The install manifests: the rendered install.yaml is current, both kustomizations are accepted by
// a real API server (server-side dry run), their content matches spec 05 §10–11, and the
// aggregation mode's roles are what spec 05 §10 lists (rbac-aggregation.test.ts runs them).

import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound } from '../../src/kube/index.js';
import { staleFiles } from '../../hack/render-install.js';
import { getKube, getKubeConfigPath } from '../harness/index.js';
import { kubectl, kubectlOk, kubectlPath } from './lib/kubectl.js';
import { ensureNamespace } from './lib/namespace.js';
import { repoRoot } from './lib/paths.js';

type Obj = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
};

let kubeconfig: string;
const created: { apiVersion: string; kind: string; name: string }[] = [];

function render(dir: string): Promise<Obj[]> {
  return kubectlOk(kubeconfig, ['kustomize', join(repoRoot, dir)]).then((text) =>
    parseAllDocuments(text).map((d) => d.toJS() as Obj),
  );
}

/** stderr lines other than kubectl's note on objects created without kubectl apply (the CRD, the namespace). */
function unexpectedStderr(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter(
      (l) =>
        l.trim() !== '' &&
        !/missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation/.test(l),
    );
}

function find(objs: Obj[], kind: string, name: string): Obj {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind} ${name} not rendered`);
  return o;
}

beforeAll(async () => {
  kubeconfig = getKubeConfigPath();
  // Namespaced objects of a server-side dry run need their namespace to exist for real.
  const kube = await getKube();
  if (await ensureNamespace(kube, 'kro-system')) {
    created.push({ apiVersion: 'v1', kind: 'Namespace', name: 'kro-system' });
  }
});

afterAll(async () => {
  const kube = await getKube();
  for (const ref of created.reverse()) {
    await kube.resources.delete(ref).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
    });
  }
});

describe('install manifests', () => {
  it('deploy/install.yaml and deploy/base/crds are up to date (hack/render-install.ts --check)', () => {
    expect(staleFiles(kubectlPath())).toEqual([]);
  });

  it.each(['deploy', 'deploy/overlays/aggregation'])(
    'kubectl apply --dry-run=server -k %s succeeds',
    async (dir) => {
      const r = await kubectl(kubeconfig, ['apply', '--dry-run=server', '-k', join(repoRoot, dir)]);
      expect(unexpectedStderr(r.stderr)).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/deployment\.apps\/kro (created|configured|unchanged) \(server dry run\)/);
      expect(r.stdout).toMatch(/serviceaccount\/kro (created|configured|unchanged) \(server dry run\)/);
      expect(r.stdout).toMatch(
        /customresourcedefinition\.apiextensions\.k8s\.io\/resourcegraphdefinitions\.kro\.run/,
      );
      expect(r.stdout).toMatch(
        /customresourcedefinition\.apiextensions\.k8s\.io\/graphrevisions\.internal\.kro\.run/,
      );
    },
  );

  it('kubectl apply --dry-run=server --server-side -f deploy/install.yaml succeeds', async () => {
    const r = await kubectl(kubeconfig, [
      'apply',
      '--dry-run=server',
      '--server-side',
      // An installed operator (kind-e2e) runs another image under another field manager.
      '--force-conflicts',
      '--field-manager=kro-ts-e2e',
      '-f',
      join(repoRoot, 'deploy/install.yaml'),
    ]);
    expect(unexpectedStderr(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /clusterrole\.rbac\.authorization\.k8s\.io\/kro-cluster-role serverside-applied \(server dry run\)/,
    );
  });

  it('the Deployment has the spec 05 §11 defaults', async () => {
    const objs = await render('deploy');
    const dep = find(objs, 'Deployment', 'kro');
    expect(dep).toMatchObject({
      metadata: { namespace: 'kro-system' },
      spec: {
        replicas: 1,
        template: {
          spec: {
            serviceAccountName: 'kro',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              seccompProfile: { type: 'RuntimeDefault' },
            },
          },
        },
      },
    });
    const spec = (dep['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } }).template
      .spec;
    const c = spec.containers[0]!;
    expect(c['args']).toContain('--leader-elect');
    expect(c['image']).toMatch(/^[^:]+:[0-9][^:]*$/);
    expect(c['env']).toEqual(
      expect.arrayContaining([{ name: 'NODE_OPTIONS', value: '--max-old-space-size=768' }]),
    );
    expect(c['ports']).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'metrics', containerPort: 8078 })]),
    );
    expect(c).toMatchObject({
      livenessProbe: { httpGet: { path: '/healthz', port: 8079 } },
      readinessProbe: { httpGet: { path: '/readyz', port: 8079 } },
      resources: { requests: { cpu: '256m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
    });
  });

  it('unrestricted mode binds kro to * on */*; aggregation mode has no wildcard and exactly the static grants', async () => {
    const unrestricted = await render('deploy');
    expect(find(unrestricted, 'ClusterRole', 'kro-cluster-role')['rules']).toEqual([
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    ]);
    expect(find(unrestricted, 'ClusterRoleBinding', 'kro-cluster-role-binding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'kro-cluster-role' },
      subjects: [{ kind: 'ServiceAccount', name: 'kro', namespace: 'kro-system' }],
    });
    const agg = await render('deploy/overlays/aggregation');
    expect(agg.some((o) => o.metadata.name === 'kro-cluster-role')).toBe(false);
    expect(JSON.stringify(agg.filter((o) => o.kind === 'ClusterRole'))).not.toContain('"*"');
    expect(find(agg, 'ClusterRole', 'kro:controller')['aggregationRule']).toEqual({
      clusterRoleSelectors: [{ matchLabels: { 'rbac.kro.run/aggregate-to-controller': 'true' } }],
    });
    expect(find(agg, 'ClusterRoleBinding', 'kro:controller')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'kro:controller' },
      subjects: [{ kind: 'ServiceAccount', name: 'kro', namespace: 'kro-system' }],
    });
    const all = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
    expect(find(agg, 'ClusterRole', 'kro:controller:static')['rules']).toEqual([
      { apiGroups: ['kro.run'], resources: ['resourcegraphdefinitions'], verbs: all },
      {
        apiGroups: ['kro.run'],
        resources: ['resourcegraphdefinitions/status'],
        verbs: ['get', 'update', 'patch'],
      },
      { apiGroups: ['kro.run'], resources: ['resourcegraphdefinitions/finalizers'], verbs: ['update'] },
      { apiGroups: ['internal.kro.run'], resources: ['graphrevisions'], verbs: all },
      {
        apiGroups: ['internal.kro.run'],
        resources: ['graphrevisions/status'],
        verbs: ['get', 'update', 'patch'],
      },
      { apiGroups: ['internal.kro.run'], resources: ['graphrevisions/finalizers'], verbs: ['update'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: all },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: all },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'update', 'patch'] },
    ]);
    for (const objs of [unrestricted, agg]) {
      // RGD authorship is bound explicitly, never aggregated into admin/edit (issue 14).
      const editLabels = find(objs, 'ClusterRole', 'kro:edit').metadata.labels ?? {};
      expect(
        Object.keys(editLabels).filter((k) => k.startsWith('rbac.authorization.k8s.io/aggregate-to')),
      ).toEqual([]);
      expect(find(objs, 'ClusterRole', 'kro:view').metadata.labels).toMatchObject({
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      });
    }
  });
  // That aggregation really fills kro:controller is tested in rbac-aggregation.test.ts.
});
