// Client-side request rate limit (--client-qps / --client-burst), as client-go's token bucket:
// the bucket holds up to `burst` tokens and refills at `qps` per second; each request takes one.
// Waiters are served in FIFO order so one busy caller cannot starve another.

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

export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(qps > 0)) throw new RangeError(`qps must be > 0, got ${qps}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token if one is available now, without waiting. */
  tryAcquire(): boolean {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  acquire(): Promise<void> {
    // Chain on the previous waiter so tokens go out in arrival order.
    const next = this.tail.then(() => this.waitForToken());
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      if (this.tryAcquire()) return;
      const ms = ((1 - this.tokens) / this.qps) * 1000;
      await this.clock.sleep(Math.max(1, Math.ceil(ms)));
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.qps);
  }
}

/** No limit (qps <= 0 disables limiting, as in client-go when QPS is negative). */
export const unlimited: RateLimiter = { acquire: () => Promise.resolve() };

export function createRateLimiter(opts: { qps: number; burst: number }): RateLimiter {
  return opts.qps > 0 ? new TokenBucket(opts.qps, Math.max(1, opts.burst)) : unlimited;
}
