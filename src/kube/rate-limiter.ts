// Client-side request rate limit (--client-qps / --client-burst), as client-go's token bucket:
// the bucket holds up to `burst` tokens and refills at `qps` per second; each request takes one.
// Waiters are served in FIFO order so one busy caller cannot starve another.

import { TokenBucket as Bucket } from '../lib/token-bucket.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(): Promise<void>;
}

/** A FIFO waiter queue over the shared token bucket (lib/token-bucket.ts). */
export class TokenBucket implements RateLimiter {
  private readonly bucket: Bucket;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    qps: number,
    burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(qps > 0)) throw new RangeError(`qps must be > 0, got ${qps}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
    this.bucket = new Bucket({ ratePerSecond: qps, burst, now: () => clock.now() });
  }

  /** Takes a token if one is available now, without waiting. */
  tryAcquire(): boolean {
    return this.bucket.tryTake();
  }

  acquire(): Promise<void> {
    // Chain on the previous waiter so tokens go out in arrival order.
    const next = this.tail.then(() => this.waitForToken());
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      if (this.bucket.tryTake()) return;
      await this.clock.sleep(Math.max(1, Math.ceil(this.bucket.msUntilToken())));
    }
  }
}

/** No limit (qps <= 0 disables limiting, as in client-go when QPS is negative). */
export const unlimited: RateLimiter = { acquire: () => Promise.resolve() };

export function createRateLimiter(opts: { qps: number; burst: number }): RateLimiter {
  return opts.qps > 0 ? new TokenBucket(opts.qps, Math.max(1, opts.burst)) : unlimited;
}
