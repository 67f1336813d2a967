import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from '../api/openapi.js';
import type { Issue } from '../lib/issue.js';
import type { Result } from '../lib/result.js';
import { buildSpecSchema } from './build.js';

const field = (type: string): OpenApiSchema => {
  const r = buildSpecSchema({ spec: { f: type } });
  if (!r.ok) throw new Error(r.error.map((i) => i.message).join('; '));
  return r.value.properties?.['f'] ?? {};
};

const issuesOf = (r: Result<OpenApiSchema, Issue[]>): { path: string; message: string }[] =>
  r.ok ? [] : r.error.map((i) => ({ path: i.path, message: i.message }));

describe('type forms', () => {
  const cases: [string, OpenApiSchema][] = [
    ['string', { type: 'string' }],
    ['integer', { type: 'integer' }],
    ['boolean', { type: 'boolean' }],
    ['float', { type: 'number' }],
    ['object', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
    ['[]string', { type: 'array', items: { type: 'string' } }],
    ['[][]integer', { type: 'array', items: { type: 'array', items: { type: 'integer' } } }],
    ['map[string]float', { type: 'object', additionalProperties: { type: 'number' } }],
    [
      '[]map[string]string',
      { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } },
    ],
  ];
  for (const [type, want] of cases) it(type, () => expect(field(type)).toEqual(want));

  it('nested maps become objects with sorted required and no empty lists', () => {
    const r = buildSpecSchema({
      spec: { a: { z: 'string | required=true', b: 'string | required=true', c: 'integer' } },
    });
    expect(r.ok && r.value).toEqual({
      type: 'object',
      properties: {
        a: {
          type: 'object',
          required: ['b', 'z'],
          properties: { z: { type: 'string' }, b: { type: 'string' }, c: { type: 'integer' } },
        },
      },
    });
  });
});

