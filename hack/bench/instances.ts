// Instance benchmark: N instances of a three-resource RGD (ConfigMap → Secret → ServiceAccount,
// one dependency chain, no kubelet involved) reconciled by the operator running as a separate
// process from the built dist/, against a local control plane started for the run.
//
//   npx tsx hack/bench/instances.ts [--instances 1000] [--idle-seconds 300] [--concurrency 20]
//
// Measures: time from create to Ready=True per instance (p50/p99, as seen by a watch) and until
// all are Ready; API requests per instance (delta of the API server's apiserver_request_total,
// split by verb, the bench's own instance creates and the API server's lease heartbeats
// subtracted); reconciles per instance (the operator's instance_reconcile_total); mutating
// requests during an idle period that starts once the operator is quiet (queue empty, no
// reconcile for 5 s; target 0); the operator's peak RSS (VmHWM). The control plane is always torn down, also on error or Ctrl-C.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Kube, KubeObject } from '../../src/kube/index.js';
import { connectKube, ensureCrd, Informer } from '../../src/kube/index.js';
import { delta, requestCounts, samples } from './lib/apiserver-metrics.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GROUP = 'bench.kro-ts.test';
const PLURAL = 'benchapps';
const NS = 'bench';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY', 'CREATE', 'UPDATE']);

interface Args {
  instances: number;
  idleSeconds: number;
  concurrency: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { instances: 1000, idleSeconds: 300, concurrency: 20 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2);
    const value = Number(inline ?? argv[++i]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`bad value for ${flag}`);
    if (flag === '--instances') args.instances = value;
    else if (flag === '--idle-seconds') args.idleSeconds = value;
    else if (flag === '--concurrency') args.concurrency = Math.max(1, value);
    else throw new Error(`unknown flag ${flag}`);
  }
  return args;
}

const log = (msg: string): void => void process.stderr.write(`[bench ${new Date().toISOString()}] ${msg}\n`);

