import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelayMs, exponentialDelayMs, jitteredMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it.each([
    [0, 0],
    [1, 200],
    [2, 400],
    [3, 800],
    [10, 102_400],
    [14, 1_000_000],
    [5000, 1_000_000],
  ])('failures=%d → %d ms (min 200ms, max 1000s)', (failures, ms) => {
    expect(backoffDelayMs(failures, { minDelayMs: 200, maxDelayMs: 1_000_000 })).toBe(ms);
  });
});

describe('exponentialDelayMs and jitteredMs', () => {
  it('doubles from the initial delay up to the cap; jitter stays in [d/2, d]', () => {
    expect([0, 1, 2, 5, 6, 2000].map((a) => exponentialDelayMs(a, 200, 5000))).toEqual([
      200, 400, 800, 5000, 5000, 5000,
    ]);
    expect([jitteredMs(1000, () => 0), jitteredMs(1000, () => 1), jitteredMs(1000, () => 0.5)]).toEqual([
      500, 1000, 750,
    ]);
  });

  it('Backoff walks the same curve with jitter, and resets', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });
});
