// Fault-injection harness (issue 14): one command, a private local control plane, the operator as a
// separate process (node dist/main.js), a workload of instances of a multi-resource RGD, and faults:
//
//   npx tsx hack/chaos/run.ts [--instances 200] [--kills 100] [--phases kill,apiserver,etcd,apf,failover]
//                             [--seed N] [--keep]
//
//   kill      N `kill -9` of the operator at random moments while instances are created, changed
//             and deleted, restarted each time; then: 0 orphaned children, 0 duplicates, every
//             instance converged, every deleted instance gone.
//   apiserver kube-apiserver killed and restarted: a change made just before the outage and one
//             made just after converge; time from the API server ready again until both did.
//   etcd      the same with etcd.
//   apf       the operator's ServiceAccount put in a priority level of one seat that rejects
//             (429 + Retry-After): every instance changed; converges, 429s counted, request rate.
//   failover  two operator processes with leader election; the stand-by reconciles nothing while
//             the leader lives; the leader killed mid-load; takeover time; no update lost.
//
// Prints figures (and the load average) and exits 1 if an invariant fails. It is a benchmark-like
// tool, not a test: it takes minutes and one control plane (hack/local-cluster.sh, its own --dir).

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ensureCrd, connectKube } from '../../src/kube/index.js';
import type { Kube, KubeObject } from '../../src/kube/index.js';
import { verdict } from './invariants.js';
import type { Verdict } from './invariants.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
};
const INSTANCES = Number(arg('instances', '200'));
const KILLS = Number(arg('kills', '100'));
const PHASES = new Set(arg('phases', 'kill,apiserver,etcd,apf,failover').split(','));
const SEED = Number(arg('seed', String(Date.now() % 100000)));
const KEEP = process.argv.includes('--keep');
const NS = 'chaos';
const SA = 'kro-ts-operator';
const GROUP = 'chaos.kro-ts.test';
const KIND = 'ChaosApp';
const IREF = { apiVersion: `${GROUP}/v1alpha1`, kind: KIND, namespace: NS } as const;

