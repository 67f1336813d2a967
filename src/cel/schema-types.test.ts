import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from '../api/openapi.js';
import { celTypeOfSchema, isAssignable, schemaOfCelType } from './schema-types.js';
import { compile, schemas } from './test-fixtures.js';
import { type CelTypeInfo, celTypes, listType, mapType, objectType, optionalType } from './types.js';

const str: OpenApiSchema = { type: 'string' };
const int: OpenApiSchema = { type: 'integer' };
const num: OpenApiSchema = { type: 'number' };
const bool: OpenApiSchema = { type: 'boolean' };
const obj = (properties: Record<string, OpenApiSchema>): OpenApiSchema => ({
  type: 'object',
  properties,
});

describe('celTypeOfSchema', () => {
  it.each<[OpenApiSchema | undefined, string]>([
    [undefined, 'dyn'],
    [str, 'string'],
    [{ type: 'string', format: 'byte' }, 'bytes'],
    [{ type: 'string', format: 'date-time' }, 'timestamp'],
    [{ type: 'string', format: 'duration' }, 'duration'],
    [int, 'int'],
    [num, 'double'],
    [bool, 'bool'],
    [{ type: 'array', items: str }, 'list(string)'],
    [{ type: 'array' }, 'list(dyn)'],
    [{ type: 'object', additionalProperties: int }, 'map(string, int)'],
    [{ type: 'object', additionalProperties: true }, 'map(string, dyn)'],
    [{ type: 'object' }, 'dyn'],
    [{ 'x-kubernetes-int-or-string': true }, 'dyn'],
    [{ type: 'object', properties: { a: str }, 'x-kubernetes-preserve-unknown-fields': true }, 'dyn'],
    [{ anyOf: [int, str] }, 'dyn'],
  ])('%j is %s', (schema, type) => {
    expect(String(celTypeOfSchema(schema))).toBe(type);
  });

  it('gives an object schema its declared name once declared', () => {
    compile('schema.spec.ingress');
    const ingress = schemas.schema.properties?.spec?.properties?.ingress;
    expect(String(celTypeOfSchema(ingress))).toBe('__type_schema.spec.ingress');
  });
});

describe('schemaOfCelType', () => {
  it.each<[CelTypeInfo, OpenApiSchema]>([
    [celTypes.bool, { type: 'boolean' }],
    [celTypes.int, { type: 'integer' }],
    [celTypes.uint, { type: 'integer' }],
    [celTypes.double, { type: 'number' }],
    [celTypes.string, { type: 'string' }],
    [celTypes.bytes, { type: 'string', format: 'byte' }],
    [celTypes.timestamp, { type: 'string', format: 'date-time' }],
    [celTypes.duration, { type: 'string' }],
    [listType(celTypes.int), { type: 'array', items: { type: 'integer' } }],
    [mapType(celTypes.string, celTypes.bool), { type: 'object', additionalProperties: { type: 'boolean' } }],
    [mapType(celTypes.int, celTypes.bool), { 'x-kubernetes-preserve-unknown-fields': true }],
    [celTypes.dyn, { 'x-kubernetes-preserve-unknown-fields': true }],
    [celTypes.null, { 'x-kubernetes-preserve-unknown-fields': true }],
    [optionalType(celTypes.int), { 'x-kubernetes-preserve-unknown-fields': true }],
  ])('%s', (type, schema) => {
    expect(schemaOfCelType(type)).toEqual(schema);
  });

  it('gives an object type taken from a resource schema that schema back', () => {
    const t = compile('deployment.status').outputType;
    expect(schemaOfCelType(t)).toBe(schemas.deployment.properties?.status);
  });
});

