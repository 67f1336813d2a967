// Evaluation of one compiled expression with the outcome as data: a value, data pending (a wait)
// or an error with a reason. Expressions without iterator variables are evaluated at most once per
// reconcile (spec 03 §8.2) through ExpressionCache.

import type { CompiledExpression } from '../cel/index.js';
import { BudgetExceededError, DataPendingError, errorMessage } from '../lib/errors.js';

export type EvalOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'pending'; readonly missing: string; readonly message: string }
  | { readonly kind: 'error'; readonly budget: boolean; readonly message: string };

/** Per-reconcile memo of iterator-free expressions. Keyed by the compiled expression object. */
export class ExpressionCache {
  readonly #outcomes = new Map<CompiledExpression, EvalOutcome>();
  get(expr: CompiledExpression): EvalOutcome | undefined {
    return this.#outcomes.get(expr);
  }
  set(expr: CompiledExpression, outcome: EvalOutcome): void {
    this.#outcomes.set(expr, outcome);
  }
  get size(): number {
    return this.#outcomes.size;
  }
}

/** Default CEL time one reconcile (or one `kro-ts render`) may spend across all its expressions. */
export const DEFAULT_RECONCILE_BUDGET_MS = 1000;

/**
 * The CEL time budget of one reconcile (issue 14): per-expression budgets alone let an RGD with
 * many slow expressions hold the single Node thread for (expressions x budget). Every evaluation
 * is timed and charged here; each one may use at most what is left, and once nothing is left
 * every further expression fails with ExpressionBudgetExceeded without being evaluated.
 */
export class ReconcileBudget {
  spentMs = 0;
  constructor(readonly limitMs: number) {}
  get remainingMs(): number {
    return this.limitMs <= 0 ? Number.POSITIVE_INFINITY : this.limitMs - this.spentMs;
  }
  get exhausted(): boolean {
    return this.remainingMs <= 0;
  }
}

export interface EvaluateContext {
  readonly timeoutMs: number;
  /** Shared by every evaluation of one reconcile; absent: only the per-expression budget. */
  readonly reconcileBudget?: ReconcileBudget | undefined;
  readonly cache?: ExpressionCache | undefined;
  /** Counts evaluations (tests, metrics). */
  onEvaluate?: (() => void) | undefined;
}

export function evaluateExpression(
  expr: CompiledExpression,
  activation: Record<string, unknown>,
  ctx: EvaluateContext,
  cacheable: boolean,
): EvalOutcome {
  if (cacheable) {
    const hit = ctx.cache?.get(expr);
    if (hit) return hit;
  }
  ctx.onEvaluate?.();
  const budget = ctx.reconcileBudget;
  let outcome: EvalOutcome;
  if (budget === undefined) outcome = runExpression(expr, activation, ctx.timeoutMs);
  else if (budget.exhausted) outcome = reconcileBudgetExceeded(budget);
  else {
    const perExpression = ctx.timeoutMs > 0 ? ctx.timeoutMs : Number.POSITIVE_INFINITY;
    const allowed = Math.min(perExpression, budget.remainingMs);
    const started = performance.now();
    // The budget module treats 0 as "no clock"; a finite allowance is at least 1 ms.
    outcome = runExpression(expr, activation, Number.isFinite(allowed) ? Math.max(1, allowed) : 0);
    budget.spentMs += performance.now() - started;
    if (outcome.kind === 'error' && outcome.budget && allowed < perExpression)
      outcome = reconcileBudgetExceeded(budget);
  }
  if (cacheable) ctx.cache?.set(expr, outcome);
  return outcome;
}

function reconcileBudgetExceeded(budget: ReconcileBudget): EvalOutcome {
  return {
    kind: 'error',
    budget: true,
    message: `the reconcile exceeded its CEL budget of ${budget.limitMs}ms across all expressions (--cel-reconcile-budget)`,
  };
}

function runExpression(
  expr: CompiledExpression,
  activation: Record<string, unknown>,
  timeoutMs: number,
): EvalOutcome {
  try {
    return { kind: 'value', value: expr.evaluate(activation, { timeoutMs }) };
  } catch (e) {
    if (e instanceof DataPendingError)
      return { kind: 'pending', missing: e.missing, message: pendingMessage(e) };
    return { kind: 'error', budget: e instanceof BudgetExceededError, message: errorMessage(e) };
  }
}

/** Missing instance fields get a hint; everything else says what it waits for. */
function pendingMessage(e: DataPendingError): string {
  if (e.missing.startsWith('schema.')) {
    return `${e.missing} is not set on the instance (give it a default or use ? / orValue)`;
  }
  return `waiting for ${e.missing}`;
}

/** `true` → true; false, null and an empty optional → false; anything else is not a bool. */
export function truthOf(value: unknown): boolean | undefined {
  if (value === true) return true;
  if (value === false || value === null || value === undefined) return false;
  if (typeof value === 'object' && value !== null && 'hasValue' in value) {
    const opt = value as { hasValue(): boolean; value(): unknown };
    return opt.hasValue() ? truthOf(opt.value()) : false;
  }
  return undefined;
}
