// includeWhen and readyWhen (spec 04 §7, §8): all entries must be true. A false, null or empty
// optional result is "false"; data pending is a wait; anything else is an error naming the node,
// the entry and the expression.

import type { CompiledCondition } from '../graph/types.js';
import type { InstanceContext } from './context.js';
import { evaluateExpression, truthOf } from './evaluate.js';
import type { NodeOutcome } from './types.js';

export type ConditionKind = 'includeWhen' | 'readyWhen';

export type ConditionResult =
  | { readonly kind: 'true' }
  | { readonly kind: 'false'; readonly index: number; readonly message: string }
  | { readonly kind: 'pending'; readonly message: string }
  | { readonly kind: 'error'; readonly budget: boolean; readonly message: string };

export function evaluateConditions(
  ctx: InstanceContext,
  opts: {
    nodeId: string;
    which: ConditionKind;
    conditions: readonly CompiledCondition[];
    activation: Record<string, unknown>;
    cacheable: boolean;
  },
): ConditionResult {
  for (const [i, c] of opts.conditions.entries()) {
    const text = `\${${c.expression.expression}}`;
    const o = evaluateExpression(c.expression, opts.activation, ctx.evaluation, opts.cacheable);
    if (o.kind === 'pending')
      return { kind: 'pending', message: `${opts.which}[${i}] "${text}": ${o.message}` };
    if (o.kind === 'error') {
      return {
        kind: 'error',
        budget: o.budget,
        message: `node "${opts.nodeId}" ${opts.which}[${i}] "${text}": ${o.message}`,
      };
    }
    const t = truthOf(o.value);
    if (t === undefined) {
      const message = `node "${opts.nodeId}" ${opts.which}[${i}] "${text}": result is not a bool`;
      return { kind: 'error', budget: false, message };
    }
    if (!t) return { kind: 'false', index: i, message: `${opts.which}[${i}] "${text}" is false` };
  }
  return { kind: 'true' };
}

/** includeWhen → undefined (included) or the node's outcome (skipped / pending / error). */
export function evaluateIncludeWhen(
  ctx: InstanceContext,
  nodeId: string,
  conditions: readonly CompiledCondition[],
): NodeOutcome | undefined {
  if (conditions.length === 0) return undefined;
  const r = evaluateConditions(ctx, {
    nodeId,
    which: 'includeWhen',
    conditions,
    activation: ctx.activation(),
    cacheable: true,
  });
  switch (r.kind) {
    case 'true':
      return undefined;
    case 'false':
      return { state: 'SKIPPED', reason: 'IncludeWhenFalse', message: r.message };
    case 'pending':
      return { state: 'IN_PROGRESS', reason: 'DataPending', message: r.message };
    case 'error':
      return {
        state: 'ERROR',
        reason: r.budget ? 'ExpressionBudgetExceeded' : 'IncludeWhenError',
        message: r.message,
      };
  }
}

/** readyWhen on one observed object (bound to `variable`: the node id, or `each`). */
export function evaluateReadyWhen(
  ctx: InstanceContext,
  opts: { nodeId: string; conditions: readonly CompiledCondition[]; binding: Record<string, unknown> },
): NodeOutcome {
  if (opts.conditions.length === 0) return SYNCED;
  const r = evaluateConditions(ctx, {
    nodeId: opts.nodeId,
    which: 'readyWhen',
    conditions: opts.conditions,
    activation: opts.binding,
    cacheable: false,
  });
  switch (r.kind) {
    case 'true':
      return SYNCED;
    case 'false':
      return { state: 'WAITING_FOR_READINESS', reason: 'ReadyWhenFalse', message: r.message };
    case 'pending':
      return { state: 'WAITING_FOR_READINESS', reason: 'ReadyWhenPending', message: r.message };
    case 'error':
      return {
        state: 'ERROR',
        reason: r.budget ? 'ExpressionBudgetExceeded' : 'ReadyWhenError',
        message: r.message,
      };
  }
}

export const SYNCED: NodeOutcome = Object.freeze({ state: 'SYNCED', reason: 'Ready', message: '' });
