// Issue 14: the client honours 429 Retry-After, tested against a real kube-apiserver whose
// priority-and-fairness configuration turns a service account's requests away: a private control
// plane with APF on and small server-wide limits, a PriorityLevelConfiguration with one share and
// queueing off (limitResponse Reject → immediate 429 with Retry-After), and a FlowSchema that puts
// the service account in it. Without retries a burst gets 429s; with them every request succeeds,
// each retry no sooner than Retry-After; and the operator itself, running as that service account,
// takes 429s and still converges an RGD and its instances.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config.js';
import { startOperator } from '../../../src/main.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { ensureCrd } from '../../../src/kube/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { eventually } from '../../harness/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClientFromConfig } from '../../../src/kube/client.js';
import type { KubeClient, RequestObservation } from '../../../src/kube/client.js';
import { connectKube, isKubeApiError } from '../../../src/kube/index.js';
import { restClientObserver } from '../../../src/main.js';
import type { Kube } from '../../../src/kube/index.js';
import { startOwnCluster } from '../../harness/own-cluster.js';
import type { OwnCluster } from '../../harness/own-cluster.js';

const NS = 'apf';
const SA = 'limited';
const BURST = 30;

let cluster: OwnCluster;
let admin: Kube;
let token: string;
let adminKc: KubeConfig;

