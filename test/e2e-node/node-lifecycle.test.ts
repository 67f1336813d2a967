// `hack/local-cluster.sh up --node` / `down` on its own: a second node cluster starts beside the
// tier's one (nothing collides: each node lives in its own network namespace), runs a pod, and
// `down` leaves the host as it found it — no process, mount, network namespace, link, cgroup or
// iptables rule. Host state is compared before and after.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../harness/index.js';
import { kubectlOk } from '../e2e/lib/kubectl.js';
import { repoRoot } from '../e2e/lib/paths.js';

const cluster = join(repoRoot, 'hack', 'local-cluster.sh');
const dir = mkdtempSync('/tmp/kro-ts-node2-');

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

interface HostState {
  netns: string[];
  links: string[];
  mounts: string[];
  cgroups: string[];
  iptables: string[];
  processes: string[];
}

function hostState(): HostState {
  const cgroupRoots = ['memory', 'cpu', 'pids', 'cpuset', 'unified'].map((c) => `/sys/fs/cgroup/${c}`);
  return {
    netns: sh('ip', ['netns', 'list']).split('\n').filter(Boolean).sort(),
    links: sh('ip', ['-o', 'link', 'show'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(':')[1]!.trim().split('@')[0]!)
      .sort(),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((m) => m.startsWith(dir) || m.startsWith('/run/netns/'))
      .sort(),
    cgroups: cgroupRoots
      .filter((r) => existsSync(r))
      .flatMap((r) => readdirSync(r).map((e) => `${r}/${e}`))
      .sort(),
    iptables: sh('iptables-save', [])
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.replace(/\[\d+:\d+\]/g, ''))
      .sort(),
    processes: readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .flatMap((p) => {
        try {
          const c = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
          return c.includes(dir) ? [c.trim()] : [];
        } catch {
          return [];
        }
      }),
  };
}

afterAll(() => {
  spawnSync('bash', [cluster, 'down', '--dir', dir], { stdio: 'ignore' });
});

describe('hack/local-cluster.sh up --node / down', () => {
  it('runs a pod on a second node beside the first, and down leaves nothing behind', async () => {
    const before = hostState();
    const t0 = Date.now();
    const up = spawnSync('bash', [cluster, 'up', '--node', '--dir', dir], { encoding: 'utf8' });
    expect(up.status, up.stderr).toBe(0);
    const upMs = Date.now() - t0;
    const kc = up.stdout.trim().split('\n').pop()!;
    const env = readFileSync(join(dir, 'node', 'env'), 'utf8');
    expect(env).toMatch(/^NETNS=krots-[0-9a-f]{8}$/m);

    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx:latest', imagePullPolicy: 'Never' }] },
    };
    await kubectlOk(kc, ['apply', '-f', '-'], JSON.stringify(pod));
    await eventually(
      async () => {
        const p = JSON.parse(await kubectlOk(kc, ['get', 'pod', 'web', '-o', 'json'])) as {
          status: { phase: string; podIP?: string };
        };
        if (p.status.phase !== 'Running' || !p.status.podIP) throw new Error(`pod ${p.status.phase}`);
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'pod web Running' },
    );
    // While it runs, the node's footprint is visible on the host (so the comparison below means something).
    const during = hostState();
    expect(during.netns.length).toBeGreaterThan(before.netns.length);
    expect(during.mounts.length).toBeGreaterThan(before.mounts.length);
    expect(during.processes.length).toBeGreaterThan(0);

    const t1 = Date.now();
    const down = spawnSync('bash', [cluster, 'down', '--dir', dir], { encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    const downMs = Date.now() - t1;
    const after = hostState();
    expect(after.processes).toEqual([]);
    expect(after.netns).toEqual(before.netns);
    expect(after.links).toEqual(before.links);
    expect(after.mounts).toEqual(before.mounts);
    expect(after.cgroups).toEqual(before.cgroups);
    expect(after.iptables).toEqual(before.iptables);
    expect(existsSync(dir)).toBe(false);
    process.stderr.write(
      `[kro-ts node tier] second node cluster: up --node ${(upMs / 1000).toFixed(1)}s, down ${(downMs / 1000).toFixed(1)}s\n`,
    );
  });
});
