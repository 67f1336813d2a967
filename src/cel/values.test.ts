import { Optional } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from '../api/openapi.js';
import { ExpressionError } from '../lib/errors.js';
import { formatGoDuration } from '../lib/go-duration.js';
import { parseJsonLossless, stringifyJsonLossless } from './json-lossless.js';
import { compile } from './test-fixtures.js';
import { celTypeName, fromCel, parseGoDuration, toCel } from './values.js';

const int: OpenApiSchema = { type: 'integer' };
const num: OpenApiSchema = { type: 'number' };

function celOf(expression: string): unknown {
  return compile(expression, {}).evaluate({});
}

describe('toCel', () => {
  it.each<[string, unknown, OpenApiSchema | undefined, unknown]>([
    ['integer', 3, int, 3n],
    ['integer int64 max', 9223372036854775807n, int, 9223372036854775807n],
    ['integer int64 min', -9223372036854775808n, int, -9223372036854775808n],
    ['number whole', 3, num, 3],
    ['number from bigint', 12345678901234567890n, num, Number(12345678901234567890n)],
    ['string', 'x', { type: 'string' }, 'x'],
    ['boolean', true, { type: 'boolean' }, true],
    ['null', null, int, null],
    ['dyn integer', 7, undefined, 7n],
    ['dyn fraction', 7.5, undefined, 7.5],
    ['dyn big integer', 9223372036854775807n, undefined, 9223372036854775807n],
    ['dyn beyond int64', 99999999999999999999n, undefined, Number(99999999999999999999n)],
    ['int-or-string int', 80, { 'x-kubernetes-int-or-string': true }, 80n],
    ['int-or-string string', 'http', { 'x-kubernetes-int-or-string': true }, 'http'],
    ['array', [1, 2], { type: 'array', items: int }, [1n, 2n]],
    ['array of numbers', [1, 2], { type: 'array', items: num }, [1, 2]],
  ])('%s', (_name, json, schema, expected) => {
    expect(toCel(json, schema)).toEqual(expected);
  });

  it('decodes format byte, date-time and duration', () => {
    expect(toCel('aGVsbG8=', { type: 'string', format: 'byte' })).toEqual(
      new Uint8Array(Buffer.from('hello')),
    );
    const ts = toCel('2026-01-02T15:04:05Z', { type: 'string', format: 'date-time' });
    expect(ts).toBeInstanceOf(Date);
    expect((ts as Date).toISOString()).toBe('2026-01-02T15:04:05.000Z');
    const d = toCel('1m30s', { type: 'string', format: 'duration' });
    expect(fromCel(d)).toBe('1m30s');
  });

  it('types object fields by properties and additionalProperties', () => {
    const schema: OpenApiSchema = {
      type: 'object',
      properties: { count: int, ratio: num },
      additionalProperties: false,
    };
    expect(toCel({ count: 2, ratio: 2, other: 1 }, schema)).toEqual({
      count: 2n,
      ratio: 2,
      other: 1n,
    });
    const map: OpenApiSchema = { type: 'object', additionalProperties: num };
    expect(toCel({ a: 1 }, map)).toEqual({ a: 1 });
  });

  it('keeps a key named __proto__ as data', () => {
    const v = toCel(JSON.parse('{"__proto__": {"x": 1}}'), undefined) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(fromCel(v)).toEqual(JSON.parse('{"__proto__": {"x": 1}}'));
  });

  it('feeds evaluation: bytes convert with string(), integers stay exact', () => {
    const secret = { schema: { type: 'string' as const, format: 'byte' } };
    const c = compile('string(s)', { s: secret });
    expect(c.evaluate({ s: toCel('aGVsbG8=', secret.schema) })).toBe('hello');
    const big = compile('n + 0', { n: { schema: int } });
    expect(big.evaluate({ n: toCel(parseJsonLossless('9223372036854775807'), int) })).toBe(
      9223372036854775807n,
    );
  });
});