function run(cmd: string, argv: string[]): string {
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${String(r.status)}`);
  return r.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** One sample sum of the operator's own /metrics (e.g. reconciles, queue length). */
async function operatorMetric(port: number, metric: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return samples(await res.text(), metric).reduce((a, s) => a + s.value, 0);
}

/**
 * Waits until the operator is quiet: its queue is empty and no reconcile started for `quietMs`
 * (the trailing reconciles caused by the children's watch events come after Ready).
 */
async function untilQuiet(port: number, quietMs: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  const deadline = Date.now() + 30 * 60_000;
  while (Date.now() < deadline) {
    const n = await operatorMetric(port, 'instance_reconcile_total');
    const queued = await operatorMetric(port, 'dynamic_controller_queue_length');
    if (n !== last || queued > 0) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the operator did not become quiet');
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** One dependency chain of three kinds that need no kubelet; readiness is existence. */
function rgd(): KubeObject {
  const template = (kind: string, name: string, extra: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, ...(extra['metadata'] as object | undefined) },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'metadata')),
  });
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'bench-app' },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        group: GROUP,
        kind: 'BenchApp',
        spec: { value: 'string' },
        status: { account: '${sa.metadata.name}' },
      },
      resources: [
        {
          id: 'config',
          template: template('ConfigMap', '${schema.metadata.name}-config', {
            data: { value: '${schema.spec.value}' },
          }),
        },
        {
          id: 'secret',
          template: template('Secret', '${config.metadata.name}-secret', {
            metadata: { annotations: { value: '${config.data.value}' } },
            type: 'Opaque',
          }),
        },
        {
          id: 'sa',
          template: template('ServiceAccount', '${secret.metadata.name}-sa', {
            metadata: { annotations: { secret: '${secret.metadata.name}' } },
          }),
        },
      ],
    },
  } as KubeObject;
}

async function installCrds(kube: Kube): Promise<void> {
  const dir = join(root, 'crds');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    await ensureCrd(kube.resources, parse(readFileSync(join(dir, f), 'utf8')) as KubeObject, {
      timeoutMs: 60_000,
    });
  }
}

/** The operator's log lives beside the cluster directory, so it survives `down`. */
const operatorLogPath = (dir: string): string => `${dir}-operator.log`;

function startOperator(kubeconfig: string, port: number, dir: string): ChildProcess {
  const out = createWriteStream(operatorLogPath(dir));
  const child = spawn(
    process.execPath,
    [
      'dist/main.js',
      `--kubeconfig=${kubeconfig}`,
      `--metrics-bind-address=127.0.0.1:${port}`,
      '--health-probe-bind-address=0',
      // Extra operator flags, e.g. KRO_TS_BENCH_OPERATOR_FLAGS='--zap-log-level=debug'.
      ...(process.env['KRO_TS_BENCH_OPERATOR_FLAGS'] ?? '').split(' ').filter((f) => f !== ''),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

interface Tracker {
  readonly createdAt: Map<string, number>;
  readonly readyAt: Map<string, number>;
  readonly informer: Informer;
}

function trackReady(kube: Kube): Tracker {
  const createdAt = new Map<string, number>();
  const readyAt = new Map<string, number>();
  const informer = new Informer(kube.resources, {
    target: { group: GROUP, version: 'v1alpha1', resource: PLURAL },
    namespace: NS,
  });
  const seen = (obj: KubeObject): void => {
    const name = obj.metadata.name ?? '';
    if (readyAt.has(name)) return;
    const conds = ((obj['status'] as { conditions?: { type: string; status: string }[] } | undefined)
      ?.conditions ?? []) as { type: string; status: string }[];
    if (conds.some((c) => c.type === 'Ready' && c.status === 'True')) readyAt.set(name, performance.now());
  };
  informer.addHandlers({ onAdd: seen, onUpdate: (_old, obj) => seen(obj) });
  informer.start();
  return { createdAt, readyAt, informer };
}

async function createInstances(kube: Kube, args: Args, tracker: Tracker): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < args.instances) {
      const i = next++;
      const name = `app-${String(i).padStart(5, '0')}`;
      tracker.createdAt.set(name, performance.now());
      await kube.resources.create({
        apiVersion: `${GROUP}/v1alpha1`,
        kind: 'BenchApp',
        metadata: { name, namespace: NS },
        spec: { value: `v-${i}` },
      } as KubeObject);
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
}

interface Figures {
  totalMs: number;
  latencies: number[];
  perVerb: Map<string, number>;
  perVerbResource: Map<string, number>;
  quietMs: number;
  reconciles: number;
  idleWrites: Map<string, number>;
  idleReconciles: number;
  peakRss: number;
  rssSamples: number[];
}

function printTable(args: Args, f: Figures): void {
  const n = args.instances;
  const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');
  const rows: [string, string][] = [
    ['instances', String(n)],
    ['create concurrency', String(args.concurrency)],
    ['all Ready after (s, from first create)', fmt(f.totalMs / 1000)],
    ['create → Ready p50 (ms)', fmt(percentile(f.latencies, 50))],
    ['create → Ready p99 (ms)', fmt(percentile(f.latencies, 99))],
    ['create → Ready max (ms)', fmt(f.latencies.at(-1) ?? NaN)],
    ['operator quiet after (s, from first create)', fmt(f.quietMs / 1000)],
  ];
  let total = 0;
  for (const [verb, c] of [...f.perVerb].sort()) {
    total += c;
    rows.push([`API requests / instance, ${verb} (API server)`, (c / n).toFixed(2)]);
  }
  rows.push(['API requests / instance, total (API server)', (total / n).toFixed(2)]);
  rows.push(['reconciles / instance until quiet', (f.reconciles / n).toFixed(2)]);
  const idle = [...f.idleWrites.values()].reduce((a, b) => a + b, 0);
  rows.push([`mutating requests during idle ${args.idleSeconds}s (API server, excl. leases)`, String(idle)]);
  rows.push([`reconciles during idle ${args.idleSeconds}s`, String(f.idleReconciles)]);
  rows.push(['operator peak RSS (VmHWM, MiB)', (f.peakRss / 2 ** 20).toFixed(1)]);
  rows.push(['operator RSS max sampled (MiB)', (Math.max(0, ...f.rssSamples) / 2 ** 20).toFixed(1)]);
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')}\n`);
  if (f.idleWrites.size > 0) {
    process.stdout.write(
      `\nidle writes by verb|resource: ${JSON.stringify(Object.fromEntries(f.idleWrites))}\n`,
    );
  }
  process.stdout.write(
    `\nconvergence requests by verb|resource (API server): ${JSON.stringify(Object.fromEntries([...f.perVerbResource].sort()))}\n`,
  );
}

function byVerb(d: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of d) {
    const verb = k.split('|')[0] ?? '';
    out.set(verb, (out.get(verb) ?? 0) + v);
  }
  return out;
}

/** Drops what is not the operator's: the bench's own creates and the API server's lease heartbeats. */
function operatorShare(d: Map<string, number>, instances: number): Map<string, number> {
  const out = new Map(d);
  const creates = `POST|${PLURAL}`;
  out.set(creates, (out.get(creates) ?? 0) - instances);
  if ((out.get(creates) ?? 0) <= 0) out.delete(creates);
  for (const k of [...out.keys()]) if (k.endsWith('|leases') || k.split('|')[1] === '') out.delete(k);
  return out;
}

