// The product as users install it, on a real node (test/e2e-node/setup.ts): deploy/install.yaml
// applied with the image built from the Dockerfile starts the operator as a pod (the manifest's
// securityContext and probes); real pods make FrontendAppV2 Ready (nothing patches a status); a
// tag bump rolls the Deployment; a Service routes; two replicas fail over through the Lease
// controller.kro.run without losing an update made meanwhile; the aggregation RBAC mode serves the
// webapp example. Tests run in order and build on each other (one install per file).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, getKubeConfigPath, uniqueName } from '../harness/index.js';
import { kubectl, kubectlOk } from '../e2e/lib/kubectl.js';
import { repoRoot } from '../e2e/lib/paths.js';

const NS = 'kro-system';
const IMAGE = 'kro-ts:dev';
const LONG = { timeoutMs: 120_000, intervalMs: 500 };

let kc: string;
let appNs: string;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const k = (args: string[], input?: string): Promise<string> => kubectlOk(kc, args, input);
const getJson = async (args: string[]): Promise<Json> => JSON.parse(await k([...args, '-o', 'json'])) as Json;

/** The manifest text with the operator image replaced by the local build (pull policy kept). */
function withLocalImage(text: string): string {
  const out = text.replace(/image: ghcr\.io\/kro-ts\/kro-ts\S*/g, `image: ${IMAGE}`);
  if (out === text) throw new Error('no ghcr.io/kro-ts/kro-ts image reference found to override');
  return out;
}

/** The example's objects, moved into `ns` (metadata.namespace and spec.namespace). */
function exampleInstance(file: string, ns: string, edit?: (o: Json) => void): string {
  return parseAllDocuments(readFileSync(join(repoRoot, file), 'utf8'))
    .map((d) => d.toJS() as Json)
    .map((o) => {
      o['metadata'] = { ...o['metadata'], namespace: ns };
      if (o['spec'] && 'namespace' in o['spec']) o['spec']['namespace'] = ns;
      edit?.(o);
      return stringify(o);
    })
    .join('---\n');
}

async function operatorPods(): Promise<Json[]> {
  const list = await getJson(['-n', NS, 'get', 'pods', '-l', 'app.kubernetes.io/name=kro']);
  return (list['items'] as Json[]).filter((p) => !p['metadata']['deletionTimestamp']);
}

function isReady(pod: Json): boolean {
  return (pod['status']?.['conditions'] ?? []).some(
    (c: Json) => c['type'] === 'Ready' && c['status'] === 'True',
  );
}

async function leaseHolder(): Promise<string> {
  const lease = await getJson(['-n', NS, 'get', 'lease', 'controller.kro.run']);
  return String(lease['spec']?.['holderIdentity'] ?? '');
}

async function instanceReady(kind: string, name: string): Promise<Json> {
  const inst = await getJson(['-n', appNs, 'get', kind, name]);
  const ready = (inst['status']?.['conditions'] ?? []).find((c: Json) => c['type'] === 'Ready');
  if (ready?.['status'] !== 'True')
    throw new Error(`${kind} ${name} not Ready: ${JSON.stringify(inst['status'] ?? {})}`);
  return inst;
}

/** Pods of a Deployment: all Running and Ready, as many as it wants, all with `image`. */
async function deploymentPodsReady(name: string, image: string): Promise<Json[]> {
  const d = await getJson(['-n', appNs, 'get', 'deployment', name]);
  const want = d['spec']['replicas'] as number;
  const sel = Object.entries(d['spec']['selector']['matchLabels'] as Record<string, string>)
    .map(([a, b]) => `${a}=${b}`)
    .join(',');
  const pods = ((await getJson(['-n', appNs, 'get', 'pods', '-l', sel]))['items'] as Json[]).filter(
    (p) => !p['metadata']['deletionTimestamp'],
  );
  const good = pods.filter(
    (p) => p['status']['phase'] === 'Running' && isReady(p) && p['spec']['containers'][0]['image'] === image,
  );
  if (good.length !== want || pods.length !== want)
    throw new Error(
      `deployment ${name}: ${good.length}/${want} pods Running+Ready with ${image} (${pods.length} pods)`,
    );
  return good;
}

