// The GitOps oracles: the real clients' verdicts on an object, for the tests.
//   kstatus       sigs.k8s.io/cli-utils' kstatus (Flux, kpt, Helm --wait), hack/oracles/kstatus
//   argocd        Argo CD's Lua health evaluation (gopher-lua) of deploy/argocd/argocd-cm.yaml,
//                 hack/oracles/argocd
//   kubectl wait  the built kubectl, `wait --for=condition=Ready` with a short timeout
// The Go oracles are built (and cached) by hack/oracles/build.sh; .ci/run builds them up front.

import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { KubeObject } from '../../../src/kube/index.js';
import { kubectl } from '../../e2e/lib/kubectl.js';
import { repoRoot } from '../../e2e/lib/paths.js';
import { getKubeConfigPath } from '../../harness/index.js';

let bin: string | undefined;

function oracleBin(): string {
  bin ??= execFileSync('bash', [join(repoRoot, 'hack/oracles/build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return bin;
}

export const ARGOCD_CM = join(repoRoot, 'deploy/argocd/argocd-cm.yaml');

function run(cmd: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${String(code)}: ${err || out}`)),
    );
    child.stdin.end(input);
  });
}

export interface Verdict {
  readonly status: string;
  readonly message: string;
}

/** kstatus's status.Compute: Current, InProgress, Failed, Terminating, ... */
export async function kstatus(obj: KubeObject): Promise<Verdict> {
  return JSON.parse(await run(join(oracleBin(), 'kstatus'), [], JSON.stringify(obj))) as Verdict;
}

/** Argo CD's health with the shipped argocd-cm: Healthy, Progressing, Degraded, Suspended; '' = none. */
export async function argocdHealth(obj: KubeObject, cm = ARGOCD_CM): Promise<Verdict & { key: string }> {
  return JSON.parse(await run(join(oracleBin(), 'argocd-health'), [cm], JSON.stringify(obj))) as Verdict & {
    key: string;
  };
}

/**
 * `kubectl wait --for=condition=Ready` on the object with `timeout`: 'met' when it exits 0,
 * 'not met' when it times out; anything else throws.
 */
export async function kubectlWaitReady(
  ref: { plural: string; group: string; name: string; namespace: string },
  timeout: string,
): Promise<'met' | 'not met'> {
  const r = await kubectl(getKubeConfigPath(), [
    'wait',
    '--for=condition=Ready',
    `--timeout=${timeout}`,
    '-n',
    ref.namespace,
    `${ref.plural}.${ref.group}/${ref.name}`,
  ]);
  if (r.code === 0) return 'met';
  if (/timed out waiting/i.test(r.stderr)) return 'not met';
  throw new Error(`kubectl wait exited ${r.code}: ${r.stderr || r.stdout}`);
}
