import { describe, expect, it } from 'vitest';
import { Optional } from '@marcbachmann/cel-js';
import { celEval, newTestEnv } from './test-env.js';

describe('cel-go extension semantics on cel-js', () => {
  it('replaces JavaScript-flavoured built-ins with cel-go ones, also in clones', () => {
    const env = newTestEnv().clone({ enableOptionalTypes: true });
    env.registerFunction('addOne(int): int', (x: bigint) => x + 1n); // forces a registry rebuild
    expect(env.evaluate('"ÀB".lowerAscii()')).toBe('Àb');
    expect(env.evaluate('"a😀b".indexOf("b")')).toBe(2n);
    expect(env.evaluate('"\\ufeffx\\u00a0".trim()')).toBe('\ufeffx');
    expect(env.evaluate('"a😀bc".substring(1, 3)')).toBe('😀b');
    expect(env.evaluate('"abc".split("")')).toEqual(['a', 'b', 'c']);
    expect(env.evaluate('"x".matches("\\\\pL")')).toBe(true);
  });

  it('formats like cel-go', () => {
    expect(celEval('"%s %d %.2f %e %b %o %x %X %%".format(["s", -3, 2.675, 1.5, 5, 8, "hi", 255])')).toBe(
      's -3 2.67 1.500000e+00 101 10 6869 FF %',
    );
    expect(celEval('"%s".format([{"b": [1, 2.0], "a": null}])')).toBe('{a: null, b: [1, 2]}');
    expect(() => celEval('"%d".format(["x"])')).toThrow(
      'error during formatting: decimal clause can only be used on ints, uints, and doubles, was given string',
    );
  });

  it('evaluates two-variable comprehensions on lists and maps', () => {
    expect(celEval('[5, 6].transformList(i, v, i * v)')).toEqual([0n, 6n]);
    expect(celEval('{"a": 1, "b": 2}.transformMap(k, v, v > 1, k + "!")')).toEqual({ b: 'b!' });
    expect(celEval('[1, 2].transformMap(i, v, v)')).toEqual(
      new Map([
        [0n, 1n],
        [1n, 2n],
      ]),
    );
    expect(celEval('[0, 1].exists(i, v, 1 / v == 1)')).toBe(true);
    expect(() => celEval('{"a": "x", "b": "x"}.transformMapEntry(k, v, {v: k})')).toThrow(
      'insert failed: key x already exists',
    );
  });

  it('sorts stably and by key, refusing mixed types', () => {
    expect(celEval('["bb", "a", "cc"].sortBy(s, size(s))')).toEqual(['a', 'bb', 'cc']);
    expect(() => celEval('dyn([1, "a"]).sort()')).toThrow('list elements must have the same type');
  });

  it('implements the optional helpers', () => {
    expect(celEval('optional.ofNonZeroValue({})')).toBe(Optional.none());
    expect((celEval('optional.of(2).optMap(x, x + 1)') as Optional).value()).toBe(3n);
    expect(celEval('optional.of(2).optFlatMap(x, optional.none())')).toBe(Optional.none());
    expect((celEval('[1, 2].last()') as Optional).value()).toBe(2n);
  });

  it('parses Kubernetes quantities, IPs, CIDRs, semvers and URLs', () => {
    expect(celEval('quantity("1.5Gi").asInteger()')).toBe(1610612736n);
    expect(celEval('string(quantity("1").sub(quantity("250m")))')).toBe('750m');
    expect(celEval('quantity("1") == quantity("1000m")')).toBe(true);
    expect(celEval('string(ip("2001:DB8:0:0:0::1"))')).toBe('2001:db8::1');
    expect(celEval('isIP("::ffff:1.2.3.4")')).toBe(false);
    expect(celEval('string(cidr("10.1.2.3/8").masked())')).toBe('10.0.0.0/8');
    expect(celEval('semver("1.0.0-alpha.1").isLessThan(semver("1.0.0-alpha.beta"))')).toBe(true);
    expect(celEval('url("https://[::1]:80/p?q=1&q=2").getQuery()')).toEqual({ q: ['1', '2'] });
    expect(celEval('"a1b22".findAll("[0-9]+", 1)')).toEqual(['1']);
  });
});
