import { describe, expect, it } from 'vitest';
import { parseTypeExpression, splitFieldString, typeDependencies } from './type-expr.js';

describe('parseTypeExpression', () => {
  const cases: [string, unknown][] = [
    ['string', { kind: 'atomic', name: 'string' }],
    ['integer', { kind: 'atomic', name: 'integer' }],
    ['boolean', { kind: 'atomic', name: 'boolean' }],
    ['float', { kind: 'atomic', name: 'float' }],
    ['object', { kind: 'object' }],
    ['[]string', { kind: 'slice', elem: { kind: 'atomic', name: 'string' } }],
    ['[] string', { kind: 'slice', elem: { kind: 'atomic', name: 'string' } }],
    ['[][]integer', { kind: 'slice', elem: { kind: 'slice', elem: { kind: 'atomic', name: 'integer' } } }],
    ['map[string]string', { kind: 'map', value: { kind: 'atomic', name: 'string' } }],
    ['map[string] []Port', { kind: 'map', value: { kind: 'slice', elem: { kind: 'custom', name: 'Port' } } }],
    [
      '[]map[string]boolean',
      { kind: 'slice', elem: { kind: 'map', value: { kind: 'atomic', name: 'boolean' } } },
    ],
    ['Port', { kind: 'custom', name: 'Port' }],
  ];
  for (const [text, want] of cases) {
    it(`parses ${text}`, () => expect(parseTypeExpression(text)).toEqual({ ok: true, value: want }));
  }

  const errors: [string, string][] = [
    ['', 'empty type'],
    ['[]', 'empty slice element type'],
    ['map[int]string', 'map key must be string'],
    ['map[ string]string', 'map key must be string'],
    ['map[string]', 'map value type is required'],
    ['map[string]   ', 'map value type is required'],
    [`${'[]'.repeat(17)}string`, 'type nesting too deep (max 16): "string"'],
  ];
  for (const [text, message] of errors) {
    it(`rejects ${JSON.stringify(text)}`, () =>
      expect(parseTypeExpression(text)).toEqual({ ok: false, error: message }));
  }

  it('allows exactly 16 levels', () => {
    expect(parseTypeExpression(`${'[]'.repeat(16)}string`).ok).toBe(true);
  });

  it('splits at the first | only', () => {
    expect(splitFieldString(' []string | a=1 | b=2')).toEqual({
      typeText: '[]string',
      markerText: ' a=1 | b=2',
    });
    expect(splitFieldString('string')).toEqual({ typeText: 'string', markerText: undefined });
  });

  it('lists custom dependencies through slices and maps', () => {
    const t = parseTypeExpression('[]map[string]Port');
    expect(t.ok && typeDependencies(t.value)).toEqual(['Port']);
  });
});
