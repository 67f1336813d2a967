import { describe, expect, it } from 'vitest';
import { goJsonNumber, goJsonParse, goJsonString } from './go-json.js';

describe('Go encoding/json', () => {
  it.each([
    ['', 'unexpected end of JSON input'],
    ['[1,', 'unexpected end of JSON input'],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['nul!', "invalid character '!' in literal null (expecting 'l')"],
    ['{a: 1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a": 1 "b"}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1] x', "invalid character 'x' after top-level value"],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['01', "invalid character '1' after top-level value"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['1e400', 'json: cannot unmarshal number 1e400 into Go value of type float64'],
  ])("rejects %j with Go's message", (text, message) => {
    expect(() => goJsonParse(text)).toThrow(message);
  });

  it('reads every number as a double and keeps the last duplicate key', () => {
    expect(goJsonParse('{"a": 1, "a": [2, 3.5e1, -0], "é": "\\u00e9"}')).toEqual({ a: [2, 35, -0], é: 'é' });
  });

  it('escapes like Go (HTML-safe, U+2028/2029, short control escapes)', () => {
    expect(goJsonString('<a&b>\u2028\u0001\b\f\n"\\')).toBe(
      '"\\u003ca\\u0026b\\u003e\\u2028\\u0001\\b\\f\\n\\"\\\\"',
    );
  });

  it('formats numbers like Go', () => {
    expect([1e21, 1e-7, 1e-6, 100, -0, 1.5].map(goJsonNumber)).toEqual([
      '1e+21',
      '1e-7',
      '0.000001',
      '100',
      '-0',
      '1.5',
    ]);
    expect(() => goJsonNumber(Number.NaN)).toThrow('json: unsupported value: NaN');
  });
});
