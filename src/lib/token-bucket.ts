// The token bucket, on an injected clock, with Go's `rate.Limiter` semantics: `tryTake` for
// drop-if-empty callers (the Event spam filter, spec/05 §9), `reserve` for wait-your-turn callers
// (the work queue's optional overall limit, spec/05 §4), which may take tokens ahead of time, and
// `msUntilToken` for the API client's FIFO limiter (kube/rate-limiter.ts, --client-qps). The one
// implementation; it lives in lib/ because kube, observability and controller all use it.

export interface TokenBucketOptions {
  /** Tokens added per second; must be > 0. */
  readonly ratePerSecond: number;
  /** Bucket size and initial fill; must be >= 1. */
  readonly burst: number;
  /** Milliseconds on any monotonic scale. */
  readonly now: () => number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0))
      throw new RangeError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
    if (!(options.burst >= 1)) throw new RangeError(`burst must be >= 1, got ${options.burst}`);
    this.rate = options.ratePerSecond;
    this.burst = options.burst;
    this.now = options.now;
    this.tokens = options.burst;
    this.last = options.now();
  }

  /** Takes a token if one is available now. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a whole token is available (0 = one is available now); takes nothing. */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1000;
  }

  /** Takes the next token, possibly one not yet earned; returns the ms until it is (0 = now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.rate);
  }
}
