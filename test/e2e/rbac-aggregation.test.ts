// The aggregation RBAC mode (spec 05 §10) for real: a ServiceAccount bound only to kro:controller
// gets exactly kro:controller:static through aggregation (checked with `kubectl auth can-i`), and
// the operator running with that identity serves deploy/examples/webapp once the example's
// per-RGD ClusterRole is added. The ServiceAccount and binding are the test's own, so this holds
// whichever mode is installed; with an in-cluster operator (kind) that operator may act on the
// example too, so there the convergence check is weaker than with the process operator.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kube, KubeObject, ObjectRef } from '../../src/kube/index.js';
import { isNotFound } from '../../src/kube/index.js';
import { eventually, getKube, getKubeConfigPath, uniqueName } from '../harness/index.js';
import { cleanupScenario } from './lib/cleanup.js';
import { kubectl, kubectlOk } from './lib/kubectl.js';
import { ensureNamespace, ensureRgdCrd } from './lib/namespace.js';
import type { BuiltDist, RunningOperator } from './lib/operator-process.js';
import { buildDist, startOperatorProcess } from './lib/operator-process.js';
import { repoRoot } from './lib/paths.js';
import { loadSteps, runStep } from './lib/scenario.js';

const NS = 'kro-system';
const SA = 'kro-e2e-least';
const BINDING = 'kro-e2e-least-privilege';
const RBAC = 'rbac.authorization.k8s.io/v1';

let kube: Kube;
let kubeconfig: string;
const created: ObjectRef[] = [];

async function createIfAbsent(obj: KubeObject): Promise<void> {
  const ref: ObjectRef = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name ?? '',
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
  };
  if (await kube.resources.tryGet(ref)) return;
  await kube.resources.create(obj);
  created.push(ref);
}

async function yamlObjects(file: string): Promise<KubeObject[]> {
  return parseAllDocuments(readFileSync(join(repoRoot, file), 'utf8')).map((d) => d.toJS() as KubeObject);
}

function canI(args: string[]): Promise<string> {
  return kubectl(kubeconfig, ['auth', 'can-i', `--as=system:serviceaccount:${NS}:${SA}`, ...args]).then((r) =>
    r.stdout.trim(),
  );
}

/** A kubeconfig for the ServiceAccount: same server and CA, a bound token. */
async function serviceAccountKubeconfig(dir: string): Promise<string> {
  const view = (path: string): Promise<string> =>
    kubectlOk(kubeconfig, ['config', 'view', '--raw', '--minify', '-o', `jsonpath={${path}}`]);
  const server = await view('.clusters[0].cluster.server');
  const ca = await view('.clusters[0].cluster.certificate-authority-data');
  const token = (await kubectlOk(kubeconfig, ['create', 'token', SA, '-n', NS, '--duration=1h'])).trim();
  const file = join(dir, `sa-kubeconfig-${process.pid}`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority-data': ca } }],
      users: [{ name: SA, user: { token } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: SA } }],
      'current-context': 'c',
    }),
    { mode: 0o600 },
  );
  return file;
}

beforeAll(async () => {
  kube = await getKube();
  kubeconfig = getKubeConfigPath();
  await ensureRgdCrd(kube);
  if (await ensureNamespace(kube, NS)) created.push({ apiVersion: 'v1', kind: 'Namespace', name: NS });
  await createIfAbsent({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA, namespace: NS } });
  const rendered = parseAllDocuments(
    await kubectlOk(kubeconfig, ['kustomize', join(repoRoot, 'deploy/overlays/aggregation')]),
  ).map((d) => d.toJS() as KubeObject);
  for (const role of rendered.filter(
    (o) => o.kind === 'ClusterRole' && o.metadata.name?.startsWith('kro:controller'),
  )) {
    await createIfAbsent(role);
  }
  await createIfAbsent({
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: BINDING },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kro:controller' },
    subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
  } as KubeObject);
});

afterAll(async () => {
  for (const ref of created.reverse()) {
    await kube.resources.delete(ref).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
    });
  }
});

describe('aggregation RBAC mode', () => {
  it('kro:controller grants exactly what the controller always needs', async () => {
    await eventually(
      async () =>
        expect(await canI(['create', 'customresourcedefinitions.apiextensions.k8s.io'])).toBe('yes'),
      { timeoutMs: 30_000, intervalMs: 250, description: 'kro:controller aggregated' },
    );
    for (const args of [
      ['watch', 'resourcegraphdefinitions.kro.run'],
      ['patch', 'resourcegraphdefinitions.kro.run', '--subresource=status'],
      ['update', 'resourcegraphdefinitions.kro.run', '--subresource=finalizers'],
      ['watch', 'graphrevisions.internal.kro.run'],
      ['delete', 'graphrevisions.internal.kro.run'],
      ['patch', 'graphrevisions.internal.kro.run', '--subresource=status'],
      ['update', 'graphrevisions.internal.kro.run', '--subresource=finalizers'],
      ['update', 'leases.coordination.k8s.io', '-n', NS],
      ['create', 'events', '-n', 'default'],
      ['patch', 'events.events.k8s.io', '-n', 'default'],
    ]) {
      expect(await canI(args), args.join(' ')).toBe('yes');
    }
    for (const args of [
      ['create', 'deployments.apps', '-n', 'default'],
      ['list', 'secrets', '-A'],
      ['create', 'clusterroles.rbac.authorization.k8s.io'],
      ['list', 'webapps.kro.run', '-A'],
      ['delete', 'events', '-n', 'default'],
    ]) {
      expect(await canI(args), args.join(' ')).toBe('no');
    }
  });

  it('the operator as that ServiceAccount serves the webapp example with its per-RGD ClusterRole', async () => {
    for (const role of await yamlObjects('deploy/examples/webapp/rbac-aggregation.yaml'))
      await createIfAbsent(role);
    await eventually(
      async () => expect(await canI(['create', 'ingresses.networking.k8s.io', '-A'])).toBe('yes'),
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        description: 'per-RGD role aggregated',
      },
    );
    const built: BuiltDist = buildDist();
    let operator: RunningOperator | undefined;
    const namespace = uniqueName('e2e-rbac');
    await kube.resources.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const ctx = {
      dir: join(repoRoot, 'test/e2e/rbac'),
      namespace,
      kubeconfig,
      kube,
      rgds: new Set<string>(),
    };
    try {
      operator = await startOperatorProcess({
        kubeconfig: await serviceAccountKubeconfig(join(repoRoot, '.cache', 'e2e')),
        dist: built.dist,
        // With an installed operator holding the Lease (kind), this one stays a follower
        // instead of acting twice.
        extraFlags: ['--leader-elect', `--leader-election-namespace=${NS}`],
      });
      const mark = operator.mark();
      try {
        for (const step of loadSteps(ctx.dir)) await runStep(ctx, step);
      } catch (e) {
        process.stderr.write(
          `\n===== least-privilege operator log =====\n${await operator.logsSince(mark)}\n`,
        );
        throw e;
      }
      expect(await cleanupScenario({ kube, rgds: ctx.rgds, namespace })).toEqual([]);
    } finally {
      await cleanupScenario({ kube, rgds: ctx.rgds, namespace });
      await operator?.stop();
      built.remove();
    }
  });
});