let rnd = SEED >>> 0;
function random(): number {
  rnd = (rnd + 0x6d2b79f5) >>> 0;
  let t = rnd;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const log = (s: string): void =>
  void process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const figures: string[] = [];
const failures: string[] = [];
const figure = (s: string): void => {
  figures.push(s);
  log(s);
};
const check = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what);
  log(`${ok ? 'ok' : 'FAILED'}: ${what}`);
};

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms: ${what}${last ? ` (${String(last)})` : ''}`);
    await sleep(500);
  }
}

// ---------------------------------------------------------------- the control plane

const clusterDir = mkdtempSync(join(tmpdir(), 'kro-ts-chaos-'));
function clusterUp(): string {
  const r = spawnSync('bash', [join(repo, 'hack/local-cluster.sh'), 'up', '--dir', clusterDir, '--no-kcm'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    // APF on (the default limits) so the apf phase can turn one ServiceAccount away.
    env: {
      ...process.env,
      KRO_TS_APISERVER_ARGS:
        '--enable-priority-and-fairness=true --max-requests-inflight=400 --max-mutating-requests-inflight=200',
    },
  });
  if (r.status !== 0) throw new Error('hack/local-cluster.sh up failed');
  return r.stdout.trim().split('\n').pop() ?? '';
}
function clusterDown(): void {
  spawnSync('bash', [join(repo, 'hack/local-cluster.sh'), 'down', '--dir', clusterDir], { stdio: 'inherit' });
}

/** kill -9 one control-plane process and start it again with the same command line. */
async function restartComponent(name: 'kube-apiserver' | 'etcd', downMs: number): Promise<void> {
  const pidFile = join(clusterDir, `${name}.pid`);
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .filter((a) => a !== '');
  process.kill(pid, 'SIGKILL');
  await until(`${name} gone`, 30_000, async () => {
    try {
      process.kill(pid, 0);
      return undefined;
    } catch {
      return true;
    }
  });
  await sleep(downMs);
  const out = openSync(join(clusterDir, 'logs', `${name}.log`), 'a');
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
}

async function apiReady(kube: Kube): Promise<void> {
  await until('API server serving again', 120_000, async () => {
    // A GET without resourceVersion is a quorum read: it needs etcd too, not just the API server.
    await kube.resources.get({ apiVersion: 'v1', kind: 'Namespace', name: NS });
    return true;
  });
}

// ---------------------------------------------------------------- the operator

interface Op {
  readonly name: string;
  readonly child: ChildProcess;
  readonly metricsPort: number;
}
let opSeq = 0;
const ops = new Set<Op>();
function freePort(): number {
  const r = spawnSync(
    'python3',
    ['-c', 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'],
    {
      encoding: 'utf8',
    },
  );
  return Number(r.stdout.trim());
}
function startOperator(kubeconfig: string, extra: string[] = []): Op {
  const name = `op-${++opSeq}`;
  const metricsPort = freePort();
  const out = openSync(join(clusterDir, 'logs', `${name}.log`), 'a');
  const child = spawn(
    process.execPath,
    [
      join(repo, 'dist/main.js'),
      '--kubeconfig',
      kubeconfig,
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      '--health-probe-bind-address=0',
      '--zap-log-level=error',
      ...extra,
    ],
    { stdio: ['ignore', out, out], env: { ...process.env, POD_NAME: name, POD_NAMESPACE: NS } },
  );
  closeSync(out);
  const op = { name, child, metricsPort };
  ops.add(op);
  child.on('exit', () => ops.delete(op));
  return op;
}
async function kill9(op: Op): Promise<void> {
  if (op.child.exitCode !== null || op.child.signalCode !== null) return;
  const gone = new Promise((r) => op.child.once('exit', r));
  op.child.kill('SIGKILL');
  await gone;
}
/** The operator's /metrics (a process just started may take a while to listen). */
function metricsOf(op: Op): Promise<string> {
  return until(`${op.name} /metrics`, 60_000, async () => {
    const r = await fetch(`http://127.0.0.1:${op.metricsPort}/metrics`, {
      signal: AbortSignal.timeout(5_000),
    });
    return r.ok ? r.text() : undefined;
  });
}
function sumMetric(text: string, name: string, labelMatch = ''): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    if (labelMatch && !line.includes(labelMatch)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

// ---------------------------------------------------------------- the workload

const rgd: KubeObject = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  metadata: { name: 'chaos' },
  spec: {
    schema: {
      apiVersion: 'v1alpha1',
      kind: KIND,
      group: GROUP,
      spec: { value: 'string', port: 'integer | default=80' },
      status: { derived: '${derived.data.value}', clusterIP: '${service.spec.clusterIP}' },
    },
    resources: [
      {
        id: 'config',
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${schema.metadata.name}-config' },
          data: { value: '${schema.spec.value}' },
        },
      },
      {
        id: 'derived',
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${schema.metadata.name}-derived' },
          data: { value: '${config.data.value + "-d"}' },
        },
      },
      {
        id: 'extra',
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${schema.metadata.name}-extra' },
          data: { from: '${derived.metadata.name}', port: '${string(schema.spec.port)}' },
        },
      },
      {
        id: 'service',
        template: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: '${schema.metadata.name}', annotations: { config: '${config.metadata.name}' } },
          spec: {
            clusterIP: 'None',
            selector: { app: '${schema.metadata.name}' },
            ports: [{ port: '${schema.spec.port}' }],
          },
        },
      },
    ],
  },
};

/** name → expected spec.value (live instances); names deleted. */
const live = new Map<string, string>();
const deleted = new Set<string>();
let writes = 0;

async function createInstance(kube: Kube, name: string, value: string): Promise<void> {
  await kube.resources.create({ ...IREF, metadata: { name, namespace: NS }, spec: { value } });
  live.set(name, value);
  deleted.delete(name);
  writes++;
}
async function setValue(kube: Kube, name: string, value: string): Promise<void> {
  await kube.resources.mergePatch({ ...IREF, name }, { spec: { value } });
  live.set(name, value);
  writes++;
}
async function deleteInstance(kube: Kube, name: string): Promise<void> {
  await kube.resources.delete({ ...IREF, name });
  live.delete(name);
  deleted.add(name);
  writes++;
}
const liveNames = (): string[] => [...live.keys()];

