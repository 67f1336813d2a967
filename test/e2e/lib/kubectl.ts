// The kubectl the e2e tier drives: $KUBECTL, else the locally built one
// (`bash hack/controlplane/build.sh`), always with the test cluster's kubeconfig.

import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

let cached: string | undefined;

export function kubectlPath(): string {
  cached ??=
    process.env['KUBECTL'] ||
    join(
      execFileSync('bash', [join(repoRoot, 'hack/controlplane/build.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim(),
      'kubectl',
    );
  return cached;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl; never throws for a non-zero exit (the caller decides). */
export function kubectl(kubeconfig: string, args: readonly string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    // A discovery cache apart from ~/.kube/cache (keyed by server address, so per cluster).
    const cacheDir = join(repoRoot, '.cache', 'e2e', 'kube-cache');
    const child = spawn(kubectlPath(), ['--kubeconfig', kubeconfig, `--cache-dir=${cacheDir}`, ...args], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Runs kubectl and throws with its output unless it exits 0. */
export async function kubectlOk(
  kubeconfig: string,
  args: readonly string[],
  input?: string,
): Promise<string> {
  const r = await kubectl(kubeconfig, args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}
