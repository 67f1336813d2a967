// Prometheus text helpers shared by the benchmarks: samples of one metric, the API server's
// /metrics, and apiserver_request_total summed by verb and resource.

import type { Kube } from '../../../src/kube/index.js';

export interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Prometheus text → samples of one metric (labels as a record). */
export function samples(text: string, metric: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const m = /^[^{ ]+(?:\{(.*)\})? ([^ ]+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[1] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] ?? ''] = l[2] ?? '';
    out.push({ labels, value: Number(m[2]) });
  }
  return out;
}

export async function apiServerMetrics(kube: Kube): Promise<string> {
  const s = await kube.client.stream({ method: 'GET', path: '/metrics', accept: 'text/plain' });
  const chunks: Buffer[] = [];
  for await (const c of s.body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** apiserver_request_total summed by `VERB|resource[/subresource]`. */
export async function requestCounts(kube: Kube): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of samples(await apiServerMetrics(kube), 'apiserver_request_total')) {
    const key = `${s.labels['verb'] ?? ''}|${s.labels['resource'] ?? ''}${s.labels['subresource'] ? `/${s.labels['subresource']}` : ''}`;
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/** after - before, positive entries only. */
export function delta(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const d = new Map<string, number>();
  for (const [k, v] of after) {
    const x = v - (before.get(k) ?? 0);
    if (x > 0) d.set(k, x);
  }
  return d;
}
