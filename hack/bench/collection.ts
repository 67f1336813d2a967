// Collection benchmark: a local control plane (etcd + kube-apiserver, no controller-manager), the
// kro-ts operator in-process with its default flags, and an RGD whose forEach renders one
// ConfigMap per item. Measures the time for 500 items to converge (instance ACTIVE, all items
// exist) and for scaling 500 → 50 to prune 450 items, with the reconciles the operator ran and the
// API requests the server counted (`apiserver_request_total` from /metrics, minus the benchmark's
// own polling). Run: `npx tsx hack/bench/collection.ts [items] [scaledItems] [--operator-flag=...]`.
//
// The control plane is always stopped (`hack/local-cluster.sh down`), also on failure or Ctrl-C.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import type { Kube, KubeObject } from '../../src/kube/index.js';
import { connectKube, ensureCrd } from '../../src/kube/index.js';
import { startOperator } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
/** Extra operator flags, e.g. `--client-qps=500 --client-burst=500`. */
const FLAGS = process.argv.slice(2).filter((a) => a.startsWith('--'));
const ITEMS = Number(positional[0] ?? 500);
const SCALED = Number(positional[1] ?? 50);
const GROUP = 'bench.kro-ts.test';
const NS = 'bench';
const LABELS = { 'kro-ts.bench/operator': 'collection' };
const root = fileURLToPath(new URL('../../', import.meta.url));
const clusterScript = join(root, 'hack/local-cluster.sh');

interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly reconciles: number;
  /** Seconds spent inside reconciles (sum of instance_reconcile_duration_seconds). */
  readonly reconcileSeconds: number;
  readonly requests: Record<string, number>;
}