/** Random creates, changes and deletes until `stop` says so. */
async function churn(kube: Kube, stop: () => boolean, tag: string): Promise<void> {
  let j = 0;
  while (!stop()) {
    const roll = random();
    const names = liveNames();
    try {
      if (roll < 0.5 && names.length > 0) {
        const n = names[Math.floor(random() * names.length)]!;
        await setValue(kube, n, `${tag}-${j}`);
      } else if (roll < 0.7 && names.length > INSTANCES / 2) {
        await deleteInstance(kube, names[Math.floor(random() * names.length)]!);
      } else {
        await createInstance(kube, `c-${tag}-${j}`, `${tag}-${j}`);
      }
    } catch (e) {
      log(`churn: ${String(e).slice(0, 200)}`);
    }
    j++;
    await sleep(50);
  }
}

async function converge(kube: Kube, what: string, timeoutMs = 600_000): Promise<{ ms: number; v: Verdict }> {
  const t0 = Date.now();
  let v: Verdict = { unconverged: [], orphans: [], duplicates: [], stuck: [] };
  try {
    await until(what, timeoutMs, async () => {
      v = await verdict(kube, { ns: NS, instance: IREF, live, deleted });
      return v.unconverged.length + v.orphans.length + v.duplicates.length + v.stuck.length === 0
        ? true
        : undefined;
    });
  } catch (e) {
    log(String(e));
  }
  return { ms: Date.now() - t0, v };
}

function report(v: Verdict, what: string): void {
  check(
    v.orphans.length === 0,
    `${what}: ${v.orphans.length} orphaned children ${v.orphans.slice(0, 3).join(' ')}`,
  );
  check(
    v.duplicates.length === 0,
    `${what}: ${v.duplicates.length} duplicates ${v.duplicates.slice(0, 3).join(' ')}`,
  );
  check(
    v.unconverged.length === 0,
    `${what}: ${v.unconverged.length} of ${live.size} instances not converged ${v.unconverged.slice(0, 3).join(' ')}`,
  );
  check(
    v.stuck.length === 0,
    `${what}: ${v.stuck.length} of ${deleted.size} deleted instances still present ${v.stuck.slice(0, 3).join(' ')}`,
  );
}

// ---------------------------------------------------------------- phases

async function phaseKill(kube: Kube, kubeconfig: string): Promise<void> {
  const t0 = Date.now();
  let op = startOperator(kubeconfig);
  let stop = false;
  const load = churn(kube, () => stop, 'k');
  let kills = 0;
  for (let k = 0; k < KILLS; k++) {
    // A random moment: 0.3–4 s into this operator's life (start-up, resync, reconciles, deletions).
    await sleep(300 + Math.floor(random() * 3700));
    await kill9(op);
    kills++;
    op = startOperator(kubeconfig);
    if (k % 10 === 9)
      log(
        `kill -9 ×${kills}, ${writes} writes, ${live.size} live, ${deleted.size} deleted, load ${loadavg()}`,
      );
  }
  stop = true;
  await load;
  const { ms, v } = await converge(kube, 'converged after the kills');
  figure(
    `kill: ${kills} × kill -9 of the operator in ${((Date.now() - t0 - ms) / 1000).toFixed(0)} s of churn (${writes} writes: creates, changes, deletes); ${live.size} live and ${deleted.size} deleted instances; converged ${(ms / 1000).toFixed(1)} s after the last restart`,
  );
  report(v, 'after kill -9');
  await kill9(op);
}

