// vitest globalSetup of the in-cluster tier (test/e2e-node): a local control plane WITH a real node
// (`hack/local-cluster.sh up --node`: kubelet, containerd, CNI, kube-proxy, kube-scheduler), the
// project's image built from its Dockerfile (hack/image/build.sh prints a docker-archive of
// kro-ts:dev) and imported into the node's containerd. The tests install deploy/install.yaml with
// that image and run against the operator as a pod. Needs root (containers). The figures (node
// start, image build and import) are printed, never asserted.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import '../harness/context.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function log(msg: string): void {
  process.stderr.write(`[kro-ts node tier] ${msg}\n`);
}

/** Runs a command with stderr streamed; resolves with the last stdout line. */
function run(what: string, cmd: string, args: string[]): Promise<string> {
  const started = Date.now();
  return new Promise((resolveLine, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const heartbeat = setInterval(
      () => log(`still ${what} (${Math.round((Date.now() - started) / 1000)}s)`),
      60_000,
    );
    child.on('error', (e) => {
      clearInterval(heartbeat);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || last === '') {
        reject(new Error(`${what}: ${cmd} ${args.join(' ')} failed (exit ${code}); its output is above`));
        return;
      }
      log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
      resolveLine(last);
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the in-cluster tier (test/e2e-node) runs pods on a real local node and needs root; ' +
        'run it as root, or on kind (hack/kind-e2e.sh)',
    );
  }
  const dir = mkdtempSync('/tmp/kro-ts-node-');
  const cluster = join(repoRoot, 'hack', 'local-cluster.sh');
  process.once('exit', () => {
    spawnSync('bash', [cluster, 'down', '--dir', dir], { stdio: 'ignore' });
  });
  const down = async (): Promise<void> => {
    const t = Date.now();
    await run('stopping the cluster and node', 'bash', [cluster, 'down', '--dir', dir]).catch(() => 'x');
    log(`node teardown: ${((Date.now() - t) / 1000).toFixed(1)}s`);
  };
  try {
    // The image build and the node start are independent; run them side by side.
    const [tar, kubeconfigPath] = await Promise.all([
      run('building the image from the Dockerfile', 'bash', [join(repoRoot, 'hack', 'image', 'build.sh')]),
      run('starting the control plane with a real node', 'bash', [cluster, 'up', '--node', '--dir', dir]),
    ]);
    await run('importing kro-ts:dev into the node', 'bash', [
      '-c',
      'ctr --address "$1/node/containerd.sock" -n k8s.io images import "$2" >&2 && echo ok',
      'import',
      dir,
      tar,
    ]);
    project.provide('kubeconfigPath', kubeconfigPath);
    project.provide('clusterDir', dir);
    project.provide('serverVersion', '');
  } catch (e) {
    await down();
    throw e;
  }
  return down;
}