async function bench(args: Args, dir: string): Promise<void> {
  log('building dist/ (npm run build)');
  run('npm', ['run', '--silent', 'build']);
  log(`starting a local control plane in ${dir}`);
  const kubeconfig =
    run('bash', ['hack/local-cluster.sh', 'up', '--dir', dir, '--no-kcm']).trim().split('\n').at(-1) ?? '';
  const kube = await connectKube({ kubeconfigPath: kubeconfig, userAgent: 'kro-ts-bench', qps: 0 });
  let operator: ChildProcess | undefined;
  let tracker: Tracker | undefined;
  try {
    await installCrds(kube);
    await kube.resources.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const port = await freePort();
    operator = startOperator(kubeconfig, port, dir);
    const pid = operator.pid ?? 0;
    const exited = new Promise<never>((_, reject) =>
      operator?.once('exit', (code) =>
        reject(new Error(`operator exited ${String(code)}; see ${operatorLogPath(dir)}`)),
      ),
    );
    void exited.catch(() => undefined);
    await waitFor(
      'operator metrics',
      async () => ((await fetch(`http://127.0.0.1:${port}/metrics`)).ok ? true : undefined),
      60_000,
    );
    const rssSamples: number[] = [];
    const sampler = setInterval(() => rssSamples.push(procStatus(pid, 'VmRSS')), 1000);
    try {
      await kube.resources.create(rgd());
      await waitFor(
        'RGD Active',
        async () => {
          const r = await kube.resources.get({
            apiVersion: 'kro.run/v1alpha1',
            kind: 'ResourceGraphDefinition',
            name: 'bench-app',
          });
          return (r['status'] as { state?: string } | undefined)?.state === 'Active' ? true : undefined;
        },
        120_000,
      );
      log('RGD Active; creating instances');
      tracker = trackReady(kube);
      await tracker.informer.waitForSync();
      const t = tracker;
      const before = await requestCounts(kube);
      const reconcilesBefore = await operatorMetric(port, 'instance_reconcile_total');
      const start = performance.now();
      const progress = setInterval(
        () =>
          log(
            `created ${t.createdAt.size}/${args.instances}, ready ${t.readyAt.size}, RSS ${(procStatus(pid, 'VmRSS') / 2 ** 20).toFixed(0)} MiB`,
          ),
        10_000,
      );
      try {
        await Promise.race([createInstances(kube, args, t), exited]);
        log(`all ${args.instances} created after ${((performance.now() - start) / 1000).toFixed(1)}s`);
        await Promise.race([
          waitFor(
            'all instances Ready',
            async () => (t.readyAt.size >= args.instances ? true : undefined),
            30 * 60_000,
          ),
          exited,
        ]);
      } finally {
        clearInterval(progress);
      }
      const totalMs = Math.max(...t.readyAt.values()) - start;
      const latencies = [...t.readyAt]
        .map(([n, at]) => at - (t.createdAt.get(n) ?? at))
        .sort((a, b) => a - b);
      log(`all Ready after ${(totalMs / 1000).toFixed(1)}s; waiting until the operator is quiet`);
      // Convergence includes the trailing reconciles caused by the children's last watch events.
      await Promise.race([untilQuiet(port, 5000), exited]);
      const quietMs = performance.now() - start - 5000;
      const converged = await requestCounts(kube);
      const reconcilesConverged = await operatorMetric(port, 'instance_reconcile_total');
      const conv = operatorShare(delta(converged, before), args.instances);
      log(`idle for ${args.idleSeconds}s`);
      const idleEnd = Date.now() + args.idleSeconds * 1000;
      while (Date.now() < idleEnd) {
        await Promise.race([
          new Promise((r) => setTimeout(r, Math.min(10_000, idleEnd - Date.now()))),
          exited,
        ]);
        log(`idle: ${Math.max(0, Math.round((idleEnd - Date.now()) / 1000))}s left, ready ${t.readyAt.size}`);
      }
      const idleAfter = await requestCounts(kube);
      const idleReconciles = (await operatorMetric(port, 'instance_reconcile_total')) - reconcilesConverged;
      const idleWrites = new Map(
        [...operatorShare(delta(idleAfter, converged), 0)].filter(([k]) =>
          MUTATING.has(k.split('|')[0] ?? ''),
        ),
      );
      printTable(args, {
        totalMs,
        latencies,
        perVerb: byVerb(conv),
        perVerbResource: conv,
        quietMs,
        reconciles: reconcilesConverged - reconcilesBefore,
        idleWrites,
        idleReconciles,
        peakRss: procStatus(pid, 'VmHWM'),
        rssSamples,
      });
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await tracker?.informer.stop();
    if (operator && operator.exitCode === null) {
      const gone = new Promise((r) => operator?.once('exit', r));
      operator.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 15_000))]);
      if (operator.exitCode === null) operator.kill('SIGKILL');
    }
    kube.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'kro-ts-bench-'));
  let down = false;
  const teardown = (): void => {
    if (down) return;
    down = true;
    log('stopping the control plane');
    spawnSync('bash', ['hack/local-cluster.sh', 'down', '--dir', dir], { cwd: root, stdio: 'inherit' });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      teardown();
      process.exit(130);
    });
  }
  try {
    await bench(args, dir);
  } finally {
    teardown();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
