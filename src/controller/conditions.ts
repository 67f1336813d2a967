// Condition-set mechanics shared by RGDs and instances (spec 01 §6, spec 04 §12): a fixed set of
// dependent condition types plus a root `Ready`. Pure functions over plain condition lists; the
// caller decides when to write. Rules:
// - missing conditions of the set are added Unknown / AwaitingReconciliation, with the object's
//   creationTimestamp as lastTransitionTime;
// - lastTransitionTime changes only when status changes; observedGeneration is stamped on write;
// - root Ready: True (reason Ready, empty message) when no dependent is unhealthy; otherwise a copy
//   of the most unhealthy one (False beats Unknown, then the latest transition); left unchanged if
//   only generation-stale True dependents exist;
// - stored sorted by lastTransitionTime ascending, root last; the legacy type
//   `ResourceGraphAccepted` is dropped;
// - while deleting, writing any condition stamps the current generation on all.

import type { Condition } from '../api/rgd.js';

export type { Condition };
export type ConditionStatus = Condition['status'];

export const READY_CONDITION = 'Ready';
export const AWAITING_RECONCILIATION = 'AwaitingReconciliation';
const LEGACY_TYPES: ReadonlySet<string> = new Set(['ResourceGraphAccepted']);

export interface ConditionInput {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message?: string;
}

export interface ConditionContext {
  /** The object's metadata.generation. */
  readonly generation: number;
  /** RFC 3339 timestamp of "now" (seconds precision, as the API server stores it). */
  readonly now: string;
  /** True while metadata.deletionTimestamp is set. */
  readonly deleting?: boolean;
}

/** `2024-01-02T03:04:05Z`: metav1.Time's wire form (no fractional seconds). */
export function formatConditionTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function awaitingMessage(type: string): string {
  return `condition "${type}" is awaiting reconciliation`;
}

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/**
 * Sets one condition: lastTransitionTime moves only when the status changes. Returns a new list
 * (unsorted; call `finalizeConditions` before writing).
 */
export function setCondition(
  conditions: readonly Condition[],
  cond: ConditionInput,
  ctx: ConditionContext,
): Condition[] {
  const old = findCondition(conditions, cond.type);
  const next: Condition = {
    type: cond.type,
    status: cond.status,
    reason: cond.reason,
    message: cond.message ?? '',
    lastTransitionTime:
      old !== undefined && old.status === cond.status && old.lastTransitionTime !== undefined
        ? old.lastTransitionTime
        : ctx.now,
    observedGeneration: ctx.generation,
  };
  const out = conditions.map((c) => (c.type === cond.type ? next : c));
  if (old === undefined) out.push(next);
  if (ctx.deleting === true) return out.map((c) => ({ ...c, observedGeneration: ctx.generation }));
  return out;
}

/** Adds each missing dependent as Unknown / AwaitingReconciliation at `creationTimestamp`. */
export function ensureConditions(
  conditions: readonly Condition[],
  types: readonly string[],
  opts: { readonly generation: number; readonly creationTimestamp: string },
): Condition[] {
  const out = conditions.filter((c) => !LEGACY_TYPES.has(c.type));
  for (const type of types) {
    if (findCondition(out, type) !== undefined) continue;
    out.push({
      type,
      status: 'Unknown',
      reason: AWAITING_RECONCILIATION,
      message: awaitingMessage(type),
      lastTransitionTime: opts.creationTimestamp,
      observedGeneration: opts.generation,
    });
  }
  return out;
}

const isUnhealthy = (c: Condition, generation: number): boolean =>
  c.status !== 'True' || c.observedGeneration !== generation;

/**
 * The root condition the dependents imply: a ConditionInput to pass to setCondition, or
 * undefined when the root should be left unchanged (only generation-stale True dependents).
 */
export function computeReady(
  conditions: readonly Condition[],
  dependents: readonly string[],
  generation: number,
): ConditionInput | undefined {
  const deps = dependents.map(
    (type): Condition =>
      findCondition(conditions, type) ?? {
        type,
        status: 'Unknown',
        reason: AWAITING_RECONCILIATION,
        message: awaitingMessage(type),
      },
  );
  const unhealthy = deps.filter((c) => isUnhealthy(c, generation));
  if (unhealthy.length === 0) {
    return { type: READY_CONDITION, status: 'True', reason: 'Ready', message: '' };
  }
  const ranked = unhealthy.filter((c) => c.status !== 'True');
  if (ranked.length === 0) return undefined;
  ranked.sort((a, b) => {
    const rank = (c: Condition): number => (c.status === 'False' ? 0 : 1);
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    return (b.lastTransitionTime ?? '').localeCompare(a.lastTransitionTime ?? '');
  });
  const worst = ranked[0] as Condition;
  return {
    type: READY_CONDITION,
    status: worst.status,
    reason: worst.reason ?? '',
    message: worst.message ?? '',
  };
}

/** Storage order: lastTransitionTime ascending (stable), root last; legacy types removed. */
export function sortConditions(conditions: readonly Condition[], root = READY_CONDITION): Condition[] {
  const rest = conditions.filter((c) => c.type !== root && !LEGACY_TYPES.has(c.type));
  const indexed = rest.map((c, i) => ({ c, i }));
  indexed.sort((a, b) => {
    const t = (a.c.lastTransitionTime ?? '').localeCompare(b.c.lastTransitionTime ?? '');
    return t !== 0 ? t : a.i - b.i;
  });
  const rootCond = findCondition(conditions, root);
  const out = indexed.map((x) => x.c);
  if (rootCond !== undefined) out.push(rootCond);
  return out;
}

/**
 * The usual sequence at the end of a reconcile: add missing dependents (and the root), derive
 * the root from the dependents, sort. `conditions` already carries this reconcile's setCondition
 * calls.
 */
export function finalizeConditions(
  conditions: readonly Condition[],
  opts: {
    readonly dependents: readonly string[];
    readonly ctx: ConditionContext;
    readonly creationTimestamp: string;
    readonly root?: string;
  },
): Condition[] {
  const root = opts.root ?? READY_CONDITION;
  const { generation } = opts.ctx;
  let out = ensureConditions(conditions, [...opts.dependents, root], {
    generation,
    creationTimestamp: opts.creationTimestamp,
  });
  const ready = computeReady(out, opts.dependents, generation);
  if (ready !== undefined) out = setCondition(out, { ...ready, type: root }, opts.ctx);
  return sortConditions(out, root);
}

/** True when the condition is present, True and observed at `generation`. */
export function isConditionTrue(
  conditions: readonly Condition[],
  type: string,
  generation?: number,
): boolean {
  const c = findCondition(conditions, type);
  return c?.status === 'True' && (generation === undefined || c.observedGeneration === generation);
}