function cluster(cmd: 'up' | 'down', dir: string): void {
  const args = cmd === 'up' ? ['up', '--dir', dir, '--no-kcm'] : ['down', '--dir', dir];
  execFileSync(clusterScript, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Polls `fn` until it returns true, with a deadline; counts the polls (their API requests). */
async function until(fn: () => Promise<boolean>, what: string, timeoutMs = 600_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let polls = 1; ; polls++) {
    if (await fn()) return polls;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** apiserver_request_total summed by verb (all resources, all clients). */
async function apiRequests(kube: Kube): Promise<Record<string, number>> {
  const s = await kube.client.stream({ method: 'GET', path: '/metrics', accept: 'text/plain' });
  let text = '';
  for await (const chunk of s.body) text += String(chunk);
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([A-Z]+)"/.exec(line)?.[1] ?? '?';
    out[verb] = (out[verb] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = (b[k] ?? 0) - (a[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

function rgd(): KubeObject {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'bench-collection', labels: LABELS },
    spec: {
      schema: { apiVersion: 'v1alpha1', kind: 'Shards', group: GROUP, spec: { count: 'integer' } },
      resources: [
        {
          id: 'shards',
          forEach: [{ i: '${lists.range(schema.spec.count)}' }],
          template: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: '${schema.metadata.name}-${string(i)}' },
            data: { index: '${string(i)}', owner: '${schema.metadata.name}' },
          },
        },
      ],
    },
  } as unknown as KubeObject;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kro-ts-bench-'));
  let down = false;
  const stop = (): void => {
    if (down) return;
    down = true;
    cluster('down', dir);
  };
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    cluster('up', dir);
    await run(join(dir, 'kubeconfig'));
  } finally {
    stop();
  }
}

async function run(kubeconfigPath: string): Promise<void> {
  const loaded = loadConfig({
    argv: [
      '--metrics-bind-address=0',
      '--health-probe-bind-address=0',
      `--kubeconfig=${kubeconfigPath}`,
      ...FLAGS,
    ],
    env: { POD_NAME: 'kro-ts-bench' },
  });
  if (!loaded.ok) throw loaded.error;
  const config = loaded.value;
  const kube = await connectKube({ kubeconfigPath, qps: config.clientQps, burst: config.clientBurst });
  const bench = await connectKube({ kubeconfigPath, qps: 0, userAgent: 'kro-ts-bench' });
  const metrics = createMetrics({ defaultMetrics: false });
  for (const file of ['kro.run_resourcegraphdefinitions.yaml', 'internal.kro.run_graphrevisions.yaml']) {
    const crd = parse(readFileSync(join(root, 'crds', file), 'utf8')) as KubeObject;
    await ensureCrd(bench.resources, crd, { timeoutMs: 60_000 });
  }
  const operator = await startOperator({
    config,
    kube,
    logger: createLogger({ level: 'error', encoder: 'json', devel: false }),
    metrics,
    rgdLabels: LABELS,
  });
  try {
    await bench.resources.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await bench.resources.create(rgd());
    const ref = { apiVersion: `${GROUP}/v1alpha1`, kind: 'Shards', name: 'shards', namespace: NS };
    await until(async () => {
      const r = await bench.resources.get({ ...rgd(), name: 'bench-collection' });
      return (r['status'] as { state?: string } | undefined)?.state === 'Active';
    }, 'RGD Active');
    await until(
      () =>
        bench.resources
          .list({ apiVersion: ref.apiVersion, kind: 'Shards', namespace: NS })
          .then(() => true)
          .catch(() => false),
      'instance kind served',
    );
    const reconciles = async (): Promise<number> => {
      const m = await metrics.instanceReconcileTotal.get();
      return m.values.reduce((n, v) => n + v.value, 0);
    };
    const reconcileSeconds = async (): Promise<number> => {
      const m = await metrics.instanceReconcileDuration.get();
      return m.values.filter((v) => v.metricName?.endsWith('_sum')).reduce((n, v) => n + v.value, 0);
    };
    const items = async (): Promise<number> =>
      (
        await bench.resources.list({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: NS,
          labelSelector: 'kro.run/node-id=shards',
          metadataOnly: true,
        })
      ).items.length;
    const converged = (generation: number, n: number) => async (): Promise<boolean> => {
      const inst = await bench.resources.get(ref);
      const st = (inst['status'] ?? {}) as { state?: string; observedGeneration?: number };
      if (st.state !== 'ACTIVE' || st.observedGeneration !== generation) return false;
      return (await items()) === n;
    };
    const phases: Phase[] = [];
    const measure = async (name: string, start: () => Promise<unknown>, done: () => Promise<boolean>) => {
      const req0 = await apiRequests(bench);
      const rec0 = await reconciles();
      const sec0 = await reconcileSeconds();
      const t0 = performance.now();
      await start();
      const polls = await until(done, name);
      const seconds = (performance.now() - t0) / 1000;
      // Let a reconcile still running (triggered by the items' own watch events) finish.
      await until(
        () => {
          const q = operator.manager.queue.stats();
          return Promise.resolve(q.ready === 0 && q.running === 0);
        },
        'queue drained',
        60_000,
      );
      // Everything the change caused, the follow-up reconcile included; minus the benchmark's own
      // polls (one GET each; the LIST after ACTIVE is rare and left in).
      const requests = diff(req0, await apiRequests(bench));
      requests['GET'] = Math.max(0, (requests['GET'] ?? 0) - polls);
      phases.push({
        name,
        seconds,
        reconciles: (await reconciles()) - rec0,
        reconcileSeconds: (await reconcileSeconds()) - sec0,
        requests,
      });
    };
    await measure(
      `create ${ITEMS} items`,
      () =>
        bench.resources.create({
          ...ref,
          metadata: { name: ref.name, namespace: NS },
          spec: { count: ITEMS },
        }),
      converged(1, ITEMS),
    );
    await measure(
      `scale ${ITEMS} → ${SCALED} (prune ${ITEMS - SCALED})`,
      () => bench.resources.mergePatch(ref, { spec: { count: SCALED } }),
      converged(2, SCALED),
    );
    print(phases);
  } finally {
    await operator.stop(10_000);
    kube.close();
    bench.close();
  }
}

function print(phases: readonly Phase[]): void {
  const rows = phases.map((p) => {
    const total = Object.values(p.requests).reduce((a, b) => a + b, 0);
    const verbs = Object.entries(p.requests)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([v, n]) => `${v} ${n}`)
      .join(', ');
    return [
      p.name,
      p.seconds.toFixed(2),
      String(p.reconciles),
      p.reconcileSeconds.toFixed(2),
      String(total),
      verbs,
    ];
  });
  const head = ['phase', 'converged s', 'reconciles', 'in reconcile s', 'API requests', 'by verb'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  const flags = FLAGS.length > 0 ? FLAGS.join(' ') : 'defaults (--client-qps=100 --client-burst=150)';
  process.stdout.write(`operator flags: ${flags}\n\n`);
  process.stdout.write(`${line(head)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write(
    "\nconverged s: until the instance is ACTIVE at the new generation and the item count is right.\nreconciles / API requests: everything the change caused, follow-up reconciles included\n(apiserver_request_total delta, all clients; the benchmark's polls subtracted).\n",
  );
}

await main();
