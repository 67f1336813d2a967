import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate (tryTake)', () => {
    const c = clock();
    const b = new TokenBucket({ ratePerSecond: 1 / 300, burst: 3, now: c.now });
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true, false]);
    c.advance(299_999);
    expect(b.tryTake()).toBe(false);
    c.advance(1);
    expect(b.tryTake()).toBe(true);
    c.advance(10 * 300_000);
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true, false]);
  });

  it('reserves future tokens and reports how long to wait', () => {
    const c = clock();
    const b = new TokenBucket({ ratePerSecond: 10, burst: 2, now: c.now });
    expect([b.reserve(), b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 100, 200]);
    c.advance(200);
    expect(b.reserve()).toBeCloseTo(100);
  });

  it('ignores a clock going backwards and rejects bad options', () => {
    const c = clock(1000);
    const b = new TokenBucket({ ratePerSecond: 1, burst: 1, now: c.now });
    expect(b.tryTake()).toBe(true);
    c.advance(-500);
    expect(b.tryTake()).toBe(false);
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1, now: c.now })).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0, now: c.now })).toThrow(RangeError);
  });
});
