// The operator under test. Default: built from this checkout (tsc into a private directory, so a
// concurrent `npm run build` cannot interfere) and run as a separate `node dist/main.js` process
// against the harness's kubeconfig, its output captured. KRO_TS_E2E_OPERATOR=in-cluster: the
// operator already runs in the cluster (Deployment kro in kro-system, e.g. hack/kind-e2e.sh) and
// logs come from `kubectl logs`. KRO_TS_E2E_DIST=<dir> reuses a built dist/ instead of compiling.

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { kubectl } from './kubectl.js';
import { repoRoot } from './paths.js';

export type OperatorMode = 'process' | 'in-cluster';

export function operatorMode(): OperatorMode {
  const v = process.env['KRO_TS_E2E_OPERATOR'] ?? 'process';
  if (v !== 'process' && v !== 'in-cluster')
    throw new Error(`KRO_TS_E2E_OPERATOR must be process or in-cluster, got ${v}`);
  return v;
}

export interface BuiltDist {
  /** Directory holding main.js. */
  readonly dist: string;
  remove(): void;
}

/** Compiles src/ into a private directory under .cache/ (node_modules resolve from the repo). */
export function buildDist(): BuiltDist {
  const given = process.env['KRO_TS_E2E_DIST'];
  if (given) return { dist: given, remove: () => undefined };
  const base = join(repoRoot, '.cache', 'e2e');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'build-'));
  const dist = join(dir, 'dist');
  execFileSync(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dist],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { dist, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningOperator {
  readonly mode: OperatorMode;
  /** Probe address (process mode). */
  readonly probeUrl: string | undefined;
  readonly metricsUrl: string | undefined;
  /** A position in the log, to print only what came after it. */
  mark(): number;
  /** Log lines since `mark` (in-cluster: the pod's recent log). */
  logsSince(mark: number): Promise<string>;
  /** The Prometheus text of /metrics (in-cluster: through the API server's pod proxy). */
  metrics(): Promise<string>;
  /** SIGTERM and wait; resolves with the exit code (null in-cluster). */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  readonly kubeconfig: string;
  readonly dist: string;
  readonly extraFlags?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/** Starts `node <dist>/main.js` and waits for /readyz. */
export async function startOperatorProcess(opts: StartOptions): Promise<RunningOperator> {
  const [probePort, metricsPort] = [await freePort(), await freePort()];
  const logDir = join(repoRoot, '.cache', 'e2e');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `operator-${process.pid}-${Date.now()}.log`);
  const file = createWriteStream(logFile);
  const lines: string[] = [];
  const child = spawn(
    process.execPath,
    [
      join(opts.dist, 'main.js'),
      '--kubeconfig',
      opts.kubeconfig,
      `--health-probe-bind-address=127.0.0.1:${probePort}`,
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      '--instance-requeue-interval=500ms',
      '--rgd-progress-requeue-delay=500ms',
      '--dynamic-controller-rate-limiter-max-delay=5s',
      '--graceful-shutdown-timeout=10s',
      '--zap-log-level=debug',
      ...(opts.extraFlags ?? []),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POD_NAME: 'kro-ts-e2e' } },
  );
  const onData = (c: Buffer): void => {
    file.write(c);
    lines.push(...c.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const probeUrl = `http://127.0.0.1:${probePort}`;
  await waitReady({ child, probeUrl, lines, logFile, timeoutMs: opts.readyTimeoutMs ?? 60_000 });
  return {
    mode: 'process',
    probeUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    mark: () => lines.length,
    logsSince: (m) => Promise.resolve(lines.slice(m).join('\n')),
    metrics: async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      file.end();
      return code;
    },
  };
}

async function waitReady(o: {
  child: ChildProcess;
  probeUrl: string;
  lines: string[];
  logFile: string;
  timeoutMs: number;
}): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (o.child.exitCode !== null) {
      throw new Error(
        `operator exited ${o.child.exitCode} before ready; log:\n${o.lines.slice(-50).join('\n')}`,
      );
    }
    try {
      const res = await fetch(`${o.probeUrl}/readyz`);
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  o.child.kill('SIGKILL');
  throw new Error(
    `operator not ready after ${o.timeoutMs}ms (last /readyz: ${last}); log ${o.logFile}:\n${o.lines.slice(-50).join('\n')}`,
  );
}

/** The operator running in the cluster: Deployment kro in kro-system must be available. */
export async function attachInCluster(kubeconfig: string): Promise<RunningOperator> {
  const r = await kubectl(kubeconfig, [
    '-n',
    'kro-system',
    'rollout',
    'status',
    'deployment/kro',
    '--timeout=120s',
  ]);
  if (r.code !== 0) throw new Error(`in-cluster operator not available: ${r.stderr || r.stdout}`);
  const starts: number[] = [];
  return {
    mode: 'in-cluster',
    probeUrl: undefined,
    metricsUrl: undefined,
    mark: () => starts.push(Date.now()) - 1,
    logsSince: async (m) => {
      const since = Math.max(1, Math.ceil((Date.now() - (starts[m] ?? Date.now())) / 1000) + 5);
      const logs = await kubectl(kubeconfig, [
        '-n',
        'kro-system',
        'logs',
        'deployment/kro',
        `--since=${since}s`,
      ]);
      return logs.stdout + logs.stderr;
    },
    metrics: async () => {
      const pod = await kubectl(kubeconfig, [
        '-n',
        'kro-system',
        'get',
        'pods',
        '-l',
        'app.kubernetes.io/name=kro',
        '--field-selector=status.phase=Running',
        '-o',
        'jsonpath={.items[0].metadata.name}',
      ]);
      const raw = await kubectl(kubeconfig, [
        'get',
        '--raw',
        `/api/v1/namespaces/kro-system/pods/${pod.stdout.trim()}:8078/proxy/metrics`,
      ]);
      if (raw.code !== 0) throw new Error(`metrics through the pod proxy: ${raw.stderr}`);
      return raw.stdout;
    },
    stop: () => Promise.resolve(null),
  };
}

export function distExists(dist: string): boolean {
  return existsSync(join(dist, 'main.js'));
}
