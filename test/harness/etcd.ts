// Direct access to the harness cluster's etcd through its HTTP/JSON gateway, for tests that
// must age out resourceVersions: compacting makes older revisions unreadable, as happens in any
// long-lived cluster, so a watch resumed from before the compaction gets a real 410 Gone (for
// resources served from etcd rather than the watch cache; see global-setup.ts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function etcdUrl(clusterDir: string): string {
  const ports = readFileSync(join(clusterDir, 'ports'), 'utf8');
  const m = /^ETCD_PORT=(\d+)$/m.exec(ports);
  if (!m) throw new Error(`no ETCD_PORT in ${clusterDir}/ports`);
  return `http://127.0.0.1:${m[1]}`;
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`etcd ${url}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The current etcd revision (what the API server calls resourceVersion). */
export async function etcdRevision(clusterDir: string): Promise<number> {
  // A range over a key that does not exist still returns the store's header.
  const key = Buffer.from('/kro-ts-probe').toString('base64');
  const r = await post(`${etcdUrl(clusterDir)}/v3/kv/range`, { key });
  const header = r.header as { revision?: string } | undefined;
  return Number(header?.revision ?? 0);
}

/** Compacts etcd up to its current revision; returns that revision. */
export async function compactEtcd(clusterDir: string): Promise<number> {
  const revision = await etcdRevision(clusterDir);
  await post(`${etcdUrl(clusterDir)}/v3/kv/compaction`, { revision: String(revision), physical: true });
  return revision;
}
