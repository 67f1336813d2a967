// Builds the instance status from what a reconcile found (spec 04 §12) and emits the events tied
// to it (spec 05 §9): condition transitions, and NodeError / Waiting judged against the stored
// managedResources so a node that keeps waiting for the same thing produces one event.

import {
  FAILURE_REASONS,
  GRAPH_CURRENT_CONDITION,
  InstanceConditionTypes as T,
  KstatusConditionTypes as K,
} from '../../api/constants.js';
import type { Condition } from '../../api/rgd.js';
import { OWN_STATUS_FIELDS } from '../../crd/index.js';
import type { AuthorConditionsResult, ManagedResourceEntry } from '../../runtime/index.js';
import { mergeWithPrevious, stampAuthorConditions } from '../../runtime/index.js';
import type { ConditionContext, ConditionInput } from '../conditions.js';
import {
  findCondition,
  finalizeConditions,
  formatConditionTime,
  isConditionTrue,
  setCondition,
  sortConditions,
} from '../conditions.js';
import type { InstanceEvents } from './types.js';

export const DEPENDENTS = [T.instanceManaged, T.graphResolved, T.resourcesReady] as const;

export interface StatusInput {
  readonly generation: number;
  readonly creationTimestamp: string;
  readonly deleting: boolean;
  readonly conditions: readonly ConditionInput[];
  /** Computes the state once Ready is known. */
  readonly state: (ready: boolean) => string;
  /** User fields; undefined keeps the stored ones. */
  readonly userFields?: Record<string, unknown> | undefined;
  /** undefined keeps the stored list. */
  readonly managedResources?: ManagedResourceEntry[] | undefined;
  /** Top-level fields the RGD declares itself (kro-ts does not write its own there). */
  readonly declared?: readonly string[];
  /**
   * The RGD declares its own conditions: they replace the built-in ones on the wire (the
   * built-ins still decide `state` and are what runtime.condition(schema, …) reads).
   */
  readonly authorConditions?: (builtins: readonly Condition[]) => AuthorConditionsResult;
  /** Deleting with author conditions: the built-in ResourcesReady joins the written ones. */
  readonly authorDeletion?: boolean;
  /** Told when author conditions degrade (the state becomes ERROR). */
  readonly onAuthorError?: (message: string) => void;
  /**
   * Which RGD generation serves the instance, and the newer one refused if any (GraphCurrent);
   * undefined keeps the stored condition.
   */
  readonly graphCurrent?: ConditionInput | undefined;
}

const BUILTIN_TYPES: ReadonlySet<string> = new Set([...DEPENDENTS, T.ready]);
/**
 * The conditions kro-ts writes beside kro's (README "GitOps") when the RGD declares none of its
 * own; runtime.condition(schema, …) reads them either way.
 */
const KRO_TS_TYPES: ReadonlySet<string> = new Set([K.reconciling, K.stalled, GRAPH_CURRENT_CONDITION]);

/** The status fields the controller writes (crd/status-schema.ts declares them once). */
const OWN: ReadonlySet<string> = new Set(OWN_STATUS_FIELDS);

export function buildStatus(stored: Record<string, unknown>, input: StatusInput): Record<string, unknown> {
  const ctx = {
    generation: input.generation,
    now: formatConditionTime(Date.now()),
    deleting: input.deleting,
  };
  const wire = (Array.isArray(stored['conditions']) ? stored['conditions'] : []) as Condition[];
  // kro writes only its built-in types (conditions of a removed conditions: block disappear).
  let conditions = wire.filter((c) => BUILTIN_TYPES.has(c.type));
  for (const c of input.conditions) conditions = setCondition(conditions, c, ctx);
  conditions = finalizeConditions(conditions, {
    dependents: DEPENDENTS,
    ctx,
    creationTimestamp: input.creationTimestamp,
  });
  const ready = isConditionTrue(conditions, T.ready, input.generation);
  const declared = new Set(input.declared ?? []);
  const user =
    input.userFields ??
    Object.fromEntries(Object.entries(stored).filter(([k]) => !OWN.has(k) || declared.has(k)));
  let state = input.state(ready);
  // kro-ts's own conditions: GraphCurrent as given (else as stored), Reconciling/Stalled derived
  // from kro's built-in Ready.
  let extras = wire.filter((c) => KRO_TS_TYPES.has(c.type));
  if (input.graphCurrent) extras = setCondition(extras, input.graphCurrent, ctx);
  extras = kstatusConditions(conditions, extras, ctx);
  if (input.authorConditions) {
    // kro's semantics: the author's conditions replace the built-ins on the wire (and kro-ts's
    // own: an author who wants them lists `${runtime.condition(schema, 'Stalled')}`); the
    // built-ins still decide `state` and are what runtime.condition(schema, …) reads.
    const r = input.authorConditions([...conditions, ...extras]);
    conditions = stampAuthorConditions(r, wire, ctx);
    if (r.error !== undefined) {
      state = 'ERROR';
      input.onAuthorError?.(r.error);
    }
  } else if (input.authorDeletion === true) {
    conditions = mergeWithPrevious(
      conditions.filter((c) => c.type === T.resourcesReady),
      wire,
    );
  } else {
    conditions = sortConditions([...conditions, ...extras]);
  }
  const out: Record<string, unknown> = { ...user, state, conditions };
  if (!declared.has('observedGeneration')) out['observedGeneration'] = input.generation;
  const mr = input.managedResources ?? stored['managedResources'];
  if (!declared.has('managedResources') && mr !== undefined) out['managedResources'] = mr;
  return out;
}

