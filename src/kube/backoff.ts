// Reconnect backoff (lib/backoff.ts, the one implementation) and an abortable sleep.

export { Backoff } from '../lib/backoff.js';
export type { BackoffOptions } from '../lib/backoff.js';

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
