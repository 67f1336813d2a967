// vitest globalSetup for the integration and e2e tiers: one real control plane per test run.
// KRO_TS_TEST_KUBECONFIG (or KUBECONFIG_E2E) points the tests at an existing cluster; otherwise
// hack/local-cluster.sh starts etcd + kube-apiserver + kube-controller-manager on loopback (the
// first run builds them from source, which takes many minutes; progress goes to stderr) and
// stops them when the run ends. Both projects of one vitest run share the same cluster.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { connectKube, getServerVersion } from '../../src/kube/index.js';
import './context.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const clusterScript = join(repoRoot, 'hack', 'local-cluster.sh');

interface Cluster {
  kubeconfigPath: string;
  clusterDir: string;
  serverVersion: string;
}

interface Shared {
  cluster: Promise<Cluster>;
  refs: number;
  stopped: boolean;
}

const SHARED = Symbol.for('kro-ts.test.cluster');
type GlobalWithCluster = typeof globalThis & { [SHARED]?: Shared };

function log(msg: string): void {
  process.stderr.write(`[kro-ts harness] ${msg}\n`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const g = globalThis as GlobalWithCluster;
  let shared = g[SHARED];
  if (!shared || shared.stopped) {
    shared = { cluster: startOrReuse(), refs: 0, stopped: false };
    g[SHARED] = shared;
  }
  shared.refs += 1;
  const s = shared;
  const cluster = await s.cluster;
  project.provide('kubeconfigPath', cluster.kubeconfigPath);
  project.provide('clusterDir', cluster.clusterDir);
  project.provide('serverVersion', cluster.serverVersion);
  return async () => {
    s.refs -= 1;
    if (s.refs > 0 || s.stopped) return;
    s.stopped = true;
    if (cluster.clusterDir) await stopCluster(cluster.clusterDir);
  };
}

async function startOrReuse(): Promise<Cluster> {
  const external = process.env.KRO_TS_TEST_KUBECONFIG || process.env.KUBECONFIG_E2E;
  if (external) {
    log(`using existing cluster from ${external}`);
    return { kubeconfigPath: external, clusterDir: '', serverVersion: await reportVersion(external) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kro-ts-it-'));
  log(`starting a local control plane in ${dir} (a cold build of kube-apiserver/etcd can take many minutes)`);
  // Stop the processes even if vitest is interrupted before teardown runs.
  process.once('exit', () => {
    spawnSync('bash', [clusterScript, 'down', '--dir', dir], { stdio: 'ignore' });
  });
  const kubeconfigPath = await runUp(dir).catch(async (e: unknown) => {
    await stopCluster(dir); // also removes the directory
    throw e;
  });
  return { kubeconfigPath, clusterDir: dir, serverVersion: await reportVersion(kubeconfigPath) };
}

function runUp(dir: string): Promise<string> {
  const started = Date.now();
  return new Promise((resolvePath, reject) => {
    const child = spawn('bash', [clusterScript, 'up', '--dir', dir], {
      cwd: repoRoot,
      env: { ...process.env, KRO_TS_APISERVER_ARGS: apiserverArgs() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const heartbeat = setInterval(() => {
      log(`still starting the control plane (${Math.round((Date.now() - started) / 1000)}s)`);
    }, 60_000);
    child.on('error', (e) => {
      clearInterval(heartbeat);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || last === '') {
        reject(new Error(`hack/local-cluster.sh up failed (exit ${code}); its output is above`));
        return;
      }
      resolvePath(last);
    });
  });
}

/**
 * PodTemplates (which nothing else in the tests uses) bypass the watch cache, so their watches
 * are served by etcd: after a compaction a watch resumed from an older version gets the real
 * 410 Gone, which the informer tests need. Every other resource keeps the default cache.
 */
function apiserverArgs(): string {
  return [process.env.KRO_TS_APISERVER_ARGS, '--watch-cache-sizes=podtemplates#0'].filter(Boolean).join(' ');
}

async function reportVersion(kubeconfigPath: string): Promise<string> {
  const kube = await connectKube({ kubeconfigPath, qps: 0 });
  try {
    const v = await getServerVersion(kube.client);
    log(`tests run against a real kube-apiserver ${v.gitVersion} at ${kube.client.server}`);
    return v.gitVersion;
  } finally {
    kube.close();
  }
}

function stopCluster(dir: string): Promise<void> {
  return new Promise((res) => {
    const child = spawn('bash', [clusterScript, 'down', '--dir', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('close', () => res());
    child.on('error', () => res());
  });
}