/** A pod on the node fetches `url` (the stand-in image's `get`); resolves with what it printed. */
async function fetchFromPod(url: string): Promise<string> {
  const name = uniqueName('client');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: appNs },
    spec: {
      restartPolicy: 'Never',
      containers: [
        { name: 'get', image: 'nginx:1.27', imagePullPolicy: 'Never', command: ['/standin', 'get', url] },
      ],
    },
  };
  await k(['apply', '-f', '-'], JSON.stringify(pod));
  const phase = await eventually(
    async () => {
      const p = await getJson(['-n', appNs, 'get', 'pod', name]);
      const ph = p['status']?.['phase'] as string;
      if (ph !== 'Succeeded' && ph !== 'Failed') throw new Error(`client pod ${ph}`);
      return ph;
    },
    { ...LONG, description: `pod ${name} fetching ${url}` },
  );
  const logs = await k(['-n', appNs, 'logs', name]);
  await k(['-n', appNs, 'delete', 'pod', name, '--wait=false']);
  if (phase !== 'Succeeded') throw new Error(`fetching ${url} from a pod failed: ${logs}`);
  return logs;
}

beforeAll(async () => {
  kc = getKubeConfigPath();
  const started = Date.now();
  const manifest = withLocalImage(readFileSync(join(repoRoot, 'deploy/install.yaml'), 'utf8'));
  await k(['apply', '--server-side', '-f', '-'], manifest);
  const r = await kubectl(kc, ['-n', NS, 'rollout', 'status', 'deployment/kro', '--timeout=180s']);
  if (r.code !== 0) {
    const pods = await kubectl(kc, ['-n', NS, 'describe', 'pods']);
    throw new Error(`the operator pod did not become available: ${r.stderr}\n${pods.stdout}`);
  }
  process.stderr.write(
    `[kro-ts node tier] operator pod available ${((Date.now() - started) / 1000).toFixed(1)}s after apply\n`,
  );
  appNs = uniqueName('app');
  await k(['create', 'namespace', appNs]);
}, 240_000);