describe('isAssignable', () => {
  const ingress = obj({ enabled: bool, host: str });
  const ingressType = objectType('__type_x.ingress', ingress);
  it.each<[string, CelTypeInfo, OpenApiSchema, boolean]>([
    ['int to integer', celTypes.int, int, true],
    ['uint to integer', celTypes.uint, int, true],
    ['int to number', celTypes.int, num, true],
    ['double to integer', celTypes.double, int, false],
    ['string to integer', celTypes.string, int, false],
    ['string to string', celTypes.string, str, true],
    // kro compares primitive kinds: a string is neither bytes nor a timestamp/duration, and back
    ['string to byte string', celTypes.string, { type: 'string', format: 'byte' }, false],
    ['string to date-time', celTypes.string, { type: 'string', format: 'date-time' }, false],
    ['string to duration', celTypes.string, { type: 'string', format: 'duration' }, false],
    ['timestamp to string', celTypes.timestamp, str, false],
    ['bytes to byte string', celTypes.bytes, { type: 'string', format: 'byte' }, true],
    ['bytes to string', celTypes.bytes, str, false],
    ['timestamp to date-time', celTypes.timestamp, { type: 'string', format: 'date-time' }, true],
    ['bool to boolean', celTypes.bool, bool, true],
    ['bool to string', celTypes.bool, str, false],
    ['dyn to anything', celTypes.dyn, int, true],
    ['anything to preserve-unknown', celTypes.int, { 'x-kubernetes-preserve-unknown-fields': true }, true],
    ['anything to no schema', listType(celTypes.int), {}, true],
    ['int to int-or-string', celTypes.int, { 'x-kubernetes-int-or-string': true }, true],
    ['string to int-or-string', celTypes.string, { 'x-kubernetes-int-or-string': true }, true],
    ['bool to int-or-string', celTypes.bool, { 'x-kubernetes-int-or-string': true }, false],
    ['optional(int) to integer', optionalType(celTypes.int), int, true],
    ['null to integer', celTypes.null, int, true],
    ['list(string) to array of strings', listType(celTypes.string), { type: 'array', items: str }, true],
    ['list(int) to array of strings', listType(celTypes.int), { type: 'array', items: str }, false],
    ['list(dyn) to array of strings', listType(celTypes.dyn), { type: 'array', items: str }, true],
    ['string to array', celTypes.string, { type: 'array', items: str }, false],
    [
      'map(string, string) to map of strings',
      mapType(celTypes.string, celTypes.string),
      { type: 'object', additionalProperties: str },
      true,
    ],
    [
      'map(string, int) to map of strings',
      mapType(celTypes.string, celTypes.int),
      { type: 'object', additionalProperties: str },
      false,
    ],
    [
      'map(int, string) to map of strings',
      mapType(celTypes.int, celTypes.string),
      { type: 'object', additionalProperties: str },
      false,
    ],
    [
      'map(string, string) to object of strings',
      mapType(celTypes.string, celTypes.string),
      obj({ a: str, b: str }),
      true,
    ],
    [
      'map(string, string) to mixed object',
      mapType(celTypes.string, celTypes.string),
      obj({ a: str, n: int }),
      false,
    ],
    ['map(string, dyn) to object', mapType(celTypes.string, celTypes.dyn), obj({ a: str, n: int }), true],
    ['object to same object', ingressType, ingress, true],
    ['object to superset object', ingressType, obj({ enabled: bool, host: str, path: str }), true],
    ['object to subset object', ingressType, obj({ enabled: bool }), false],
    ['object to object with other field type', ingressType, obj({ enabled: str, host: str }), false],
    [
      'object to map of strings',
      objectType('o', obj({ a: str, b: str })),
      { type: 'object', additionalProperties: str },
      true,
    ],
    ['object to map of ints', ingressType, { type: 'object', additionalProperties: int }, false],
    ['object to plain object', ingressType, { type: 'object' }, true],
  ])('%s: %s', (_name, from, to, expected) => {
    expect(isAssignable(from, to).ok).toBe(expected);
  });

  it('names the expected type and the incompatible field', () => {
    expect(isAssignable(celTypes.string, int)).toEqual({ ok: false, expected: 'int' });
    expect(isAssignable(celTypes.bool, { 'x-kubernetes-int-or-string': true })).toEqual({
      ok: false,
      expected: 'int-or-string',
    });
    expect(isAssignable(listType(celTypes.int), { type: 'array', items: str })).toEqual({
      ok: false,
      expected: 'list(string)',
      detail: 'field "[]" has type "int" but expected "string"',
    });
    const r = isAssignable(objectType('o', obj({ a: obj({ b: int }) })), obj({ a: obj({ b: str }) }));
    expect(r).toEqual({
      ok: false,
      expected: 'object',
      detail: 'field "a.b" has type "int" but expected "string"',
    });
    const extra = isAssignable(objectType('o', obj({ a: str, z: str })), obj({ a: str }));
    expect(extra).toMatchObject({ ok: false, detail: 'field "z" is not in the target schema' });
  });

  it('terminates on recursive schemas', () => {
    const node: OpenApiSchema = { type: 'object', properties: { name: str } };
    (node.properties as Record<string, OpenApiSchema>).child = node;
    expect(isAssignable(objectType('n', node), node).ok).toBe(true);
  });

  it('accepts what compiled expressions return for the fields they read', () => {
    const c = compile('deployment.status.conditions');
    const target = schemas.deployment.properties?.status?.properties?.conditions ?? {};
    expect(isAssignable(c.outputType, target).ok).toBe(true);
    expect(isAssignable(compile('schema.spec.replicas').outputType, str).ok).toBe(false);
  });
});
