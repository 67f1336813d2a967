import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

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
