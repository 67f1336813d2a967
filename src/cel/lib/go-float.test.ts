import { describe, expect, it } from 'vitest';
import { formatExponent, formatFixed, formatShortestPlain } from './go-float.js';

describe('Go float formatting', () => {
  it.each([
    [2.5, 0, '2'], // ties to even, where toFixed rounds up
    [3.5, 0, '4'],
    [2.675, 2, '2.67'], // the double is below 2.675
    [0.125, 2, '0.12'],
    [-0.04, 1, '-0.0'],
    [1e22, 1, '10000000000000000000000.0'],
    [123.456, 6, '123.456000'],
  ])('%%.Nf of %d with %d digits is %s', (x, p, want) => {
    expect(formatFixed(x, p)).toBe(want);
  });

  it.each([
    [1234.5678, 6, '1.234568e+03'],
    [0.000123, 2, '1.23e-04'],
    [9.96, 1, '1.0e+01'],
    [0, 6, '0.000000e+00'],
    [1e-300, 0, '1e-300'],
  ])('%%1.Ne of %d with %d digits is %s', (x, p, want) => {
    expect(formatExponent(x, p)).toBe(want);
  });

  it.each([
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [0.1 + 0.2, '0.30000000000000004'],
    [-2, '-2'],
    [Number.NaN, 'NaN'],
  ])('FormatFloat(%d, f, -1) is %s', (x, want) => {
    expect(formatShortestPlain(x)).toBe(want);
  });
});
