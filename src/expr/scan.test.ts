import { describe, expect, it } from 'vitest';
import { NESTED_EXPRESSION_MESSAGE, scanString, unterminatedMessage } from './scan.js';

function texts(s: string): string[] {
  const r = scanString(s);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.expressions.map((e) => e.text);
}

describe('scanString', () => {
  it.each([
    ['plain', []],
    ['${a}', ['a']],
    ['x-${a}-${b.c}', ['a', 'b.c']],
    ['${ {"a": 1} }', [' {"a": 1} ']],
    ['${ x ? y : {} }', [' x ? y : {} ']],
    ['${"}"}', ['"}"']],
    ["${'}'}", ["'}'"]],
    ['${"${HOME}"}', ['"${HOME}"']],
    ["${'${HOME}'}", ["'${HOME}'"]],
    ['${"a\\"}"}', ['"a\\"}"']],
    ["${'a\\'}'}", ["'a\\'}'"]],
    ['${r"a\\"}', ['r"a\\"']],
    ["${R'\\'}", ["R'\\'"]],
    ['${b"}"}', ['b"}"']],
    ['${"""a"b}"""}', ['"""a"b}"""']],
    ["${'''it's }'''}", ["'''it's }'''"]],
    ['${rb"\\"}', ['rb"\\"']],
    ['$a ${b} $', ['b']],
    ['${a}${b}', ['a', 'b']],
  ])('%s', (input, expected) => {
    expect(texts(input)).toEqual(expected);
  });

  it('detects standalone expressions exactly', () => {
    const check = (s: string) => {
      const r = scanString(s);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.standalone;
    };
    expect(check('${a}')).toBe(true);
    expect(check('${ {"a": {"b": 1}} }')).toBe(true);
    expect(check(' ${a}')).toBe(false);
    expect(check('${a}\n')).toBe(false);
    expect(check('${a}${b}')).toBe(false);
    expect(check('plain')).toBe(false);
  });

  it('splits literal parts around expressions', () => {
    const r = scanString('img:${a}-${b}');
    expect(r.ok && r.value.literalParts).toEqual(['img:', '-', '']);
    const s = scanString('plain');
    expect(s.ok && s.value.literalParts).toEqual([]);
  });

  it('rejects nested expressions outside literals', () => {
    const r = scanString('${outer(${inner})}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toBe(NESTED_EXPRESSION_MESSAGE);
      expect(r.error.code).toBe('NestedExpression');
    }
  });

  it.each([
    ['${a', 0],
    ['abc ${a.b', 4],
    ['${a} ${ {"x": 1}', 5],
    ['${"unclosed}', 0],
    ["${'x}", 0],
  ])('reports the unterminated %s at offset %d', (input, offset) => {
    const r = scanString(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toBe(unterminatedMessage(offset));
      expect(r.error.message).toBe(`unterminated expression: "\${" at offset ${offset} has no matching "}"`);
    }
  });

  it('does not treat an identifier ending in r as a raw prefix', () => {
    // `attr"\"}"`: not raw, so the escaped quote does not close the literal.
    expect(texts('${attr"\\"}"}')).toEqual(['attr"\\"}"']);
  });
});
