import { describe, expect, it } from 'vitest';
import { lexMarkers, processValue } from './marker-lexer.js';

describe('lexMarkers (spec 02 §6.1)', () => {
  const ok: [string, [string, string][]][] = [
    [' required=true', [['required', 'true']]],
    [
      ' default=1 minimum=0',
      [
        ['default', '1'],
        ['minimum', '0'],
      ],
    ],
    [' description="a b c"', [['description', 'a b c']]],
    [' default=[1, 2, 3]', [['default', '[1, 2, 3]']]],
    [' default={"a": 1, "b": [2, 3]}', [['default', '{"a": 1, "b": [2, 3]}']]],
    [' description="say \\"hi\\""', [['description', 'say "hi"']]],
    [' pattern="^\\\\w+$"', [['pattern', '^\\w+$']]],
    [' pattern="\\.[a-z]"', [['pattern', '\\.[a-z]']]],
    [" description='a", [['description', "'a"]]],
    [' def ault=x', [['default', 'x']]],
    [' default="a=b"', [['default', 'a=b']]],
    [' default=x   ', [['default', 'x']]],
    [
      '\tdefault=x\tminimum=1',
      [
        ['default', 'x'],
        ['minimum', '1'],
      ],
    ],
    [' validation="self.a == \'b c\'"', [['validation', "self.a == 'b c'"]]],
    [
      ' listMapKey=a listMapKey=b',
      [
        ['listMapKey', 'a'],
        ['listMapKey', 'b'],
      ],
    ],
    [' default=""', [['default', '']]],
  ];
  for (const [text, want] of ok) {
    it(`lexes ${JSON.stringify(text)}`, () => {
      expect(lexMarkers(text)).toEqual({ ok: true, value: want.map(([key, value]) => ({ key, value })) });
    });
  }

  const errors: [string, string][] = [
    [' colour=red', 'invalid marker key "colour": unknown marker: colour'],
    [' default=a | required=true', 'invalid marker key "|required": unknown marker: |required'],
    ['', "marker key '' without a value"],
    ['   ', "marker key '' without a value"],
    [' required', "marker key 'required' without a value"],
    [' default= x', "marker key 'x' without a value"],
    [' =x', 'empty marker key'],
    [' description="abc', 'unclosed quote'],
    [' default="', 'unclosed quote'],
    [' default=["a"', 'unclosed bracket/brace'],
    [' default=]', 'unmatched closing bracket/brace'],
    [' "default"=x', 'invalid marker key "\\"default\\"": unknown marker: "default"'],
  ];
  for (const [text, message] of errors) {
    it(`rejects ${JSON.stringify(text)}`, () =>
      expect(lexMarkers(text)).toEqual({ ok: false, error: message }));
  }

  it('unquotes only values that start and end with a double quote', () => {
    expect(processValue('"a\\\\b\\n"')).toBe('a\\b\\n');
    expect(processValue('  x ')).toBe('x');
    expect(processValue('"a')).toBe('"a');
  });
});
