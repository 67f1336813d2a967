// Per-key retry delays of the work queue (spec/05 §4): client-go's exponential failure limiter,
// `min × 2^(failures-1)` capped at `max`, so the first retry waits `min`.

export interface BackoffOptions {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/** Delay before retry number `failures` (1 = after the first failure). */
export function backoffDelayMs(failures: number, options: BackoffOptions): number {
  if (failures < 1) return 0;
  // 2^1024 is Infinity; the cap below handles it, but keep the exponent sane for readability.
  const exponent = Math.min(failures - 1, 1023);
  return Math.min(options.maxDelayMs, options.minDelayMs * 2 ** exponent);
}
