// Author-defined instance conditions (kro v0.9.4, `schema.status.conditions`): evaluated after
// the waves with `schema` = the instance (without its status) whose status.conditions holds
// kro's built-in conditions as computed this reconcile, so runtime.condition(schema, 'X') reads
// kro's own value even when the author declares a condition of the same type.
//
// Per expression: pending data skips it silently; an evaluation error or a malformed result
// drops its output and degrades the result; types produced more than once are all dropped.
// `incomplete` tells the caller to keep the previously written conditions of missing types.

import type { Condition } from '../api/rgd.js';
import { CelCondition, toCel } from '../cel/index.js';
import type { OpenApiSchema } from '../api/openapi.js';
import type { InstanceContext } from './context.js';
import { evaluateExpression } from './evaluate.js';

export interface AuthorCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

export interface AuthorConditionsResult {
  /** In declaration order (a list expression contributes its elements in order). */
  readonly conditions: readonly AuthorCondition[];
  readonly incomplete: boolean;
  /** Set when an expression failed or types collided: the instance state becomes ERROR. */
  readonly error?: string;
}

const OPEN_STATUS: OpenApiSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function schemaValue(ctx: InstanceContext, builtins: readonly Condition[]): unknown {
  const { status: _status, ...withoutStatus } = ctx.instance;
  const conditions = builtins.map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason ?? '',
    message: c.message ?? '',
  }));
  const base = ctx.graph.instanceSchema;
  const schema: OpenApiSchema = { ...base, properties: { ...(base.properties ?? {}), status: OPEN_STATUS } };
  return toCel({ ...withoutStatus, status: { conditions } }, schema);
}

function flatten(value: unknown, text: string): AuthorCondition[] | string {
  const one = (v: unknown): AuthorCondition | undefined =>
    v instanceof CelCondition
      ? { type: v.type, status: v.status as AuthorCondition['status'], reason: v.reason, message: v.message }
      : undefined;
  if (value === null || value === undefined) return `condition "${text}" returned null`;
  const single = one(value);
  if (single) return [single];
  if (Array.isArray(value)) {
    const out: AuthorCondition[] = [];
    for (const v of value) {
      const c = one(v);
      if (!c) return `condition "${text}" list element is not a Condition`;
      out.push(c);
    }
    return out;
  }
  return `condition "${text}" must return a Condition or list(Condition)`;
}

export function evaluateAuthorConditions(
  ctx: InstanceContext,
  builtins: readonly Condition[],
): AuthorConditionsResult {
  const activation = ctx.activation({ schema: schemaValue(ctx, builtins) });
  let incomplete = false;
  const failures: string[] = [];
  const out: AuthorCondition[] = [];
  for (const c of ctx.graph.status.conditions) {
    const text = c.expression.expression;
    if (c.dependencies.some((d) => !ctx.isObserved(d))) {
      incomplete = true;
      continue;
    }
    const o = evaluateExpression(c.expression, activation, ctx.evaluation, false);
    if (o.kind === 'pending') {
      incomplete = true;
      continue;
    }
    if (o.kind === 'error') {
      failures.push(`"${text}": ${o.message}`);
      continue;
    }
    const flat = flatten(o.value, text);
    if (typeof flat === 'string') failures.push(`"${text}": ${flat}`);
    else out.push(...flat);
  }
  const counts = new Map<string, number>();
  for (const c of out) counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
  const dups = [...counts]
    .filter(([, n]) => n > 1)
    .map(([t]) => t)
    .sort();
  const kept = out.filter((c) => (counts.get(c.type) ?? 0) === 1);
  if (dups.length > 0) failures.push(`duplicate condition type(s) [${dups.join(' ')}] dropped`);
  if (failures.length === 0) return { conditions: kept, incomplete };
  return {
    conditions: kept,
    incomplete: true,
    error: `author condition evaluation degraded: ${failures.join('; ')}`,
  };
}

/**
 * Author conditions as written: observedGeneration = the instance's generation;
 * lastTransitionTime kept while the status stays the same; empty reason/message omitted. With
 * `incomplete`, previously written conditions of types not produced now are kept after them.
 */
export function stampAuthorConditions(
  result: AuthorConditionsResult,
  previous: readonly Condition[],
  opts: { generation: number; now: string },
): Condition[] {
  const prev = new Map(previous.map((p) => [p.type, p]));
  const out: Condition[] = result.conditions.map((a) => {
    const p = prev.get(a.type);
    return {
      type: a.type,
      status: a.status,
      ...(a.reason !== '' ? { reason: a.reason } : {}),
      ...(a.message !== '' ? { message: a.message } : {}),
      observedGeneration: opts.generation,
      lastTransitionTime:
        p !== undefined && p.status === a.status && p.lastTransitionTime !== undefined
          ? p.lastTransitionTime
          : opts.now,
    };
  });
  return result.incomplete ? mergeWithPrevious(out, previous) : out;
}

export function mergeWithPrevious(
  current: readonly Condition[],
  previous: readonly Condition[],
): Condition[] {
  const have = new Set(current.map((c) => c.type));
  return [...current, ...previous.filter((p) => !have.has(p.type))];
}
