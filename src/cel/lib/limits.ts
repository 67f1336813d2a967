// Bridge between the function libraries and the evaluation budget (spec 03 §8.3). Long-running
// functions charge work units; every list, map or string they build is checked against the size
// bounds so that `lists.range(100000000)` fails fast instead of exhausting memory.
//
// Until src/cel/budget.ts exists this is a local shim: size limits only, no wall clock.
import { BudgetExceededError } from '../../lib/errors.js';

export const MAX_COLLECTION_ELEMENTS = 100_000;
export const MAX_STRING_BYTES = 1024 * 1024;

/** Charges `units` of work to the current evaluation (shim: no wall-clock budget yet). */
export function chargeBudget(_units: number): void {}

export function checkCollectionSize(n: number): void {
  if (n > MAX_COLLECTION_ELEMENTS) {
    throw new BudgetExceededError(
      `evaluation exceeded the maximum of ${MAX_COLLECTION_ELEMENTS} elements in a list or map`,
    );
  }
}

export function checkStringSize(s: string): string {
  // UTF-8 length is at most 3 bytes per UTF-16 unit, so only long strings need counting.
  if (s.length * 3 > MAX_STRING_BYTES && Buffer.byteLength(s, 'utf8') > MAX_STRING_BYTES) {
    throw new BudgetExceededError(`evaluation exceeded the maximum string size of ${MAX_STRING_BYTES} bytes`);
  }
  return s;
}