async function outage(kube: Kube, kubeconfig: string, component: 'kube-apiserver' | 'etcd'): Promise<void> {
  const op = startOperator(kubeconfig);
  const settled = await converge(kube, `converged before the ${component} restart`);
  report(settled.v, `before the ${component} restart`);
  const names = liveNames();
  const before = names[0]!;
  const after = names[1]!;
  await setValue(kube, before, `${component}-before`);
  const tKill = Date.now();
  await restartComponent(component, 5_000);
  await apiReady(kube);
  const tReady = Date.now();
  await setValue(kube, after, `${component}-after`);
  // The operator learns of the change only through its watches: the time until the change reached
  // the child is the time until its watches resumed (plus one reconcile).
  const applied = await until('the change after the outage applied', 300_000, async () => {
    const cm = await kube.resources.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: NS,
      name: `${after}-config`,
    });
    return (cm['data'] as Record<string, string> | undefined)?.['value'] === `${component}-after`
      ? Date.now()
      : undefined;
  });
  const { ms, v } = await converge(kube, `converged after the ${component} restart`);
  figure(
    `${component}: killed (kill -9), down 5 s, serving again ${((tReady - tKill) / 1000).toFixed(1)} s after the kill; a change made after that reached its child ${((applied - tReady) / 1000).toFixed(1)} s later (watches resumed); that change and one made just before the kill both converged, all instances ${((applied - tReady + ms) / 1000).toFixed(1)} s after serving again`,
  );
  report(v, `after the ${component} restart`);
  await kill9(op);
}

