// forEach (spec 04 §10): each dimension evaluates to a list; the items are the cartesian product
// with the first dimension as the outermost loop, bounded by --rgd-max-collection-size.

import type { CompiledForEachDimension } from '../graph/types.js';
import type { InstanceContext } from './context.js';
import { evaluateExpression } from './evaluate.js';
import type { NodeOutcome } from './types.js';

export type ForEachResult =
  | { readonly kind: 'items'; readonly bindings: readonly Record<string, unknown>[] }
  | { readonly kind: 'outcome'; readonly outcome: NodeOutcome };

export function expandForEach(
  ctx: InstanceContext,
  nodeId: string,
  dimensions: readonly CompiledForEachDimension[],
): ForEachResult {
  const lists: unknown[][] = [];
  for (const dim of dimensions) {
    const o = evaluateExpression(dim.expression, ctx.activation(), ctx.evaluation, true);
    const where = `forEach "${dim.name}" expression "${dim.expression.expression}"`;
    if (o.kind === 'pending') return outcome('IN_PROGRESS', 'DataPending', `${where}: ${o.message}`);
    if (o.kind === 'error') {
      return outcome(
        'ERROR',
        o.budget ? 'ExpressionBudgetExceeded' : 'ForEachError',
        `node "${nodeId}" ${where}: ${o.message}`,
      );
    }
    const list = asList(o.value);
    if (!list) return outcome('ERROR', 'ForEachError', `node "${nodeId}" ${where}: result is not a list`);
    lists.push(list);
  }
  const size = lists.reduce((n, l) => n * l.length, lists.length === 0 ? 0 : 1);
  const max = ctx.options.maxCollectionSize;
  if (size > max) {
    return outcome(
      'ERROR',
      'CollectionTooLarge',
      `collection size of ${size} is over the maximum collection size of ${max}`,
    );
  }
  let product: Record<string, unknown>[] = [{}];
  dimensions.forEach((dim, d) => {
    const next: Record<string, unknown>[] = [];
    for (const prefix of product) for (const v of lists[d] ?? []) next.push({ ...prefix, [dim.name]: v });
    product = next;
  });
  return { kind: 'items', bindings: size === 0 ? [] : product };
}

function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  return undefined;
}

function outcome(state: NodeOutcome['state'], reason: string, message: string): ForEachResult {
  return { kind: 'outcome', outcome: { state, reason, message } };
}