describe('markers', () => {
  const cases: [string, OpenApiSchema][] = [
    ['string | description="Application name"', { type: 'string', description: 'Application name' }],
    ['string | default=frontend', { type: 'string', default: 'frontend' }],
    ['string | default="XXX/XXX"', { type: 'string', default: 'XXX/XXX' }],
    ['string | default="say \\"hi\\""', { type: 'string', default: 'say "hi"' }],
    ['integer | default=-5', { type: 'integer', default: -5 }],
    ['float | default=1e3', { type: 'number', default: 1000 }],
    ['boolean | default=false', { type: 'boolean', default: false }],
    ['[]string | default=["a","b"]', { type: 'array', items: { type: 'string' }, default: ['a', 'b'] }],
    [
      'object | default={"a": 1}',
      { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, default: { a: 1 } },
    ],
    ['string | enum="a, b,c"', { type: 'string', enum: ['a', 'b', 'c'] }],
    ['integer | enum=1,2', { type: 'integer', enum: [1, 2] }],
    ['integer | minimum=1 maximum=10.5', { type: 'integer', minimum: 1, maximum: 10.5 }],
    ['string | minLength=1 maxLength=63', { type: 'string', minLength: 1, maxLength: 63 }],
    ['string | pattern="^[a-z]+$"', { type: 'string', pattern: '^[a-z]+$' }],
    [
      '[]string | uniqueItems=true',
      { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    ],
    ['[]string | uniqueItems=false', { type: 'array', items: { type: 'string' } }],
    [
      '[]string | minItems=1 maxItems=5',
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 5 },
    ],
    [
      '[]string | listType=atomic',
      { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
    ],
    [
      '[]object | listType=map listMapKey=a listMapKey=b',
      {
        type: 'array',
        items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['a', 'b'],
      },
    ],
    [
      'string | immutable=true validation="self != \'\'"',
      {
        type: 'string',
        'x-kubernetes-validations': [
          { rule: 'self == oldSelf', message: 'field is immutable' },
          { rule: "self != ''", message: 'validation failed' },
        ],
      },
    ],
    ['string | immutable=false', { type: 'string' }],
    ['integer | default=1 default=2', { type: 'integer', default: 2 }],
    ['string | default=x   ', { type: 'string', default: 'x' }],
  ];
  for (const [type, want] of cases) it(type, () => expect(field(type)).toEqual(want));

  it('required=true adds the field to the parent, required=false does not', () => {
    const r = buildSpecSchema({ spec: { a: 'string | required=true', b: 'string | required=False' } });
    expect(r.ok && r.value.required).toEqual(['a']);
  });
});

describe('errors: exact messages and RGD paths', () => {
  const cases: [string, unknown, string][] = [
    ['empty type', ' | default=1', 'empty type'],
    ['unexpected number', 5, 'unexpected type: float64'],
    ['unexpected list', ['a'], 'unexpected type: []interface {}'],
    ['unknown type', 'Foo', 'unknown type: Foo'],
    ['int hint', 'int', 'unknown type: int (use integer)'],
    ['number hint', '[]number', 'unknown type: number (use float)'],
    ['double hint', 'double', 'unknown type: double (use float)'],
    ['bool hint', 'bool', 'unknown type: bool (use boolean)'],
    ['bad integer default', 'integer | default=1.5', 'default value must be a valid integer, got: 1.5'],
    ['bad number default', 'float | default=NaN', 'default value must be a valid number, got: NaN'],
    ['lax boolean default', 'boolean | default=True', 'default value must be a valid boolean, got: True'],
    ['invalid JSON default', '[]string | default=[a]', 'default value must be valid JSON, got: [a]'],
    ['wrong shape default', '[]string | default={}', 'default value must be a JSON array, got: {}'],
    [
      'object shape default',
      'map[string]string | default=[]',
      'default value must be a JSON object, got: []',
    ],
    [
      'required',
      'string | required=yes',
      'failed to parse required marker value: strconv.ParseBool: parsing "yes": invalid syntax',
    ],
    ['enum empty', 'string | enum=a,,b', 'empty enum values are not allowed'],
    [
      'enum int',
      'integer | enum=1,x',
      'failed to parse integer enum value: strconv.ParseInt: parsing "x": invalid syntax',
    ],
    [
      'enum type',
      'float | enum=1',
      'enum values only supported for string and integer types, got type: number',
    ],
    [
      'minimum',
      'integer | minimum=x',
      'failed to parse minimum enum value: strconv.ParseFloat: parsing "x": invalid syntax',
    ],
    [
      'maximum',
      'integer | maximum=x',
      'failed to parse maximum enum value: strconv.ParseFloat: parsing "x": invalid syntax',
    ],
    [
      'minLength type',
      'integer | minLength=1',
      'minLength marker is only valid for string types, got type: integer',
    ],
    [
      'maxLength value',
      'string | maxLength=x',
      'failed to parse maxLength value: strconv.ParseInt: parsing "x": invalid syntax',
    ],
    ['pattern empty', 'string | pattern=""', 'pattern marker value cannot be empty'],
    [
      'pattern type',
      '[]string | pattern=a',
      'pattern marker is only valid for string types, got type: array',
    ],
    [
      'pattern RE2',
      'string | pattern="(?=a)"',
      'invalid pattern regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    ],
    [
      'uniqueItems type',
      'string | uniqueItems=true',
      'uniqueItems marker is only valid for array types, got type: string',
    ],
    [
      'uniqueItems after map',
      '[]string | listType=map uniqueItems=true',
      'cannot set unique when listType is set to map',
    ],
    [
      'minItems type',
      'string | minItems=1',
      'minItems marker is only valid for array types, got type: string',
    ],
    [
      'maxItems type',
      'object | maxItems=1',
      'maxItems marker is only valid for array types, got type: object',
    ],
    ['listType type', 'string | listType=set', 'listType marker only applies to array types'],
    [
      'listType value',
      '[]string | listType=bag',
      'unsupported value for listType bag, needs to be one of atomic, set, or map',
    ],
    [
      'listType overwrite',
      '[]string | uniqueItems=true listType=map',
      'listType attempting to overwrite set type of set, this can happen if you set contradictory markers like unique=true | listType=map',
    ],
    ['listMapKey type', 'string | listMapKey=a', 'listMapKey marker only applies to array types'],
    [
      'listMapKey duplicate',
      '[]object | listType=map listMapKey=a listMapKey=a',
      'duplicate listMapKey marker, value a',
    ],
    [
      'listMapKey unset',
      '[]object | listMapKey=a',
      'listMapKey set while listType is unset, listType must be set to map',
    ],
    [
      'listMapKey set',
      '[]object | listType=set listMapKey=a',
      'listMapKey set while listType is set to set, listType must be set to map',
    ],
    [
      'immutable',
      'string | immutable=1x',
      'failed to parse immutable marker value: strconv.ParseBool: parsing "1x": invalid syntax',
    ],
    ['validation empty', 'string | validation=" "', 'validation failed'],
    ['unknown marker', 'string | colour=red', 'invalid marker key "colour": unknown marker: colour'],
    ['bare pipe', 'string |', "marker key '' without a value"],
  ];
  for (const [name, value, message] of cases) {
    it(name, () => {
      const r = buildSpecSchema({ spec: { values: { deployment: { tag: value } } } });
      expect(issuesOf(r)).toEqual([
        {
          path: 'spec.schema.spec.values.deployment.tag',
          message: `field values: field deployment: field tag: ${message}`,
        },
      ]);
    });
  }

  it('returns every issue, not just the first (several fields, several markers of one field)', () => {
    const r = buildSpecSchema({
      spec: { a: 'Foo', b: { c: 'integer | default=x minimum=y' }, d: 'string' },
      types: { Port: 'integer | default=abc', Ok: 'string' },
    });
    expect(issuesOf(r)).toEqual([
      {
        path: 'spec.schema.types.Port',
        message: 'building schema for Port: default value must be a valid integer, got: abc',
      },
      { path: 'spec.schema.spec.a', message: 'field a: unknown type: Foo' },
      {
        path: 'spec.schema.spec.b.c',
        message: 'field b: field c: default value must be a valid integer, got: x',
      },
      {
        path: 'spec.schema.spec.b.c',
        message:
          'field b: field c: failed to parse minimum enum value: strconv.ParseFloat: parsing "y": invalid syntax',
      },
    ]);
  });

  it('a field using a broken type is not reported a second time', () => {
    const r = buildSpecSchema({ spec: { p: 'Port', ps: '[]Port' }, types: { Port: 'integer | minimum=x' } });
    expect(issuesOf(r).map((i) => i.path)).toEqual(['spec.schema.types.Port']);
  });

  it('custom types: parse errors, struct fields, cycles, self reference, unknown dependency', () => {
    const r = buildSpecSchema({
      spec: { a: 'string' },
      types: {
        Bad: 'map[int]string',
        S: { x: { y: '[]' } },
        A: { b: 'B' },
        B: ['x'],
        C: { c: '[]C' },
        D: { m: 'Missing' },
      },
    });
    expect(issuesOf(r)).toEqual([
      { path: 'spec.schema.types.B', message: 'parsing type B: unexpected type: []interface {}' },
      { path: 'spec.schema.types.Bad', message: 'parsing type Bad: map key must be string' },
      {
        path: 'spec.schema.types.S.x.y',
        message: 'parsing type S: field x: field y: empty slice element type',
      },
      { path: 'spec.schema.types.C', message: 'cyclic dependency in type C: graph contains a cycle: C -> C' },
      { path: 'spec.schema.types.D.m', message: 'building schema for D: field m: unknown type: Missing' },
    ]);
  });

  it('cycle through several types is reported once, from its alphabetically first type', () => {
    const r = buildSpecSchema({ spec: {}, types: { Z: { a: 'A' }, A: { m: 'map[string]M' }, M: '[]Z' } });
    expect(issuesOf(r)).toEqual([
      {
        path: 'spec.schema.types.A',
        message: 'cyclic dependency in type A: graph contains a cycle: A -> M -> Z -> A',
      },
    ]);
  });
});

describe('custom types and default propagation (spec 02 §4, §7)', () => {
  it('inlines deep copies, applies use-site markers on top, keeps the struct default {}', () => {
    const r = buildSpecSchema({
      types: {
        Port: 'integer | default=8080 minimum=1',
        Probe: { path: 'string | default=/healthz', port: 'Port' },
      },
      spec: { a: 'Probe', b: 'Probe | description=second', p: 'Port | maximum=9' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const probe = {
      type: 'object',
      default: {},
      properties: {
        path: { type: 'string', default: '/healthz' },
        port: { type: 'integer', default: 8080, minimum: 1 },
      },
    };
    expect(r.value).toEqual({
      type: 'object',
      default: {},
      properties: {
        a: probe,
        b: { ...probe, description: 'second' },
        p: { type: 'integer', default: 8080, minimum: 1, maximum: 9 },
      },
    });
  });

  it('an alias with required=true makes its fields required; duplicates are removed', () => {
    const r = buildSpecSchema({
      types: { Name: 'string | required=true' },
      spec: { n: 'Name | required=true', m: 'Name' },
    });
    expect(r.ok && r.value.required).toEqual(['m', 'n']);
    expect(r.ok && r.value.default).toBeUndefined();
  });

  it('the default climbs through nested objects but stops at a required child', () => {
    const r = buildSpecSchema({
      spec: {
        outer: { retry: { attempts: 'integer | default=3' } },
        db: { name: 'string | required=true', port: 'integer | default=5432' },
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.default).toEqual({});
    expect(r.value.properties?.['outer']?.default).toEqual({});
    expect(r.value.properties?.['outer']?.properties?.['retry']?.default).toEqual({});
    expect(r.value.properties?.['db']?.default).toBeUndefined();
  });

  it('a declared type named like a hint is used as a custom type', () => {
    const r = buildSpecSchema({ types: { int: 'integer | minimum=0' }, spec: { a: 'int' } });
    expect(r.ok && r.value.properties?.['a']).toEqual({ type: 'integer', minimum: 0 });
  });

  it('absent spec and types give an empty object schema', () => {
    expect(buildSpecSchema({})).toEqual({ ok: true, value: { type: 'object' } });
  });
});