describe('fromCel', () => {
  it.each<[string, string, unknown]>([
    ['int', '1 + 2', 3],
    ['int64 max', '9223372036854775807', 9223372036854775807n],
    ['int64 min', '-9223372036854775807 - 1', -9223372036854775808n],
    ['uint', '7u', 7],
    ['uint at int64 max', '9223372036854775807u', 9223372036854775807n],
    ['whole double', '3.0', 3],
    ['double', '2.5', 2.5],
    ['string', '"x"', 'x'],
    ['bool', 'true', true],
    ['null', 'null', null],
    ['list', '[1, "a", null]', [1, 'a', null]],
    ['map', '{"a": [1.5]}', { a: [1.5] }],
    ['timestamp', 'timestamp("2026-01-02T15:04:05.999Z")', '2026-01-02T15:04:05Z'],
    ['duration hours', 'duration("1h")', '1h0m0s'],
    ['duration minutes', 'duration("90s")', '1m30s'],
    ['duration millis', 'duration("500ms")', '500ms'],
    ['optional value', 'optional.of(4)', 4],
    ['optional none', 'optional.none()', null],
  ])('%s', (_name, expression, expected) => {
    expect(fromCel(celOf(expression))).toEqual(expected);
  });

  it.each<[string, string, string]>([
    [
      'uint overflow',
      '18446744073709551615u',
      'uint value 18446744073709551615 overflows int64; convert it explicitly, e.g. string(...)',
    ],
    [
      'bytes',
      'b"abc"',
      'bytes value cannot be used directly in a resource template or status field; encode it explicitly, e.g. base64.encode(...)',
    ],
    ['NaN', 'double("NaN")', 'double value NaN cannot be represented in JSON'],
    ['Inf', 'double("Infinity")', 'double value +Inf cannot be represented in JSON'],
    ['-Inf', '-double("Infinity")', 'double value -Inf cannot be represented in JSON'],
    ['type', 'type(1)', 'unsupported type: type'],
    ['int beyond int64', 'int(1e30)', 'overflows int64'],
  ])('%s is an error', (_name, expression, message) => {
    const v = celOf(expression);
    expect(() => fromCel(v)).toThrow(ExpressionError);
    expect(() => fromCel(v)).toThrow(message);
  });

  it('rejects maps with non-string keys', () => {
    expect(() => fromCel(new Map<unknown, unknown>([[1n, 'a']]))).toThrow('map key must be string, got int');
    expect(fromCel(new Map([['a', 1n]]))).toEqual({ a: 1 });
    expect(fromCel(Optional.of(new Set(['x'])))).toEqual(['x']);
  });

  it('names CEL types of runtime values', () => {
    expect(celTypeName(1n)).toBe('int');
    expect(celTypeName(celOf('1u'))).toBe('uint');
    expect(celTypeName(celOf('duration("1s")'))).toBe('duration');
    expect(celTypeName(new Date(0))).toBe('timestamp');
    expect(celTypeName(null)).toBe('null_type');
  });
});

describe('Go durations', () => {
  it.each<[bigint, string]>([
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5µs'],
    [500_000_000n, '500ms'],
    [1_000_000_000n, '1s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [3_723_500_000_000n, '1h2m3.5s'],
    [-1_500_000_000n, '-1.5s'],
  ])('%s ns is %s', (nanos, text) => {
    expect(formatGoDuration(nanos)).toBe(text);
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it('rejects what Go rejects', () => {
    expect(parseGoDuration('5')).toBeUndefined();
    expect(parseGoDuration('1x')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });
});

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exact and everything else as JSON.parse', () => {
    const v = parseJsonLossless(
      '{"a": 9223372036854775807, "b": 1.5, "c": [1, -9007199254740993], "d": 12345678901234567.5}',
    );
    expect(v).toEqual({
      a: 9223372036854775807n,
      b: 1.5,
      c: [1, -9007199254740993n],
      d: Number('12345678901234567.5'),
    });
    expect(stringifyJsonLossless(v)).toBe(
      '{"a":9223372036854775807,"b":1.5,"c":[1,-9007199254740993],"d":12345678901234568}',
    );
  });
});
