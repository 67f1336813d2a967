// Issue 14: the client honours 429 Retry-After, tested against a real kube-apiserver whose
// priority-and-fairness configuration turns a service account's requests away: a private control
// plane with APF on and small server-wide limits, a PriorityLevelConfiguration with one share and
// queueing off (limitResponse Reject → immediate 429 with Retry-After), and a FlowSchema that puts
// the service account in it. Without retries a burst gets 429s; with them every request succeeds.

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClientFromConfig } from '../../../src/kube/client.js';
import type { KubeClient, RequestObservation } from '../../../src/kube/client.js';
import { connectKube, isKubeApiError } from '../../../src/kube/index.js';
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

async function saClient(opts: {
  maxRetries?: number;
  observer?: (o: RequestObservation) => void;
}): Promise<KubeClient> {
  const c = adminKc.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: c.server, caData: c.caData, caFile: c.caFile, skipTLSVerify: false }],
    users: [{ name: 'sa', token }],
    contexts: [{ name: 'sa', cluster: 'c', user: 'sa' }],
    currentContext: 'sa',
  });
  return createKubeClientFromConfig(kc, { qps: 0, ...opts });
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
    const codes: string[] = [];
    const c = await saClient({ observer: (o) => codes.push(o.code) });
    try {
      const rs = await Promise.allSettled(Array.from({ length: BURST }, () => listConfigMaps(c)));
      const failed = rs.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failed).toEqual([]);
      expect(codes.filter((x) => x === '200')).toHaveLength(BURST);
      expect(codes.filter((x) => x === '429').length).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });
});
