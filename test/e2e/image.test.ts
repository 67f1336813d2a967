// The image's runtime stage is enough to run the operator: the files the Dockerfile's final stage
// copies (read from the Dockerfile by hack/check-image.ts, so a change there is tested here) are
// assembled outside the repository, with production dependencies only, and `node dist/main.js`
// is run from them: --help, then against the test cluster until /readyz, then SIGTERM → exit 0.
// No container engine is needed; the Dockerfile itself is linted by hack/check-image.test.ts.

import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeCopies } from '../../hack/check-image.js';
import { deleteAfter, eventually, getKube, getKubeConfigPath } from '../harness/index.js';
import type { BuiltDist } from './lib/operator-process.js';
import { buildDist, freePort } from './lib/operator-process.js';
import { ensureNamespace } from './lib/namespace.js';
import { repoRoot } from './lib/paths.js';

let app: string;
let work: string;
let built: BuiltDist | undefined;

/** Assembles /app of the runtime stage in `app` from the Dockerfile's COPY list. */
function assembleRuntime(): void {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const deps = join(work, 'prod-deps');
  const stages: Record<string, Record<string, () => string>> = {
    build: { '/app/dist': () => (built ??= buildDist()).dist },
    'prod-deps': {
      '/app/node_modules': () => {
        mkdirSync(deps, { recursive: true });
        for (const f of ['package.json', 'package-lock.json']) cpSync(join(repoRoot, f), join(deps, f));
        execFileSync(
          'npm',
          ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
          {
            cwd: deps,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        return join(deps, 'node_modules');
      },
    },
  };
  for (const copy of runtimeCopies(dockerfile)) {
    for (const src of copy.sources) {
      const from = copy.from === undefined ? join(repoRoot, src) : stages[copy.from]?.[src]?.();
      if (from === undefined)
        throw new Error(
          `the runtime stage copies ${src} from ${copy.from}: teach this test how to produce it`,
        );
      const dest = copy.dest.endsWith('/') ? posix.join(copy.dest, posix.basename(src)) : copy.dest;
      cpSync(from, join(app, dest), { recursive: true });
    }
  }
}

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/main.js', ...args], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kro-ts-image-'));
  chmodSync(work, 0o755);
  app = join(work, 'app');
  mkdirSync(app);
  assembleRuntime();
});

afterAll(() => {
  built?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('runtime stage of the image', () => {
  it('holds package.json, dist/ and production dependencies only', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { type: string };
    expect(pkg.type).toBe('module');
    expect(() => readFileSync(join(app, 'dist/main.js'))).not.toThrow();
    // Packages the lockfile marks dev-only (typescript, vitest, eslint, ...) must be absent.
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([path, p]) => p.dev === true && path.startsWith('node_modules/'))
      .map(([path]) => path);
    expect(devOnly).toContain('node_modules/typescript');
    expect(devOnly.filter((path) => existsSync(join(app, path)))).toEqual([]);
  });

  it('node dist/main.js --help exits 0 with the usage', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--leader-elect');
    expect(r.out).toContain('--health-probe-bind-address');
  });

  it('an unknown flag exits 2', async () => {
    const r = await run(['--no-such-flag']);
    expect(r.code).toBe(2);
  });

  it('runs as UID 65532 from a read-only /app: /readyz against the cluster with leader election, exit 0 on SIGTERM', async () => {
    const kube = await getKube();
    const ns = 'kro-system';
    if (await ensureNamespace(kube, ns)) deleteAfter({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    const [probe, metrics] = [await freePort(), await freePort()];
    // As in the pod: UID/GID 65532 (when the tests run as root), HOME pointing nowhere, and /app
    // owned by root and not writable by that user. The node binary and the kubeconfig are copied
    // where that user can read them.
    const kubeconfig = join(work, 'kubeconfig');
    copyFileSync(getKubeConfigPath(), kubeconfig);
    chmodSync(kubeconfig, 0o644);
    const node = join(work, 'node');
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
    const args = [
      'dist/main.js',
      '--kubeconfig',
      kubeconfig,
      '--leader-elect',
      `--leader-election-namespace=${ns}`,
      `--health-probe-bind-address=127.0.0.1:${probe}`,
      `--metrics-bind-address=127.0.0.1:${metrics}`,
    ];
    const asRoot = process.getuid?.() === 0;
    const [cmd, argv] = asRoot
      ? ['setpriv', ['--reuid=65532', '--regid=65532', '--clear-groups', node, ...args]]
      : [node, args];
    const child = spawn(cmd, argv, {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', NODE_OPTIONS: '--max-old-space-size=768' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(
        async () => {
          const res = await fetch(`http://127.0.0.1:${probe}/readyz`);
          expect(res.status, out.slice(-2000)).toBe(200);
          const m = await fetch(`http://127.0.0.1:${metrics}/metrics`);
          expect(await m.text()).toContain('leader_election_master_status');
        },
        { timeoutMs: 60_000, intervalMs: 250, description: 'the runtime-stage operator ready' },
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, out.slice(-3000)).toBe(0);
    // Whoever holds the Lease now, it is not this process: a holder releases it on SIGTERM
    // (here it usually won it; in-cluster runs, the installed operator keeps it).
    const lease = await kube.resources.tryGet({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      name: 'controller.kro.run',
      namespace: ns,
    });
    const holder = String((lease?.['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity ?? '');
    expect(holder.startsWith(`${hostname()}_`), `Lease holder ${holder}`).toBe(false);
  });
});
