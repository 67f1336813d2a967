// Builds the instance status from what a reconcile found (spec 04 §12) and emits the events tied
// to it (spec 05 §9): condition transitions, and NodeError / Waiting judged against the stored
// managedResources so a node that keeps waiting for the same thing produces one event.

import { InstanceConditionTypes as T } from '../../api/constants.js';
import type { Condition } from '../../api/rgd.js';
import type { AuthorConditionsResult, ManagedResourceEntry } from '../../runtime/index.js';
import { mergeWithPrevious, stampAuthorConditions } from '../../runtime/index.js';
import type { ConditionInput } from '../conditions.js';
import { finalizeConditions, formatConditionTime, isConditionTrue, setCondition } from '../conditions.js';
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
}

const BUILTIN_TYPES: ReadonlySet<string> = new Set([...DEPENDENTS, T.ready]);

const OWN = new Set(['state', 'conditions', 'observedGeneration', 'managedResources']);

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
  if (input.authorConditions) {
    const r = input.authorConditions(conditions);
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
  }
  const out: Record<string, unknown> = { ...user, state, conditions };
  if (!declared.has('observedGeneration')) out['observedGeneration'] = input.generation;
  const mr = input.managedResources ?? stored['managedResources'];
  if (!declared.has('managedResources') && mr !== undefined) out['managedResources'] = mr;
  return out;
}

/** Condition transition events: `<old> -> <new>: <reason>`. */
export function emitConditionEvents(emit: InstanceEvents, before: unknown, after: unknown): void {
  const list = (v: unknown): Condition[] => (Array.isArray(v) ? (v as Condition[]) : []);
  const old = new Map(list(before).map((c) => [c.type, c]));
  for (const c of list(after)) {
    const prev = old.get(c.type);
    if (prev?.status === c.status) continue;
    if (c.reason === 'AwaitingReconciliation') continue;
    emit(
      c.status === 'True' ? 'Normal' : 'Warning',
      c.type,
      `${prev?.status ?? 'none'} -> ${c.status}: ${c.reason ?? ''}`,
    );
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
