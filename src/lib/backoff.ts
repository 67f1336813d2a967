// Capped exponential backoff, the one implementation: the work queue's per-key retry delays
// (spec/05 §4, client-go's exponential failure limiter: `min × 2^(failures-1)` capped at `max`),
// the watches' jittered reconnects (kube/informer.ts), the API client's 429/5xx retries
// (kube/client.ts) and the start-up wait for the API server (main.ts).

/** `initialMs × 2^attempt`, capped at `maxMs` (attempt 0 = initialMs). */
export function exponentialDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  // 2^1024 is Infinity; the cap handles it, but keep the exponent sane for readability.
  const exponent = Math.min(Math.max(attempt, 0), 1023);
  return Math.min(maxMs, initialMs * 2 ** exponent);
}

/** A delay drawn from [d/2, d], so that callers failing together do not retry together. */
export function jitteredMs(d: number, random: () => number = Math.random): number {
  return Math.round(d / 2 + (random() * d) / 2);
}

export interface RetryDelayOptions {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/** Delay before retry number `failures` (1 = after the first failure); the first waits `min`. */
export function backoffDelayMs(failures: number, options: RetryDelayOptions): number {
  if (failures < 1) return 0;
  return exponentialDelayMs(failures - 1, options.minDelayMs, options.maxDelayMs);
}

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly random?: () => number;
}

/** Jittered exponential backoff for reconnects: doubles from `initialMs` up to `maxMs`. */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 500;
    this.maxMs = opts.maxMs ?? 30_000;
    this.random = opts.random ?? Math.random;
  }

  next(): number {
    const d = exponentialDelayMs(Math.min(this.attempt, 30), this.initialMs, this.maxMs);
    this.attempt += 1;
    return jitteredMs(d, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }
}
