// A private control plane for the few tests that must change the API server's own flags (e.g.
// priority-and-fairness on, which the shared cluster turns off): hack/local-cluster.sh in a
// temporary directory, stopped by the returned function (and on process exit).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const clusterScript = join(repoRoot, 'hack', 'local-cluster.sh');

export interface OwnCluster {
  readonly dir: string;
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

export async function startOwnCluster(
  opts: { apiserverArgs?: string; kcm?: boolean } = {},
): Promise<OwnCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kro-ts-own-'));
  const down = (): void => void spawnSync('bash', [clusterScript, 'down', '--dir', dir], { stdio: 'ignore' });
  process.once('exit', down);
  const args = ['up', '--dir', dir, ...(opts.kcm === false ? ['--no-kcm'] : [])];
  const kubeconfigPath = await new Promise<string>((res, rej) => {
    const child = spawn('bash', [clusterScript, ...args], {
      cwd: repoRoot,
      env: { ...process.env, KRO_TS_APISERVER_ARGS: opts.apiserverArgs ?? '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', rej);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || last === '') rej(new Error(`hack/local-cluster.sh up failed (exit ${code})`));
      else res(last);
    });
  }).catch((e: unknown) => {
    down();
    throw e;
  });
  return {
    dir,
    kubeconfigPath,
    stop: async () => {
      process.removeListener('exit', down);
      await new Promise<void>((res) => {
        const child = spawn('bash', [clusterScript, 'down', '--dir', dir], { stdio: 'ignore' });
        child.on('close', () => res());
        child.on('error', () => res());
      });
    },
  };
}