describe('the operator installed from deploy/install.yaml, running as a pod on a real node', () => {
  it('runs with the manifest securityContext (UID 65532, read-only root) and passes its probes', async () => {
    const [pod] = await operatorPods();
    expect(pod, 'operator pod').toBeDefined();
    expect(isReady(pod!)).toBe(true); // the readiness probe (/readyz on 8079) passed
    expect(pod!['spec']['containers'][0]['image']).toBe(IMAGE);
    expect(pod!['spec']['securityContext']).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(pod!['spec']['containers'][0]['securityContext']).toMatchObject({ readOnlyRootFilesystem: true });
    expect(pod!['spec']['containers'][0]['livenessProbe']['httpGet']).toMatchObject({ path: '/healthz' });
    // Inside the container for real: the process's UID and a write to / fails.
    const name = pod!['metadata']['name'] as string;
    const id = await k([
      '-n',
      NS,
      'exec',
      name,
      '--',
      'node',
      '-e',
      'let w="writable";try{require("fs").writeFileSync("/x","")}catch(e){w=e.code}console.log(process.getuid(),w)',
    ]);
    expect(id.trim()).toBe('65532 EROFS');
    // It took the Lease, under its own pod name.
    expect(await leaseHolder()).toMatch(new RegExp(`^${name}_`));
  });

  it('FrontendAppV2 becomes Ready because its pods are Ready, and its Service routes', async () => {
    await k(['apply', '-f', join(repoRoot, 'deploy/examples/frontend-app/rgd.yaml')]);
    await eventually(
      async () => {
        const rgd = await getJson(['get', 'rgd', 'frontend-app-v2']);
        if (rgd['status']?.['state'] !== 'Active') throw new Error(`rgd ${JSON.stringify(rgd['status'])}`);
      },
      { ...LONG, description: 'RGD frontend-app-v2 Active' },
    );
    await k(['apply', '-f', '-'], exampleInstance('deploy/examples/frontend-app/instance.yaml', appNs));
    await eventually(() => instanceReady('frontendappv2', 'my-frontend'), {
      ...LONG,
      description: 'instance Ready',
    });
    const pods = await deploymentPodsReady('my-frontend', 'nginx:1.27');
    expect(pods).toHaveLength(2);
    const svc = await getJson(['-n', appNs, 'get', 'service', 'my-frontend']);
    const ip = svc['spec']['clusterIP'] as string;
    expect(ip).toMatch(/^10\.0\.0\./);
    const page = await eventually(() => fetchFromPod(`http://${ip}:80/`), {
      ...LONG,
      description: `a pod reaching Service ${ip}`,
    });
    expect(page).toMatch(/Welcome to nginx!/);
    expect(page).toMatch(/served by pod my-frontend-/);
  });

  it('a Kargo-style tag bump on the instance rolls the Deployment to the new image', async () => {
    await k([
      '-n',
      appNs,
      'patch',
      'frontendappv2',
      'my-frontend',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { values: { deployment: { tag: '1.28' } } } }),
    ]);
    await eventually(
      async () => {
        const d = await getJson(['-n', appNs, 'get', 'deployment', 'my-frontend']);
        expect(d['spec']['template']['spec']['containers'][0]['image']).toBe('nginx:1.28');
      },
      { ...LONG, description: 'the Deployment template to carry nginx:1.28' },
    );
    await kubectlOk(kc, ['-n', appNs, 'rollout', 'status', 'deployment/my-frontend', '--timeout=120s']);
    await eventually(() => deploymentPodsReady('my-frontend', 'nginx:1.28'), {
      ...LONG,
      description: 'new pods',
    });
    await eventually(() => instanceReady('frontendappv2', 'my-frontend'), LONG);
  });

  it('two replicas: the leader pod deleted, the other takes the Lease and an update made meanwhile is applied', async () => {
    await k(['-n', NS, 'scale', 'deployment/kro', '--replicas=2']);
    const pods = await eventually(
      async () => {
        const ps = await operatorPods();
        if (ps.length !== 2 || !ps.every(isReady))
          throw new Error(`${ps.length} operator pods, not all Ready`);
        return ps;
      },
      { ...LONG, description: 'two Ready operator pods' },
    );
    const holder = await leaseHolder();
    const leader = pods.find((p) => holder.startsWith(`${p['metadata']['name']}_`));
    const standby = pods.find((p) => p !== leader);
    expect(leader, `the Lease holder ${holder} is one of the pods`).toBeDefined();
    const standbyName = standby!['metadata']['name'] as string;

    const t0 = Date.now();
    await k(['-n', NS, 'delete', 'pod', leader!['metadata']['name'] as string, '--wait=false']);
    // The update lands while no one (or the dying leader) holds the Lease.
    await k([
      '-n',
      appNs,
      'patch',
      'frontendappv2',
      'my-frontend',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { values: { deployment: { replicas: 3 } } } }),
    ]);
    const leaderName = leader!['metadata']['name'] as string;
    try {
      await eventually(
        async () => {
          const h = await leaseHolder();
          if (!h.startsWith(`${standbyName}_`)) throw new Error(`Lease held by ${h}`);
        },
        { ...LONG, intervalMs: 100, description: `${standbyName} to take the Lease` },
      );
    } catch (e) {
      // What a failed failover looked like: the pods, the Lease, and both operators' last words.
      const dump = async (args: string[]) => {
        const r = await kubectl(kc, args);
        return `$ kubectl ${args.join(' ')}\n${r.stdout}${r.stderr}`;
      };
      const parts = await Promise.all([
        dump(['-n', NS, 'get', 'pods', '-o', 'wide']),
        dump(['-n', NS, 'get', 'lease', 'controller.kro.run', '-o', 'yaml']),
        dump(['-n', NS, 'logs', standbyName, '--tail=40']),
        dump(['-n', NS, 'logs', leaderName, '--tail=40']),
        dump(['-n', NS, 'get', 'events', '--sort-by=.lastTimestamp']),
      ]);
      process.stderr.write(`[kro-ts node tier] failover did not happen:\n${parts.join('\n')}\n`);
      throw e;
    }
    const failoverMs = Date.now() - t0;
    await eventually(
      async () => {
        const d = await getJson(['-n', appNs, 'get', 'deployment', 'my-frontend']);
        expect(d['spec']['replicas']).toBe(3);
      },
      { ...LONG, description: 'the update made during failover to reach the Deployment' },
    );
    const appliedMs = Date.now() - t0;
    await eventually(() => deploymentPodsReady('my-frontend', 'nginx:1.28'), LONG);
    await eventually(() => instanceReady('frontendappv2', 'my-frontend'), LONG);
    process.stderr.write(
      `[kro-ts node tier] failover: leader pod deleted → ${standbyName} holds the Lease in ${failoverMs} ms; ` +
        `the update made meanwhile reached the Deployment after ${appliedMs} ms\n`,
    );
  });

  it('the aggregation RBAC mode (deploy/overlays/aggregation) serves the webapp example with real pods', async () => {
    // Switch modes as a user would: drop the unrestricted binding, apply the overlay (same image).
    await k(['delete', 'clusterrolebinding', 'kro-cluster-role-binding', '--ignore-not-found']);
    const overlay = withLocalImage(await k(['kustomize', join(repoRoot, 'deploy/overlays/aggregation')]));
    // --force-conflicts: the Deployment was scaled to 2 above (`kubectl scale` owns .spec.replicas).
    await k(['apply', '--server-side', '--force-conflicts', '-f', '-'], overlay);
    await k(['-n', NS, 'rollout', 'status', 'deployment/kro', '--timeout=180s']);
    const binding = await getJson(['get', 'clusterrolebinding', 'kro:controller']);
    expect(binding['roleRef']['name']).toBe('kro:controller');
    await eventually(
      async () => {
        const r = await kubectl(kc, [
          'auth',
          'can-i',
          '--as=system:serviceaccount:kro-system:kro',
          'create',
          'deployments',
        ]);
        expect(r.stdout.trim()).toBe('no');
      },
      { ...LONG, description: 'the controller to lose the unrestricted grant' },
    );
    await k(['apply', '-f', join(repoRoot, 'deploy/examples/webapp/rbac-aggregation.yaml')]);
    await k(['apply', '-f', join(repoRoot, 'deploy/examples/webapp/rgd.yaml')]);
    const objs = parseAllDocuments(
      readFileSync(join(repoRoot, 'deploy/examples/webapp/instance.yaml'), 'utf8'),
    ).map((d) => d.toJS() as Json);
    const inst = objs[0]!;
    const kind = (inst['kind'] as string).toLowerCase();
    const name = inst['metadata']['name'] as string;
    await eventually(
      async () => {
        await k(['apply', '-f', '-'], exampleInstance('deploy/examples/webapp/instance.yaml', appNs));
      },
      { ...LONG, description: `the ${inst['kind']} CRD to be served` },
    );
    await eventually(() => instanceReady(kind, name), {
      ...LONG,
      description: `${inst['kind']} ${name} Ready`,
    });
    const deps = (await getJson(['-n', appNs, 'get', 'deployments']))['items'] as Json[];
    const owned = deps.filter((d) => d['metadata']['labels']?.['kro.run/instance-name'] === name);
    expect(owned.length).toBeGreaterThan(0);
    for (const d of owned) {
      await eventually(
        () =>
          deploymentPodsReady(
            d['metadata']['name'] as string,
            d['spec']['template']['spec']['containers'][0]['image'] as string,
          ),
        LONG,
      );
    }
  });
});
