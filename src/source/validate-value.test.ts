import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from '../api/openapi.js';
import { applyDefaults, pruneUnknown } from './structural.js';
import { validateValue } from './validate-value.js';

const messages = (v: unknown, s: OpenApiSchema, path = 'spec.f'): string[] =>
  validateValue(v, s, path).map((e) => e.message);

describe('validateValue (kube-apiserver wording)', () => {
  it.each<[string, unknown, OpenApiSchema, string[]]>([
    [
      'whole float in a string field (YAML 1.0 reaches the API server as 1)',
      1,
      { type: 'string' },
      ['spec.f: Invalid value: "integer": spec.f in body must be of type string: "integer"'],
    ],
    [
      'fractional float in a string field',
      1.5,
      { type: 'string' },
      ['spec.f: Invalid value: "number": spec.f in body must be of type string: "number"'],
    ],
    [
      'integer in a string field',
      1n,
      { type: 'string' },
      ['spec.f: Invalid value: "integer": spec.f in body must be of type string: "integer"'],
    ],
    [
      'string in an integer field',
      'x',
      { type: 'integer' },
      ['spec.f: Invalid value: "string": spec.f in body must be of type integer: "string"'],
    ],
    [
      'fractional number in an integer field',
      1.5,
      { type: 'integer' },
      ['spec.f: Invalid value: "number": spec.f in body must be of type integer: "number"'],
    ],
    ['integral float in an integer field', 2, { type: 'integer' }, []],
    [
      'null in a non-nullable field',
      null,
      { type: 'string' },
      ['spec.f: Invalid value: "null": spec.f in body must be of type string: "null"'],
    ],
    ['null in a nullable field', null, { type: 'string', nullable: true }, []],
    [
      'int-or-string',
      true,
      { 'x-kubernetes-int-or-string': true },
      ['spec.f: Invalid value: "boolean": spec.f in body must be of type integer,string: "boolean"'],
    ],
    [
      'enum',
      'c',
      { type: 'string', enum: ['a', 'b'] },
      ['spec.f: Unsupported value: "c": supported values: "a", "b"'],
    ],
    [
      'pattern (RE2, unanchored)',
      'abc',
      { type: 'string', pattern: '^b' },
      ['spec.f: Invalid value: "abc": spec.f in body should match \'^b\''],
    ],
    ['pattern match', 'xbz', { type: 'string', pattern: 'b' }, []],
    [
      'minLength',
      'ab',
      { type: 'string', minLength: 3 },
      ['spec.f: Invalid value: "ab": spec.f in body should be at least 3 chars long'],
    ],
    [
      'maxLength',
      'abcd',
      { type: 'string', maxLength: 3 },
      ['spec.f: Too long: may not be more than 3 bytes'],
    ],
    [
      'minimum',
      0n,
      { type: 'integer', minimum: 1 },
      ['spec.f: Invalid value: 0: spec.f in body should be greater than or equal to 1'],
    ],
    [
      'exclusive minimum',
      1n,
      { type: 'integer', minimum: 1, exclusiveMinimum: true },
      ['spec.f: Invalid value: 1: spec.f in body should be greater than 1'],
    ],
    [
      'maximum',
      11n,
      { type: 'integer', maximum: 10 },
      ['spec.f: Invalid value: 11: spec.f in body should be less than or equal to 10'],
    ],
    [
      'minItems',
      ['a'],
      { type: 'array', minItems: 2, items: { type: 'string' } },
      ['spec.f: Invalid value: 1: spec.f in body should have at least 2 items'],
    ],
    [
      'maxItems',
      ['a', 'b'],
      { type: 'array', maxItems: 1, items: { type: 'string' } },
      ['spec.f: Too many: 2: must have at most 1 items'],
    ],
    [
      'list-type set',
      ['a', 'b', 'a'],
      { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      ['spec.f[2]: Duplicate value: "a"'],
    ],
    [
      'required and nested paths',
      { a: { b: 'x' }, list: [1n, 'y'] },
      {
        type: 'object',
        required: ['a', 'c'],
        properties: {
          a: { type: 'object', properties: { b: { type: 'integer' } } },
          list: { type: 'array', items: { type: 'integer' } },
          c: { type: 'string' },
        },
      },
      [
        'spec.f.c: Required value',
        'spec.f.a.b: Invalid value: "string": spec.f.a.b in body must be of type integer: "string"',
        'spec.f.list[1]: Invalid value: "string": spec.f.list[1] in body must be of type integer: "string"',
      ],
    ],
  ])('%s', (_name, value, schema, expected) => {
    expect(messages(value, schema)).toEqual(expected);
  });

  it('returns the field path of each error', () => {
    expect(
      validateValue({ x: 1n }, { type: 'object', properties: { x: { type: 'string' } } }, 'spec')[0]?.path,
    ).toBe('spec.x');
  });
});

describe('structural defaulting and pruning', () => {
  const schema: OpenApiSchema = {
    type: 'object',
    properties: {
      name: { type: 'string', default: 'frontend' },
      values: {
        type: 'object',
        default: {},
        properties: {
          deployment: {
            type: 'object',
            default: {},
            properties: { replicas: { type: 'integer', default: 1 }, tag: { type: 'string' } },
          },
          list: {
            type: 'array',
            items: { type: 'object', properties: { port: { type: 'integer', default: 80 } } },
          },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      nullable: { type: 'string', nullable: true, default: 'n' },
      notNullable: { type: 'string', default: 'd' },
    },
  };

  it('defaults absent properties recursively, through default: {}', () => {
    const v: Record<string, unknown> = { nullable: null, notNullable: null };
    applyDefaults(v, schema);
    expect(v).toEqual({
      name: 'frontend',
      values: { deployment: { replicas: 1 } },
      nullable: null,
      notNullable: 'd',
    });
  });

  it('defaults list items and keeps given values', () => {
    const v = { name: 'x', values: { deployment: { replicas: 3 }, list: [{}, { port: 8080 }] } };
    applyDefaults(v, schema);
    expect(v.values).toEqual({ deployment: { replicas: 3 }, list: [{ port: 80 }, { port: 8080 }] });
  });

  it('prunes unknown fields except under additionalProperties and preserve-unknown-fields', () => {
    const v = {
      name: 'x',
      bogus: 1,
      values: { extra: true, labels: { a: 'b' }, free: { any: { thing: 1 } }, list: [{ port: 1, no: 2 }] },
    };
    expect(pruneUnknown(v, schema, 'spec')).toEqual([
      'spec.bogus',
      'spec.values.extra',
      'spec.values.list[0].no',
    ]);
    expect(v).toEqual({
      name: 'x',
      values: { labels: { a: 'b' }, free: { any: { thing: 1 } }, list: [{ port: 1 }] },
    });
  });
});
