import { describe, expect, it } from 'vitest';
import { goQuote, parseGoBool, parseGoFloat, parseGoInt } from './go-strconv.js';

describe("Go strconv look-alikes (kro's marker errors embed them)", () => {
  it('ParseBool accepts Go’s spellings', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True'])
      expect(parseGoBool(t)).toEqual({ ok: true, value: true });
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False'])
      expect(parseGoBool(f)).toEqual({ ok: true, value: false });
    expect(parseGoBool('yes')).toEqual({
      ok: false,
      error: 'strconv.ParseBool: parsing "yes": invalid syntax',
    });
  });
  it('ParseInt is base 10, int64', () => {
    expect(parseGoInt('-42')).toEqual({ ok: true, value: -42n });
    expect(parseGoInt('+7')).toEqual({ ok: true, value: 7n });
    expect(parseGoInt('1_000')).toEqual({
      ok: false,
      error: 'strconv.ParseInt: parsing "1_000": invalid syntax',
    });
    expect(parseGoInt('9223372036854775808')).toEqual({
      ok: false,
      error: 'strconv.ParseInt: parsing "9223372036854775808": value out of range',
    });
  });
  it('ParseFloat takes decimal, exponent, hex and special forms', () => {
    expect(parseGoFloat('1.5')).toEqual({ ok: true, value: 1.5 });
    expect(parseGoFloat('.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseGoFloat('1e3')).toEqual({ ok: true, value: 1000 });
    expect(parseGoFloat('0x1p-2')).toEqual({ ok: true, value: 0.25 });
    expect(parseGoFloat('Inf')).toEqual({ ok: true, value: Infinity });
    expect(parseGoFloat('1e400')).toEqual({
      ok: false,
      error: 'strconv.ParseFloat: parsing "1e400": value out of range',
    });
    expect(parseGoFloat('1x')).toEqual({
      ok: false,
      error: 'strconv.ParseFloat: parsing "1x": invalid syntax',
    });
  });
  it('quotes like %q', () => {
    expect(goQuote('a"b\\c\n\x01é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });
});