async function phaseApf(kube: Kube, kubeconfig: string): Promise<void> {
  const op = startOperator(kubeconfig);
  const settled = await converge(kube, 'converged before the APF limit');
  report(settled.v, 'before the APF limit');
  const r = kube.resources;
  await r.create({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'PriorityLevelConfiguration',
    metadata: { name: 'chaos-tiny' },
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
    metadata: { name: 'chaos-tiny' },
    spec: {
      priorityLevelConfiguration: { name: 'chaos-tiny' },
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
  await sleep(3_000); // the API server picks APF objects up asynchronously
  const m0 = await metricsOf(op);
  const t0 = Date.now();
  for (const n of liveNames()) await setValue(kube, n, `apf-${n}`);
  const { ms, v } = await converge(kube, 'converged under the APF limit');
  const m1 = await metricsOf(op);
  const secs = (Date.now() - t0) / 1000;
  const total = sumMetric(m1, 'rest_client_requests_total') - sumMetric(m0, 'rest_client_requests_total');
  const tooMany =
    sumMetric(m1, 'rest_client_requests_total', 'code="429"') -
    sumMetric(m0, 'rest_client_requests_total', 'code="429"');
  figure(
    `apf: the operator's ServiceAccount in a priority level of 1 concurrency share, limitResponse Reject; ${live.size} instances changed; converged in ${(ms / 1000).toFixed(1)} s; ${total} requests (${(total / secs).toFixed(1)}/s, client limit --client-qps 100), ${tooMany} answered 429 and retried after Retry-After`,
  );
  check(tooMany > 0, 'apf: the API server returned 429s to the operator');
  check(total / secs <= 100 * 1.5, 'apf: request rate within the client limit (qps 100, burst 150)');
  report(v, 'under the APF limit');
  await r.delete({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', name: 'chaos-tiny' });
  await r.delete({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'PriorityLevelConfiguration',
    name: 'chaos-tiny',
  });
  await kill9(op);
}

async function leaseHolder(kube: Kube): Promise<string> {
  const leases = await kube.resources.list({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: NS,
  });
  const l = leases.items[0];
  return ((l?.['spec'] ?? {}) as { holderIdentity?: string }).holderIdentity ?? '';
}

async function phaseFailover(kube: Kube, kubeconfig: string): Promise<void> {
  const flags = [
    '--leader-elect',
    `--leader-election-namespace=${NS}`,
    '--leader-election-lease-duration=6s',
    '--leader-election-renew-deadline=4s',
    '--leader-election-retry-period=1s',
  ];
  const a = startOperator(kubeconfig, flags);
  const leader = await until('a leader', 60_000, async () =>
    (await leaseHolder(kube)).startsWith(`${a.name}_`) ? a : undefined,
  );
  const b = startOperator(kubeconfig, flags);
  const settled = await converge(kube, 'converged before the failover');
  report(settled.v, 'before the failover');
  let stop = false;
  const load = churn(kube, () => stop, 'f');
  await sleep(5_000);
  const standbyReconciles = sumMetric(await metricsOf(b), 'instance_reconcile_total');
  const tKill = Date.now();
  await kill9(leader);
  await until('the stand-by takes the lease', 120_000, async () =>
    (await leaseHolder(kube)).startsWith(`${b.name}_`) ? true : undefined,
  );
  const takeover = Date.now() - tKill;
  await sleep(3_000);
  stop = true;
  await load;
  const { ms, v } = await converge(kube, 'converged after the failover');
  figure(
    `failover: two operators with leader election (lease 6 s, renew 4 s, retry 1 s) under churn; the stand-by ran ${standbyReconciles} instance reconciles while the leader lived; leader killed (kill -9), stand-by holds the lease ${(takeover / 1000).toFixed(1)} s later; converged ${(ms / 1000).toFixed(1)} s after the churn stopped`,
  );
  check(standbyReconciles === 0, 'failover: the stand-by reconciled nothing while the leader held the lease');
  report(v, 'after the failover');
  await kill9(b);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  log(`seed ${SEED}; building dist/ (npm run build)`);
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' }).status !== 0)
    throw new Error('build failed');
  const load0 = loadavg();
  const adminKubeconfig = clusterUp();
  const kube = await connectKube({ kubeconfigPath: adminKubeconfig, qps: 0, userAgent: 'kro-ts-chaos' });
  const r = kube.resources;
  for (const f of ['kro.run_resourcegraphdefinitions.yaml', 'internal.kro.run_graphrevisions.yaml'])
    await ensureCrd(r, parse(readFileSync(join(repo, 'crds', f), 'utf8')) as KubeObject, {
      timeoutMs: 60_000,
    });
  await r.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  // The operator runs as a ServiceAccount (so a FlowSchema can single it out) with cluster-admin.
  await r.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA, namespace: NS } });
  await r.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'chaos-operator' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
  });
  const tr = await kube.client.request<{ status: { token: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${NS}/serviceaccounts/${SA}/token`,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 86400 },
    },
  });
  const admin = parse(readFileSync(adminKubeconfig, 'utf8')) as {
    clusters: {
      cluster: { server: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string };
    }[];
  };
  const cl = admin.clusters[0]!.cluster;
  const opKubeconfig = join(clusterDir, 'operator.kubeconfig');
  writeFileSync(
    opKubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: cl }],
      users: [{ name: 'sa', user: { token: tr.status.token } }],
      contexts: [{ name: 'sa', context: { cluster: 'c', user: 'sa' } }],
      'current-context': 'sa',
    }),
  );

  await r.create(rgd);
  const op = startOperator(opKubeconfig);
  await until('RGD Active', 120_000, async () => {
    const g = await r.get({ apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition', name: 'chaos' });
    return (g['status'] as { state?: string } | undefined)?.state === 'Active' ? true : undefined;
  });
  const t0 = Date.now();
  for (let i = 0; i < INSTANCES; i++) await createInstance(kube, `app-${i}`, `v0-${i}`);
  const first = await converge(kube, `${INSTANCES} instances converged`);
  figure(
    `workload: ${INSTANCES} instances of a 4-resource RGD (3 ConfigMaps, 1 headless Service) created and converged in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  report(first.v, 'initial workload');
  await kill9(op);

  if (PHASES.has('kill')) await phaseKill(kube, opKubeconfig);
  if (PHASES.has('apiserver')) await outage(kube, opKubeconfig, 'kube-apiserver');
  if (PHASES.has('etcd')) await outage(kube, opKubeconfig, 'etcd');
  if (PHASES.has('apf')) await phaseApf(kube, opKubeconfig);
  if (PHASES.has('failover')) await phaseFailover(kube, opKubeconfig);
  kube.close();

  console.log(
    `\nkro-ts chaos run, seed ${SEED}, ${INSTANCES} instances, load average ${load0} at start, ${loadavg()} at end (${process.argv.slice(2).join(' ') || 'defaults'})`,
  );
  for (const f of figures) console.log(`  ${f}`);
  console.log(failures.length === 0 ? 'all invariants held' : `FAILED:\n  ${failures.join('\n  ')}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

process.on('exit', () => {
  for (const op of ops) op.child.kill('SIGKILL');
  if (!KEEP) clusterDown();
});
process.on('SIGINT', () => process.exit(130));
main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  // Operator processes and watches keep the loop alive: leave explicitly (the exit hook cleans up).
  .finally(() => process.exit());
