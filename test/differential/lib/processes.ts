// Processes of the differential tier: local control planes (hack/local-cluster.sh with a directory
// of their own), kro's controller (built by hack/kro/build.sh) and kro-ts (built from src/ like the
// e2e tier runs it). Every process started here is stopped by the returned handle.

import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, freePort, startOperatorProcess } from '../../e2e/lib/operator-process.js';
import type { BuiltDist, RunningOperator } from '../../e2e/lib/operator-process.js';
import { kubectl } from '../../e2e/lib/kubectl.js';
import { repoRoot } from '../../e2e/lib/paths.js';

export function log(msg: string): void {
  process.stderr.write(`[differential] ${msg}\n`);
}

export interface ControlPlane {
  readonly name: string;
  readonly dir: string;
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

const clusterScript = join(repoRoot, 'hack', 'local-cluster.sh');

/** Starts etcd + kube-apiserver + kube-controller-manager in a directory of its own. */
export async function startControlPlane(name: string): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), `kro-ts-diff-${name}-`));
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [clusterScript, 'up', '--dir', dir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last)
        reject(new Error(`local-cluster.sh up (${name}) failed (exit ${code}):\n${err}`));
      else resolve(last);
    });
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const child = spawn('bash', [clusterScript, 'down', '--dir', dir], { stdio: 'ignore' });
      child.on('close', () => resolve());
      child.on('error', () => resolve());
    });
  process.once('exit', () => {
    try {
      execFileSync('bash', [clusterScript, 'down', '--dir', dir], { stdio: 'ignore' });
    } catch {
      /* best effort */
    }
  });
  return { name, dir, kubeconfig, stop };
}

/** hack/kro/build.sh: the bin directory of kro's controller (cold build: minutes). */
export function kroBinDir(): string {
  return execFileSync('bash', [join(repoRoot, 'hack', 'kro', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** kro's CRDs (helm/crds of the module), copied next to the binary by hack/kro/build.sh. */
export function kroCrdFiles(binDir: string): string[] {
  const d = join(binDir, '..', 'crds');
  return readdirSync(d)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(d, f));
}

export function kroTsCrdFiles(): string[] {
  const d = join(repoRoot, 'crds');
  return readdirSync(d)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(d, f));
}

export async function applyCrdFiles(kubeconfig: string, files: readonly string[]): Promise<void> {
  for (const f of files) {
    const r = await kubectl(kubeconfig, ['apply', '--server-side', '--force-conflicts', '-f', f]);
    if (r.code !== 0) throw new Error(`kubectl apply ${f}: ${r.stderr}`);
  }
  const r = await kubectl(kubeconfig, [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/resourcegraphdefinitions.kro.run',
  ]);
  if (r.code !== 0) throw new Error(`RGD CRD not established: ${r.stderr}`);
}

export interface Controller {
  readonly name: 'kro' | 'kro-ts';
  readonly logFile: string;
  stop(): Promise<void>;
}

/** kro's controller out of cluster, with the tuned flags of CONTROL-PLANE.md (8 workers, no throttling). */
export async function startKro(binDir: string, kubeconfig: string): Promise<Controller> {
  const [metrics, probe] = [await freePort(), await freePort()];
  const logDir = join(repoRoot, '.cache', 'differential');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `kro-${process.pid}-${Date.now()}.log`);
  const file = createWriteStream(logFile);
  const child = spawn(
    join(binDir, 'controller'),
    [
      '--kubeconfig',
      kubeconfig,
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${metrics}`,
      `--health-probe-bind-address=127.0.0.1:${probe}`,
      '--dynamic-controller-concurrent-reconciles=8',
      '--client-qps=100000',
      '--client-burst=100000',
      '--dynamic-controller-rate-limiter-rate-limit=100000',
      '--dynamic-controller-rate-limiter-burst-limit=100000',
      ...FEATURE_GATES,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(file);
  child.stderr.pipe(file);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kro exited ${child.exitCode} before ready; log ${logFile}`);
    try {
      const res = await fetch(`http://127.0.0.1:${probe}/readyz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kro not ready after 60s; log ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name: 'kro',
    logFile,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
      file.end();
    },
  };
}

/** Alpha gates the corpus exercises, on for both controllers. */
const FEATURE_GATES = ['--feature-gates=CELOmitFunction=true'];

let dist: BuiltDist | undefined;

/** kro-ts as a separate process from a private build of src/ (shared by the tier's files). */
export async function startKroTs(kubeconfig: string): Promise<Controller & { op: RunningOperator }> {
  dist ??= buildDist();
  const op = await startOperatorProcess({
    kubeconfig,
    dist: dist.dist,
    extraFlags: ['--client-qps=100000', '--client-burst=100000', '--zap-log-level=info', ...FEATURE_GATES],
  });
  return {
    name: 'kro-ts',
    logFile: '',
    op,
    stop: async () => {
      await op.stop();
    },
  };
}

export function removeDist(): void {
  dist?.remove();
  dist = undefined;
}
