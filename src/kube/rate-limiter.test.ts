import { describe, expect, it } from 'vitest';
import type { Clock } from './rate-limiter.js';
import { createRateLimiter, TokenBucket, unlimited } from './rate-limiter.js';

/** A clock that only moves when a waiter sleeps, so the test is exact and instant. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at qps', async () => {
    const clock = fakeClock();
    const b = new TokenBucket(10, 3, clock);
    for (let i = 0; i < 3; i++) expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    await b.acquire();
    // One token at 10 qps takes 100 ms.
    expect(clock.slept.reduce((a, x) => a + x, 0)).toBe(100);
    expect(clock.now()).toBe(100);
  });

  it('serves waiters in order and spaces them by 1/qps', async () => {
    const clock = fakeClock();
    const b = new TokenBucket(100, 1, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => b.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.now()).toBe(30);
  });

  it('never holds more than burst tokens', async () => {
    const clock = fakeClock();
    const b = new TokenBucket(1000, 2, clock);
    await clock.sleep(10_000);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0)).toThrow(RangeError);
  });

  it('qps <= 0 means unlimited', () => {
    expect(createRateLimiter({ qps: 0, burst: 0 })).toBe(unlimited);
    expect(createRateLimiter({ qps: 5, burst: 0 })).toBeInstanceOf(TokenBucket);
  });
});
