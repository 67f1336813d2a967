// Which watch updates start a reconcile. Instances (spec 04 §14): a generation change or the
// `kro.run/reconcile` suspension flipping; label, annotation and status edits are skipped.
// A label/annotation-only edit (generation unchanged) triggers only when the instance's graph
// reads `schema.metadata`; otherwise the manager records that it saw the edit and skipped it.
// RGDs (spec 01 §8): a generation change, deletion starting, or the allow-breaking-changes
// annotation flipping; status-only updates are ignored.

import { Annotations } from '../api/constants.js';

interface MetaOnly {
  readonly metadata: {
    readonly generation?: number | undefined;
    readonly deletionTimestamp?: string | undefined;
    readonly labels?: Readonly<Record<string, string>> | undefined;
    readonly annotations?: Readonly<Record<string, string>> | undefined;
  };
}

/** Keys kro-ts (or kubectl's bookkeeping) writes on the instance itself: never a user edit. */
const SYSTEM_KEY =
  /^(kro\.run\/|internal\.kro\.run\/|applyset\.kubernetes\.io\/|kubectl\.kubernetes\.io\/last-applied-configuration$)/;

function userEntries(m: Readonly<Record<string, string>> | undefined): string {
  return JSON.stringify(
    Object.entries(m ?? {})
      .filter(([k]) => !SYSTEM_KEY.test(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Which user-set labels/annotations changed, e.g. `labels`, `annotations`; empty when none. */
export function userMetadataChanges(old: MetaOnly, obj: MetaOnly): string[] {
  const out: string[] = [];
  if (userEntries(old.metadata.labels) !== userEntries(obj.metadata.labels)) out.push('labels');
  if (userEntries(old.metadata.annotations) !== userEntries(obj.metadata.annotations))
    out.push('annotations');
  return out;
}

const SCHEMA_METADATA = /\bschema\s*(?:\.\s*\??\s*metadata\b|\[)/g;
/** Fields of schema.metadata that a label/annotation edit never changes. */
const FIXED_FIELD = /^\s*\.\s*\??\s*(?:name|namespace|uid|generation|creationTimestamp)\b/;

/**
 * True when an expression text may read the instance's labels or annotations: `schema.metadata`
 * used other than for its name, namespace, uid, generation or creationTimestamp (or `schema[...]`).
 */
export function readsSchemaMetadata(expressions: Iterable<string>): boolean {
  for (const e of expressions) {
    for (const m of e.matchAll(SCHEMA_METADATA)) {
      if (m[0].endsWith('[')) return true;
      if (!FIXED_FIELD.test(e.slice((m.index ?? 0) + m[0].length))) return true;
    }
  }
  return false;
}

const SUSPENDED = new Set(['suspended', 'disabled']);

export function isSuspended(obj: MetaOnly | undefined): boolean {
  const v = obj?.metadata.annotations?.[Annotations.reconcile];
  return v !== undefined && SUSPENDED.has(v.toLowerCase());
}

/** `kro.run/deletion-policy: orphan` (the way out of a stuck deletion). */
export function isOrphanPolicy(obj: MetaOnly | undefined): boolean {
  return obj?.metadata.annotations?.[Annotations.deletionPolicy]?.toLowerCase() === 'orphan';
}

export function instanceUpdateTriggers(old: MetaOnly, obj: MetaOnly): boolean {
  return (
    old.metadata.generation !== obj.metadata.generation ||
    isSuspended(old) !== isSuspended(obj) ||
    isOrphanPolicy(old) !== isOrphanPolicy(obj)
  );
}

const allowsBreaking = (o: MetaOnly): boolean =>
  o.metadata.annotations?.[Annotations.allowBreakingChanges] === 'true';

export function rgdUpdateTriggers(old: MetaOnly, obj: MetaOnly): boolean {
  return (
    old.metadata.generation !== obj.metadata.generation ||
    (old.metadata.deletionTimestamp === undefined) !== (obj.metadata.deletionTimestamp === undefined) ||
    allowsBreaking(old) !== allowsBreaking(obj)
  );
}