beforeAll(async () => {
  cluster = await startOwnCluster({
    kcm: false,
    apiserverArgs:
      '--enable-priority-and-fairness=true --max-requests-inflight=20 --max-mutating-requests-inflight=10',
  });
  admin = await connectKube({ kubeconfigPath: cluster.kubeconfigPath, qps: 0 });
  adminKc = new KubeConfig();
  adminKc.loadFromFile(cluster.kubeconfigPath);
  const r = admin.resources;
  await r.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await r.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA, namespace: NS } });
  // No kube-controller-manager here, so the built-in `view` is never aggregated: an own Role.
  await r.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'read-configmaps', namespace: NS },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
  });
  await r.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'limited-view', namespace: NS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
    subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
  });
  for (let i = 0; i < 20; i++) {
    await r.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm${i}`, namespace: NS },
      data: { i: `${i}` },
    });
  }
  await r.create({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'PriorityLevelConfiguration',
    metadata: { name: 'kro-ts-tiny' },
    spec: {
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: 1,
        lendablePercent: 0,
        borrowingLimitPercent: 0,
        limitResponse: { type: 'Reject' },
      },
    },
  });
  await r.create({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'FlowSchema',
    metadata: { name: 'kro-ts-tiny' },
    spec: {
      priorityLevelConfiguration: { name: 'kro-ts-tiny' },
      matchingPrecedence: 500,
      distinguisherMethod: { type: 'ByUser' },
      rules: [
        {
          subjects: [{ kind: 'ServiceAccount', serviceAccount: { name: SA, namespace: NS } }],
          resourceRules: [
            { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true },
          ],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        },
      ],
    },
  });
  const tr = await admin.client.request<{ status: { token: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${NS}/serviceaccounts/${SA}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  token = tr.status.token;
}, 480_000);

afterAll(async () => {
  admin?.close();
  await cluster?.stop();
});

function saKubeConfig(): KubeConfig {
  const c = adminKc.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: c.server, caData: c.caData, caFile: c.caFile, skipTLSVerify: false }],
    users: [{ name: 'sa', token }],
    contexts: [{ name: 'sa', cluster: 'c', user: 'sa' }],
    currentContext: 'sa',
  });
  return kc;
}

async function saClient(opts: {
  maxRetries?: number;
  observer?: (o: RequestObservation) => void;
}): Promise<KubeClient> {
  return createKubeClientFromConfig(saKubeConfig(), { qps: 0, ...opts });
}

const listConfigMaps = (c: KubeClient) =>
  c.request({ method: 'GET', path: `/api/v1/namespaces/${NS}/configmaps` });

describe('priority and fairness: 429 with Retry-After from a real API server', () => {
  it('without retries a burst is turned away with 429 TooManyRequests and a Retry-After', async () => {
    const c = await saClient({ maxRetries: 0 });
    try {
      // The API server picks up new APF objects asynchronously: burst until the limit bites.
      const deadline = Date.now() + 60_000;
      let rejected: unknown[] = [];
      while (rejected.length === 0 && Date.now() < deadline) {
        const rs = await Promise.allSettled(Array.from({ length: BURST }, () => listConfigMaps(c)));
        rejected = rs.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      }
      expect(rejected.length).toBeGreaterThan(0);
      const e = rejected[0];
      expect(isKubeApiError(e) && e.status).toBe(429);
      expect(isKubeApiError(e) && e.code).toBe('TooManyRequests');
      expect(isKubeApiError(e) && e.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      c.close();
    }
  });

  it('with the default policy every request of the burst succeeds after honouring Retry-After', async () => {
    // Each request of the burst has a path of its own, so its attempts can be told apart: an
    // attempt after a 429 must be sent no sooner than the Retry-After the server gave (1 s for
    // APF rejections), measured from when the 429 arrived.
    const attempts: { path: string; code: string; sentAt: number; answeredAt: number }[] = [];
    const c = await saClient({
      observer: (o) => {
        const answeredAt = performance.now();
        attempts.push({ path: o.path, code: o.code, sentAt: answeredAt - o.seconds * 1000, answeredAt });
      },
    });
    try {
      const rs = await Promise.allSettled(
        Array.from({ length: BURST }, (_, i) =>
          c.request({ method: 'GET', path: `/api/v1/namespaces/${NS}/configmaps?limit=${i + 1}` }),
        ),
      );
      const failed = rs.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failed).toEqual([]);
      const codes = attempts.map((a) => a.code);
      expect(codes.filter((x) => x === '200')).toHaveLength(BURST);
      expect(codes.filter((x) => x === '429').length).toBeGreaterThan(0);
      const early: string[] = [];
      for (let i = 0; i < BURST; i++) {
        const mine = attempts.filter((a) => a.path.endsWith(`?limit=${i + 1}`));
        for (let k = 1; k < mine.length; k++) {
          const prev = mine[k - 1]!;
          const gap = mine[k]!.sentAt - prev.answeredAt;
          if (prev.code === '429' && gap < 1000)
            early.push(`request ${i}: retried ${gap.toFixed(0)} ms after a 429`);
        }
      }
      expect(early).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('the operator, running as the limited service account, takes 429s and converges', async () => {
    const r = admin.resources;
    // The operator needs its own rights (deploy/ grants them to its ServiceAccount; here, at once).
    await r.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'limited-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
    });
    for (const f of ['kro.run_resourcegraphdefinitions.yaml', 'internal.kro.run_graphrevisions.yaml']) {
      const crd = parse(readFileSync(new URL(`../../../crds/${f}`, import.meta.url), 'utf8')) as KubeObject;
      await ensureCrd(r, crd, { timeoutMs: 60_000 });
    }
    const kubeconfigPath = join(cluster.dir, 'sa.kubeconfig');
    writeFileSync(kubeconfigPath, saKubeConfig().exportConfig());
    const loaded = loadConfig({
      argv: [
        '--metrics-bind-address=0',
        '--health-probe-bind-address=0',
        '--dynamic-controller-concurrent-reconciles=8',
        '--client-qps=0',
      ],
      env: { POD_NAME: 'kro-ts-apf' },
    });
    if (!loaded.ok) throw loaded.error;
    const metrics = createMetrics({ defaultMetrics: false });
    const kube = await connectKube({
      kubeconfigPath,
      userAgent: 'kro-ts-apf',
      qps: 0,
      observer: restClientObserver(metrics),
    });
    const operator = await startOperator({
      config: loaded.value,
      kube,
      logger: createLogger({ level: 'error', encoder: 'json', devel: false }),
      metrics,
    });
    try {
      const group = 'apf.kro-ts.test';
      await r.create({
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ResourceGraphDefinition',
        metadata: { name: 'apf' },
        spec: {
          schema: { apiVersion: 'v1alpha1', kind: 'Burst', group, spec: { value: 'string' } },
          resources: ['a', 'b', 'c'].map((id) => ({
            id,
            template: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: `\${schema.metadata.name}-${id}` },
              data: { value: '${schema.spec.value}' },
            },
          })),
        },
      });
      await eventually(
        async () => {
          const rgd = await r.get({
            apiVersion: 'kro.run/v1alpha1',
            kind: 'ResourceGraphDefinition',
            name: 'apf',
          });
          expect((rgd['status'] as { state?: string } | undefined)?.state).toBe('Active');
        },
        { timeoutMs: 120_000, description: 'RGD Active under APF limits' },
      );
      const N = 15;
      for (let i = 0; i < N; i++) {
        await r.create({
          apiVersion: `${group}/v1alpha1`,
          kind: 'Burst',
          metadata: { name: `b${i}`, namespace: NS },
          spec: { value: `v${i}` },
        });
      }
      await eventually(
        async () => {
          for (let i = 0; i < N; i++) {
            const obj = await r.get({
              apiVersion: `${group}/v1alpha1`,
              kind: 'Burst',
              namespace: NS,
              name: `b${i}`,
            });
            expect((obj['status'] as { state?: string } | undefined)?.state, `b${i}`).toBe('ACTIVE');
            for (const id of ['a', 'b', 'c']) {
              const cm = await r.get({
                apiVersion: 'v1',
                kind: 'ConfigMap',
                namespace: NS,
                name: `b${i}-${id}`,
              });
              expect((cm['data'] as Record<string, string>)['value']).toBe(`v${i}`);
            }
          }
        },
        { timeoutMs: 240_000, intervalMs: 2_000, description: 'instances converged under APF limits' },
      );
      const text = await metrics.registry.metrics();
      const tooMany = [...text.matchAll(/^rest_client_requests_total\{code="429"[^}]*\} (\d+)/gm)]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
      expect(tooMany).toBeGreaterThan(0);
    } finally {
      await operator.stop(10_000);
      kube.close();
    }
  }, 420_000);
});