/**
 * `Reconciling` and `Stalled` (kstatus's abnormal-true conditions) derived from Ready: Ready True
 * at this generation → both False; Ready False/Unknown for a failure reason (FAILURE_REASONS) →
 * Stalled True with Ready's reason and message; otherwise (waiting, applying, deleting, a
 * dependency pending) → Reconciling True. Suspended instances are neither. Returns `extras`
 * (the stored kro-ts conditions, GraphCurrent included) with both set.
 */
export function kstatusConditions(
  builtins: readonly Condition[],
  extras: readonly Condition[],
  ctx: ConditionContext,
): Condition[] {
  const ready = findCondition(builtins, T.ready);
  const readyNow = ready?.status === 'True' && ready.observedGeneration === ctx.generation;
  const reason = ready?.reason ?? 'AwaitingReconciliation';
  const message = ready?.message ?? '';
  let reconciling: ConditionInput;
  let stalled: ConditionInput;
  if (ctx.deleting === true) {
    reconciling = { type: K.reconciling, status: 'True', reason: 'Deleting', message: 'deleting resources' };
    stalled = { type: K.stalled, status: 'False', reason: 'Deleting', message: '' };
  } else if (readyNow) {
    reconciling = { type: K.reconciling, status: 'False', reason: 'Ready', message: '' };
    stalled = { type: K.stalled, status: 'False', reason: 'Ready', message: '' };
  } else if (FAILURE_REASONS.has(reason)) {
    reconciling = { type: K.reconciling, status: 'False', reason: 'Stalled', message: '' };
    stalled = { type: K.stalled, status: 'True', reason, message };
  } else if (reason === 'ReconciliationSuspended') {
    reconciling = { type: K.reconciling, status: 'False', reason, message };
    stalled = { type: K.stalled, status: 'False', reason, message: '' };
  } else {
    reconciling = { type: K.reconciling, status: 'True', reason, message };
    stalled = { type: K.stalled, status: 'False', reason: 'Progressing', message: '' };
  }
  return setCondition(setCondition([...extras], reconciling, ctx), stalled, ctx);
}

/** Whether a condition in this state reports a failure (Warning) rather than expected progress. */
export function isFailure(c: Condition): boolean {
  if (c.type === K.stalled) return c.status === 'True';
  if (c.type === K.reconciling) return false;
  if (c.type === GRAPH_CURRENT_CONDITION) return c.status === 'False';
  return c.status !== 'True' && FAILURE_REASONS.has(c.reason ?? '');
}

/**
 * Condition transition events: `<old> -> <new>: <reason>`. Warning only for a failure (a human
 * must act); reaching True and expected waiting (NotReady, a dependency pending) are Normal.
 * Reconciling and Stalled are derived from Ready and not announced on their own; neither are the
 * dependents' expected moves made in the same write as Ready's, nor GraphCurrent appearing True
 * (issue 16: fewer Event writes).
 */
export function emitConditionEvents(emit: InstanceEvents, before: unknown, after: unknown): void {
  const list = (v: unknown): Condition[] => (Array.isArray(v) ? (v as Condition[]) : []);
  const old = new Map(list(before).map((c) => [c.type, c]));
  const out: { type: 'Normal' | 'Warning'; reason: string; message: string }[] = [];
  for (const c of list(after)) {
    const prev = old.get(c.type);
    if (prev?.status === c.status && (prev.reason === c.reason || !isFailure(c))) continue;
    if (c.reason === 'AwaitingReconciliation' || c.type === K.reconciling || c.type === K.stalled) continue;
    // GraphCurrent appearing True is the normal case: announced only when refused or recovering.
    if (c.type === GRAPH_CURRENT_CONDITION && prev === undefined && !isFailure(c)) continue;
    out.push({
      type: isFailure(c) ? 'Warning' : 'Normal',
      reason: c.type,
      message: `${prev?.status ?? 'none'} -> ${c.status}: ${c.reason ?? ''}`,
    });
  }
  // Ready summarises its dependents: when it moves, their expected (Normal) moves in the same
  // status write are not announced again; their failures always are.
  const readyMoved = out.some((e) => e.reason === T.ready);
  for (const e of out) {
    if (readyMoved && e.type === 'Normal' && (DEPENDENTS as readonly string[]).includes(e.reason)) continue;
    emit(e.type, e.reason, e.message);
  }
}

/** NodeError / Waiting events for nodes that changed against the stored managedResources. */
export function emitNodeEvents(
  emit: InstanceEvents,
  stored: unknown,
  next: readonly ManagedResourceEntry[],
): void {
  const prev = new Map(
    (Array.isArray(stored) ? (stored as ManagedResourceEntry[]) : [])
      .filter((e) => e.name === undefined || !e.id.includes('#'))
      .map((e) => [`${e.id}/${e.namespace ?? ''}/${e.name ?? ''}`, e]),
  );
  const seen = new Set<string>();
  for (const e of next) {
    if (seen.has(e.id)) continue; // node entry only (items follow their node)
    seen.add(e.id);
    const p = prev.get(`${e.id}/${e.namespace ?? ''}/${e.name ?? ''}`);
    const same = p?.state === e.state && (p.message ?? '') === (e.message ?? '');
    if (same) continue;
    if (e.state === 'ERROR') emit('Warning', 'NodeError', `node "${e.id}": ${e.message ?? e.reason}`);
    else if (
      e.state === 'WAITING_FOR_READINESS' ||
      (e.state === 'IN_PROGRESS' && e.reason !== 'ApplyRetrying')
    ) {
      emit('Normal', 'Waiting', `node "${e.id}" is waiting: ${e.message ?? e.reason}`);
    }
  }
}
