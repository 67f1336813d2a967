// Bounded CEL evaluation (spec 03 §8.3, "Beyond kro" 5). A JavaScript evaluation is synchronous,
// so nothing can interrupt it from outside; instead every evaluation step charges this module
// (the evaluator instruments each AST node, the function libraries charge per unit of work) and
// the wall clock is read every few hundred units. Once a bound is exceeded the error is sticky:
// every later charge throws it again, so CEL's error-absorbing operators (`||`, `&&`, `exists`)
// cannot swallow it, and the evaluator re-throws it even if a value was produced.
//
// Outside an evaluation (no active budget) every function here is a no-op apart from the size
// checks, which always apply.
import { BudgetExceededError } from '../lib/errors.js';
import { formatGoDurationMs } from '../lib/go-duration.js';

/** No list or map produced during an evaluation may have more elements than this. */
export const MAX_COLLECTION_ELEMENTS = 100_000;
/** No string produced during an evaluation may be longer than this many UTF-8 bytes (1 MiB). */
export const MAX_STRING_BYTES = 1024 * 1024;
/** Default wall-clock budget per evaluation (`--cel-eval-timeout`). */
export const DEFAULT_EVAL_TIMEOUT_MS = 100;

// Reading the clock costs far more than a node evaluation; 256 units is well under a millisecond.
const UNITS_PER_CLOCK_CHECK = 256;

interface BudgetState {
  readonly deadline: number;
  readonly timeoutMs: number;
  units: number;
  exceeded: BudgetExceededError | undefined;
}

let current: BudgetState | undefined;
let defaultTimeoutMs = DEFAULT_EVAL_TIMEOUT_MS;

/** Sets the process-wide default budget (from `--cel-eval-timeout`); 0 disables the clock. */
export function setDefaultEvalTimeout(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`invalid CEL evaluation timeout ${ms}`);
  defaultTimeoutMs = ms;
}

export function getDefaultEvalTimeout(): number {
  return defaultTimeoutMs;
}

/**
 * Runs `fn` with a fresh budget. Nested calls get their own budget and restore the outer one.
 * Throws BudgetExceededError when a bound was exceeded at any point, even if `fn` returned.
 */
export function runWithBudget<T>(timeoutMs: number | undefined, fn: () => T): T {
  const ms = timeoutMs ?? defaultTimeoutMs;
  const state: BudgetState = {
    deadline: ms > 0 ? performance.now() + ms : Number.POSITIVE_INFINITY,
    timeoutMs: ms,
    units: 0,
    exceeded: undefined,
  };
  const previous = current;
  current = state;
  try {
    const result = fn();
    if (state.exceeded) throw state.exceeded;
    return result;
  } catch (e) {
    if (state.exceeded) throw state.exceeded;
    throw e;
  } finally {
    current = previous;
  }
}

/** Charges `units` of work (default 1) to the running evaluation; throws once over budget. */
export function chargeBudget(units = 1): void {
  const s = current;
  if (s === undefined) return;
  if (s.exceeded) throw s.exceeded;
  s.units += units;
  if (s.units >= UNITS_PER_CLOCK_CHECK) {
    s.units = 0;
    checkClock(s);
  }
}

/** Reads the clock now (for functions about to do a large piece of work). */
export function checkBudget(): void {
  const s = current;
  if (s === undefined) return;
  if (s.exceeded) throw s.exceeded;
  checkClock(s);
}

function checkClock(s: BudgetState): void {
  if (performance.now() <= s.deadline) return;
  s.exceeded = new BudgetExceededError(`evaluation exceeded the ${formatGoDurationMs(s.timeoutMs)} budget`);
  throw s.exceeded;
}

function fail(message: string): never {
  const error = new BudgetExceededError(message);
  if (current !== undefined) current.exceeded ??= error;
  throw error;
}

/** Throws when a list or map of `n` elements would exceed the size bound. */
export function checkCollectionSize(n: number): void {
  if (n > MAX_COLLECTION_ELEMENTS) {
    fail(`evaluation exceeded the limit of ${MAX_COLLECTION_ELEMENTS} elements in a list or map`);
  }
}

/** Throws when `s` exceeds the string size bound; returns `s` for chaining. */
export function checkStringSize(s: string): string {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so only long strings need an exact count.
  if (s.length * 3 > MAX_STRING_BYTES && Buffer.byteLength(s, 'utf8') > MAX_STRING_BYTES) {
    fail(`evaluation exceeded the limit of ${MAX_STRING_BYTES} bytes in a string`);
  }
  return s;
}

/**
 * Checks a value produced by an evaluation step against the size bounds. Plain-object maps are
 * counted only up to the bound, so the check stays cheap for small maps.
 */
export function checkValueSize(v: unknown): void {
  if (typeof v === 'string') {
    if (v.length * 3 > MAX_STRING_BYTES) checkStringSize(v);
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) return checkCollectionSize(v.length);
  if (v instanceof Map || v instanceof Set) return checkCollectionSize(v.size);
}
