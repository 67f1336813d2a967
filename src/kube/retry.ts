// Optimistic-concurrency loops: read fresh, modify, write, and start over when the server says
// the object changed in between (409 Conflict). Used for status writes and finalizer removal.

import { isConflict } from './errors.js';

export interface RetryOnConflictOptions {
  /** Total attempts, including the first. Default 5. */
  readonly attempts?: number;
}

/** Runs `fn` until it does not throw a ConflictError, at most `attempts` times. */
export async function retryOnConflict<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOnConflictOptions = {},
): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!isConflict(e) || attempt >= attempts) throw e;
    }
  }
}
