// Evaluation of a checked expression: instrumentation for the budget, and the decision between
// data pending and error (spec 03 §8.1), made from the failing AST node and the value it was
// applied to — never from message text.
//
// Every AST node's evaluate hook is wrapped once, after type checking (checking installs some
// hooks of its own) and before the first evaluation (cel-js caches the hook on first use):
// - each node charges one unit to the budget, so loops inside comprehensions and macros hit the
//   wall-clock check no matter which library implements them;
// - nodes that build values (`+`, calls, literals, comprehension steps) have their result checked
//   against the size bounds;
// - the receiver (and index) of every access that may turn out to be "data pending" is recorded,
//   so a failure can be classified by the value the access was applied to.
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';
import { DataPendingError, ExpressionError, KroError } from '../lib/errors.js';
import { type CelNode, allNodes, collectPendingCandidates, isCelNode, pathOf } from './ast.js';
import { chargeBudget, checkValueSize, runWithBudget } from './budget.js';
import { translateCheckMessage, translateRuntimeMessage } from './messages.js';

const SIZE_CHECKED_OPS = new Set(['+', 'call', 'rcall', 'list', 'map', 'comprehension', 'accuPush']);

type EvaluateHook = (this: unknown, ev: unknown, ast: unknown, ctx: unknown) => unknown;

export interface Program {
  evaluate(activation: Record<string, unknown>, timeoutMs: number | undefined): unknown;
}

export type ProgramResult =
  { readonly ok: true; readonly value: Program } | { readonly ok: false; readonly message: string };

/** Parses and checks `expression` in the evaluation environment and instruments it. */
export function buildProgram(
  expression: string,
  env: Environment,
  isBuiltin: (name: string) => boolean,
): ProgramResult {
  const parsed = env.parse(expression);
  const checked = parsed.check();
  if (!checked.valid) {
    return { ok: false, message: translateCheckMessage(checked.error?.summary ?? 'type error') };
  }
  const root = parsed.ast as unknown as CelNode;
  const candidates = collectPendingCandidates(root, isBuiltin);
  const recorded = new Map<CelNode, unknown>();
  const recordTargets = new Set<CelNode>();
  for (const c of candidates) {
    for (const child of c.args as unknown[]) if (isCelNode(child)) recordTargets.add(child);
  }
  for (const node of allNodes(root)) instrument(node, recordTargets.has(node), recorded);
  const run = parsed as unknown as (ctx: Record<string, unknown>) => unknown;

  return {
    ok: true,
    value: {
      evaluate(activation, timeoutMs) {
        recorded.clear();
        try {
          return runWithBudget(timeoutMs, () => {
            const result = run(activation);
            if (result instanceof Promise) {
              throw new ExpressionError(expression, 'asynchronous functions are not supported');
            }
            return result;
          });
        } catch (e) {
          throw classify(e, expression, candidates, recorded);
        } finally {
          recorded.clear();
        }
      },
    },
  };
}

function instrument(node: CelNode, record: boolean, recorded: Map<CelNode, unknown>): void {
  // Nodes that delegate to a macro or an expansion never run their own hook.
  if (node.meta.alternate !== undefined || node.meta.macro !== undefined) return;
  const original = node.meta.evaluate as EvaluateHook | undefined;
  if (typeof original !== 'function') return;
  const sizeChecked = SIZE_CHECKED_OPS.has(node.op);
  let hook: EvaluateHook;
  if (record) {
    hook = function (this: unknown, ev, ast, ctx) {
      chargeBudget();
      const r = original.call(this, ev, ast, ctx);
      recorded.set(node, r);
      if (sizeChecked) checkValueSize(r);
      return r;
    };
  } else if (sizeChecked) {
    hook = function (this: unknown, ev, ast, ctx) {
      chargeBudget();
      const r = original.call(this, ev, ast, ctx);
      checkValueSize(r);
      return r;
    };
  } else {
    hook = function (this: unknown, ev, ast, ctx) {
      chargeBudget();
      return original.call(this, ev, ast, ctx);
    };
  }
  node.setMeta('evaluate', hook);
}

const MISSING_CODES = new Set(['no_such_key', 'index_out_of_bounds']);

function classify(
  e: unknown,
  expression: string,
  candidates: ReadonlySet<CelNode>,
  recorded: ReadonlyMap<CelNode, unknown>,
): Error {
  if (e instanceof KroError) return e;
  if (!(e instanceof EvaluationError)) {
    const message = e instanceof Error ? e.message : String(e);
    return new ExpressionError(expression, message, { cause: e });
  }
  const node = e.node as unknown;
  if (isCelNode(node)) {
    if (e.code === 'unknown_variable' && node.op === 'id') {
      // The activation lacks the variable: the object it stands for is not observed yet.
      return new DataPendingError(node.args as string, undefined, { cause: e });
    }
    if (MISSING_CODES.has(e.code) && candidates.has(node) && isMissing(node, recorded)) {
      return new DataPendingError(pathOf(node), undefined, { cause: e });
    }
  }
  return new ExpressionError(expression, translateRuntimeMessage(e.summary), { cause: e });
}

// Whether the failed access looked into a map that lacks the key or a list that is too short
// (pending), as opposed to selecting a field of a scalar or using a negative index (error).
function isMissing(node: CelNode, recorded: ReadonlyMap<CelNode, unknown>): boolean {
  const [left, right] = node.args as [CelNode, unknown];
  // has() walks deeper selections without evaluating them; a miss there is a missing field.
  if (!recorded.has(left)) return true;
  const receiver = recorded.get(left);
  if (receiver === null || receiver === undefined) return true;
  if (Array.isArray(receiver)) {
    const index = isCelNode(right) ? recorded.get(right) : undefined;
    return typeof index !== 'bigint' || index >= 0n;
  }
  if (receiver instanceof Map) return true;
  return typeof receiver === 'object' && isPlainMap(receiver);
}

function isPlainMap(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === null || proto === Object.prototype;
}
