// Normalisation and comparison of two snapshots (kro, kro-ts), and the allow-list check.

import type { KubeObject } from '../../../src/kube/index.js';
import type { Category, Snapshot } from './snapshot.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const CLUSTER_IP = /^10\.0\.0\.\d+$/;

function identity(o: KubeObject): string {
  const ns = o.metadata.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind}:${ns}${o.metadata.name ?? ''}`;
}

/** Normalises every object of a snapshot: uids mapped to the object they name, no volatile metadata. */
export function normaliseSnapshot(snap: Snapshot): Map<string, Json> {
  const uids = new Map<string, string>();
  for (const o of snap.values())
    if (o.obj.metadata.uid) uids.set(o.obj.metadata.uid, `<uid of ${identity(o.obj)}>`);
  const out = new Map<string, Json>();
  for (const o of snap.values()) out.set(o.key, normaliseObject(o.obj, uids));
  return out;
}

function normaliseObject(obj: KubeObject, uids: Map<string, string>): Json {
  const o = JSON.parse(JSON.stringify(obj)) as { metadata: Record<string, unknown>; [k: string]: unknown };
  const m = o.metadata;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'selfLink', 'deletionTimestamp'])
    delete m[k];
  if (Array.isArray(m['managedFields'])) {
    // Reduced to which manager wrote how: { "<manager> <operation>[ /<subresource>]": "" }.
    const managers: Record<string, string> = {};
    for (const f of m['managedFields'] as { manager?: string; operation?: string; subresource?: string }[])
      managers[`${f.manager ?? ''} ${f.operation ?? ''}${f.subresource ? ` /${f.subresource}` : ''}`] = '';
    m['managedFields'] = managers;
  }
  return walk(o as unknown as Json, uids, '');
}

function walk(v: Json, uids: Map<string, string>, key: string): Json {
  if (typeof v === 'string') {
    if (TIMESTAMP.test(v)) return '<timestamp>';
    if (CLUSTER_IP.test(v)) return '<cluster-ip>';
    return v.replace(UID, (u) => uids.get(u) ?? '<uid>');
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => walk(x, uids, ''));
    // kro builds `required` from a Go map: its order varies between runs.
    if (key === 'required' && items.every((x) => typeof x === 'string'))
      return [...(items as string[])].sort();
    // kro collects a resource's dependencies by walking its template, a Go map: the order of
    // `status.resources[].dependencies` (RGD, GraphRevision) varies between runs.
    if (key === 'dependencies' && items.every((x) => isObject(x) && typeof x['id'] === 'string'))
      return [...items].sort((x, y) =>
        String((x as { id: string }).id).localeCompare(String((y as { id: string }).id)),
      );
    return items;
  }
  if (v && typeof v === 'object') {
    const r: { [k: string]: Json } = {};
    for (const k of Object.keys(v).sort()) r[k] = walk(v[k]!, uids, k);
    return r;
  }
  return v;
}

function isObject(v: Json): v is { [k: string]: Json } {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Leaves of a JSON value by path; list items keyed by `type` or `name` when every item has one. */
export function flatten(v: Json, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, '[]');
    const keyField = (['type', 'name'] as const).find((f) =>
      v.every(
        (x) =>
          x &&
          typeof x === 'object' &&
          !Array.isArray(x) &&
          typeof (x as Record<string, Json>)[f] === 'string',
      ),
    );
    const seen = new Set<string>();
    v.forEach((x, i) => {
      let seg = `[${i}]`;
      if (keyField) {
        const k = `[${keyField}=${String((x as Record<string, Json>)[keyField])}]`;
        if (!seen.has(k)) seg = k;
        seen.add(k);
      }
      flatten(x, `${path}${seg}`, out);
    });
  } else if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) out.set(path, '{}');
    for (const k of keys) flatten(v[k]!, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, JSON.stringify(v));
  }
  return out;
}

export interface Difference {
  readonly object: string;
  readonly category: Category;
  readonly kind: string;
  readonly path: string;
  /** JSON of kro's value, undefined when absent. */
  readonly kro: string | undefined;
  readonly kroTs: string | undefined;
}

export function compareSnapshots(kro: Snapshot, kroTs: Snapshot): Difference[] {
  const a = normaliseSnapshot(kro);
  const b = normaliseSnapshot(kroTs);
  const diffs: Difference[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const src = kro.get(key) ?? kroTs.get(key)!;
    const base = { object: key, category: src.category, kind: src.obj.kind };
    const va = a.get(key);
    const vb = b.get(key);
    if (va === undefined || vb === undefined) {
      diffs.push({
        ...base,
        path: '',
        kro: va === undefined ? undefined : '<present>',
        kroTs: vb === undefined ? undefined : '<present>',
      });
      continue;
    }
    const fa = flatten(va);
    const fb = flatten(vb);
    for (const p of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
      if (fa.get(p) !== fb.get(p)) diffs.push({ ...base, path: p, kro: fa.get(p), kroTs: fb.get(p) });
    }
  }
  return diffs;
}

/** One deliberate difference between kro and kro-ts. */
export interface AllowEntry {
  readonly id: string;
  readonly reason: string;
  readonly category?: readonly Category[];
  /** Matches the object's kind. */
  readonly kind?: RegExp;
  /** Matches the object key (`<category> <apiVersion> <kind> <ns>/<name>`). */
  readonly object?: RegExp;
  /** Matches the flattened path ('' for an object present on one side only). */
  readonly path: RegExp;
  /** Which shape of difference: a value only kro-ts has, only kro has, or both with different values. */
  readonly shape?: 'kro-ts-only' | 'kro-only' | 'both';
  /** Matches kro-ts's value (JSON). */
  readonly kroTsValue?: RegExp;
  /** Matches kro's value (JSON). */
  readonly kroValue?: RegExp;
}

export function shapeOf(d: Difference): 'kro-ts-only' | 'kro-only' | 'both' {
  if (d.kro === undefined) return 'kro-ts-only';
  if (d.kroTs === undefined) return 'kro-only';
  return 'both';
}

export function matches(e: AllowEntry, d: Difference): boolean {
  if (e.category && !e.category.includes(d.category)) return false;
  if (e.kind && !e.kind.test(d.kind)) return false;
  if (e.object && !e.object.test(d.object)) return false;
  if (!e.path.test(d.path)) return false;
  if (e.shape && e.shape !== shapeOf(d)) return false;
  if (e.kroTsValue && !e.kroTsValue.test(d.kroTs ?? '')) return false;
  if (e.kroValue && !e.kroValue.test(d.kro ?? '')) return false;
  return true;
}

export interface Verdict {
  readonly unexplained: Difference[];
  readonly used: Map<string, number>;
}

export function applyAllowList(diffs: readonly Difference[], list: readonly AllowEntry[]): Verdict {
  const used = new Map<string, number>(list.map((e) => [e.id, 0]));
  const unexplained: Difference[] = [];
  for (const d of diffs) {
    const e = list.find((x) => matches(x, d));
    if (e) used.set(e.id, (used.get(e.id) ?? 0) + 1);
    else unexplained.push(d);
  }
  return { unexplained, used };
}

const clip = (s: string | undefined): string =>
  s === undefined ? '<absent>' : s.length > 400 ? `${s.slice(0, 400)}… (${s.length} chars)` : s;

/** A readable report: per object, each differing path with both values. */
export function formatDifferences(diffs: readonly Difference[]): string {
  const byObject = new Map<string, Difference[]>();
  for (const d of diffs) byObject.set(d.object, [...(byObject.get(d.object) ?? []), d]);
  const lines: string[] = [];
  for (const [obj, ds] of byObject) {
    lines.push(`  ${obj}`);
    for (const d of ds) {
      if (d.path === '')
        lines.push(
          `    (object) kro: ${d.kro ? 'present' : 'absent'}, kro-ts: ${d.kroTs ? 'present' : 'absent'}`,
        );
      else lines.push(`    ${d.path}\n      kro:    ${clip(d.kro)}\n      kro-ts: ${clip(d.kroTs)}`);
    }
  }
  return lines.join('\n');
}

export function formatAllowList(list: readonly AllowEntry[], used: Map<string, number>): string {
  return list.map((e) => `  - ${e.id} (${used.get(e.id) ?? 0} differences): ${e.reason}`).join('\n');
}
