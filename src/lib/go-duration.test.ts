// The one Go duration parser (CEL `format: duration` values and the command-line flags) and
// formatter: Go's accepted forms, Go's error text, and the int64 range.

import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './go-duration.js';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0n],
    ['-0', 0n],
    ['+0', 0n],
    ['1h2m3.5s', 3_723_500_000_000n],
    ['-1.5ms', -1_500_000n],
    ['.5s', 500_000_000n],
    ['5.s', 5_000_000_000n],
    ['1500µs', 1_500_000n],
    ['1500μs', 1_500_000n],
    ['9223372036854775807ns', 2n ** 63n - 1n],
    ['-9223372036854775808ns', -(2n ** 63n)],
  ])('%s = %d ns', (text, nanos) => {
    expect(parseGoDuration(text)).toEqual({ ok: true, nanos });
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['-', 'time: invalid duration "-"'],
    ['.s', 'time: invalid duration ".s"'],
    ['s', 'time: invalid duration "s"'],
    ['--1s', 'time: invalid duration "--1s"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1h5', 'time: missing unit in duration "1h5"'],
    ['1.5.3s', 'time: missing unit in duration "1.5.3s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['3 s', 'time: unknown unit " s" in duration "3 s"'],
    ['1constructor', 'time: unknown unit "constructor" in duration "1constructor"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
  ])('rejects %j: %s', (text, error) => {
    expect(parseGoDuration(text)).toEqual({ ok: false, error });
  });

  it('round-trips what formatGoDuration prints', () => {
    for (const n of [1n, 1_500n, 90_000_000_000n, -1_500_000_000n, 2n ** 63n - 1n]) {
      expect(parseGoDuration(formatGoDuration(n))).toEqual({ ok: true, nanos: n });
    }
  });
});
