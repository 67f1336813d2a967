// Which watch updates start a reconcile. Instances (spec 04 §14): a generation change or the
// `kro.run/reconcile` suspension flipping; label, annotation and status edits are skipped.
// RGDs (spec 01 §8): a generation change, deletion starting, or the allow-breaking-changes
// annotation flipping; status-only updates are ignored.

import { Annotations } from '../api/constants.js';

interface MetaOnly {
  readonly metadata: {
    readonly generation?: number | undefined;
    readonly deletionTimestamp?: string | undefined;
    readonly annotations?: Readonly<Record<string, string>> | undefined;
  };
}

const SUSPENDED = new Set(['suspended', 'disabled']);

export function isSuspended(obj: MetaOnly | undefined): boolean {
  const v = obj?.metadata.annotations?.[Annotations.reconcile];
  return v !== undefined && SUSPENDED.has(v.toLowerCase());
}

export function instanceUpdateTriggers(old: MetaOnly, obj: MetaOnly): boolean {
  return old.metadata.generation !== obj.metadata.generation || isSuspended(old) !== isSuspended(obj);
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
