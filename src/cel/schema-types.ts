// OpenAPI schema ⇄ CEL type (spec 03 §4, spec 02 §8) and structural assignability of an
// expression's output type to the schema of the field it is written to (spec 03 §6.3).
import type { OpenApiSchema } from '../api/openapi.js';
import {
  type CelType,
  type CelTypeInfo,
  celTypes,
  listType,
  mapType,
  objectType,
  typeInfo,
} from './types.js';

/** Display names given to object schemas when an environment declares them (`__type_x.spec`). */
const objectNames = new WeakMap<OpenApiSchema, string>();

export function rememberObjectName(schema: OpenApiSchema, name: string): void {
  if (!objectNames.has(schema)) objectNames.set(schema, name);
}

export function isPreserveUnknown(s: OpenApiSchema): boolean {
  return s['x-kubernetes-preserve-unknown-fields'] === true;
}

/** The OpenAPI type of a schema, inferring `object`/`array` when only their keywords are set. */
export function schemaKind(s: OpenApiSchema): OpenApiSchema['type'] {
  if (s.type) return s.type;
  if (s.properties || s.additionalProperties !== undefined) return 'object';
  if (s.items) return 'array';
  return undefined;
}

export function hasProperties(s: OpenApiSchema): boolean {
  return s.properties !== undefined && Object.keys(s.properties).length > 0;
}

/** Spec 03 §4: the CEL type a value of this schema has during type checking. */
export function celTypeOfSchema(schema: OpenApiSchema | undefined): CelTypeInfo {
  if (!schema || isPreserveUnknown(schema) || schema['x-kubernetes-int-or-string']) {
    return celTypes.dyn;
  }
  switch (schemaKind(schema)) {
    case 'object': {
      if (hasProperties(schema)) return objectType(objectNames.get(schema) ?? 'object', schema);
      const ap = schema.additionalProperties;
      if (ap === true) return mapType(celTypes.string, celTypes.dyn);
      if (ap && typeof ap === 'object') return mapType(celTypes.string, celTypeOfSchema(ap));
      return celTypes.dyn;
    }
    case 'array':
      return listType(celTypeOfSchema(schema.items));
    case 'string':
      return stringFormatType(schema.format);
    case 'integer':
      return celTypes.int;
    case 'number':
      return celTypes.double;
    case 'boolean':
      return celTypes.bool;
    default:
      return celTypes.dyn;
  }
}

function stringFormatType(format: string | undefined): CelTypeInfo {
  switch (format) {
    case 'byte':
      return celTypes.bytes;
    case 'date-time':
      return celTypes.timestamp;
    case 'duration':
      return celTypes.duration;
    default:
      return celTypes.string;
  }
}

const PRESERVE: OpenApiSchema = { 'x-kubernetes-preserve-unknown-fields': true };

/** Spec 02 §8: the schema a status field gets from the CEL type of its expression. */
export function schemaOfCelType(t: CelType): OpenApiSchema {
  const info = typeInfo(t);
  switch (info.kind) {
    case 'primitive':
      switch (info.name) {
        case 'bool':
          return { type: 'boolean' };
        case 'int':
        case 'uint':
          return { type: 'integer' };
        case 'double':
          return { type: 'number' };
        case 'string':
        case 'duration':
          return { type: 'string' };
        case 'bytes':
          return { type: 'string', format: 'byte' };
        case 'timestamp':
          return { type: 'string', format: 'date-time' };
        default:
          return { ...PRESERVE };
      }
    case 'list':
      return { type: 'array', items: schemaOfCelType(info.elem) };
    case 'map':
      if (info.key.kind !== 'primitive' || info.key.name !== 'string') return { ...PRESERVE };
      return { type: 'object', additionalProperties: schemaOfCelType(info.value) };
    case 'object':
      return info.schema;
    default:
      return { ...PRESERVE };
  }
}

/**
 * Spec 02 §8: the schema an instance-CRD status field gets from the CEL type of its expression.
 * Unlike {@link schemaOfCelType}, an object type taken from a resource or spec schema is not copied
 * but rebuilt as kro v0.9.4 does from the CEL declaration (pkg/graph/schema/conversion_cel_type.go):
 * only `type`, `properties`, `items` and `additionalProperties` survive, so no `default`,
 * `required`, `enum`, `format`, `oneOf`/`anyOf` or `x-kubernetes-*` of the source reaches the
 * instance CRD, which kube-apiserver would refuse ("must be empty to be structural",
 * "...default...: Required value"). Inside objects, int-or-string, preserve-unknown, timestamp and
 * duration fields become `x-kubernetes-preserve-unknown-fields: true` (kro's rule); a property
 * with no type (kro declares none for it) is left out.
 */
export function statusSchemaOfCelType(t: CelType): OpenApiSchema {
  const info = typeInfo(t);
  switch (info.kind) {
    case 'list':
      return { type: 'array', items: statusSchemaOfCelType(info.elem) };
    case 'map':
      if (info.key.kind !== 'primitive' || info.key.name !== 'string') return { ...PRESERVE };
      return { type: 'object', additionalProperties: statusSchemaOfCelType(info.value) };
    case 'object':
      return structuralCopy(info.schema, new Set()) ?? { ...PRESERVE };
    default:
      return schemaOfCelType(t);
  }
}

// Fields CEL always sees on an embedded resource (apiserver's WithTypeAndObjectMeta).
const EMBEDDED_FIELDS: Record<string, OpenApiSchema> = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } },
};

function structuralCopy(s: OpenApiSchema, seen: Set<OpenApiSchema>): OpenApiSchema | undefined {
  if (s['x-kubernetes-int-or-string'] || isPreserveUnknown(s)) return { ...PRESERVE };
  // A recursive schema (JSONSchemaProps) cannot be spelled out; kro refuses it, kro-ts keeps it open.
  if (seen.has(s)) return { ...PRESERVE };
  switch (schemaKind(s)) {
    case 'object': {
      seen.add(s);
      try {
        if (hasProperties(s) || s['x-kubernetes-embedded-resource']) {
          const properties: Record<string, OpenApiSchema> = {};
          for (const [name, prop] of Object.entries(s.properties ?? {})) {
            const copied = structuralCopy(prop, seen);
            if (copied) properties[name] = copied;
          }
          if (s['x-kubernetes-embedded-resource']) {
            for (const [name, prop] of Object.entries(EMBEDDED_FIELDS)) properties[name] ??= prop;
          }
          return { type: 'object', properties };
        }
        const ap = s.additionalProperties;
        if (ap && typeof ap === 'object') {
          return { type: 'object', additionalProperties: structuralCopy(ap, seen) ?? { ...PRESERVE } };
        }
        if (ap === true) return { type: 'object', additionalProperties: { ...PRESERVE } };
        // An object with no declared fields (RawExtension-like): keep its content instead of pruning it.
        return { type: 'object', ...PRESERVE };
      } finally {
        seen.delete(s);
      }
    }
    case 'array': {
      seen.add(s);
      try {
        return { type: 'array', items: (s.items && structuralCopy(s.items, seen)) ?? { ...PRESERVE } };
      } finally {
        seen.delete(s);
      }
    }
    case 'string':
      if (s.format === 'byte') return { type: 'string', format: 'byte' };
      if (s.format === 'date' || s.format === 'date-time' || s.format === 'duration') return { ...PRESERVE };
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    default:
      return undefined;
  }
}

export type Assignability = { ok: true } | { ok: false; expected: string; detail?: string };

/** Spelling of the type a schema expects, for messages (`int`, `list(string)`, `int-or-string`). */
export function expectedTypeName(to: OpenApiSchema): string {
  if (to['x-kubernetes-int-or-string'] && !isPreserveUnknown(to)) return 'int-or-string';
  return String(celTypeOfSchema(to));
}

/**
 * Spec 03 §6.3: can a value of CEL type `from` be written where `to` is expected? Primitives of
 * the same kind; lists and maps element-wise; map ⇄ object with string keys; an object may be a
 * subset of the target (missing fields fine, extra fields not); dyn matches anything.
 */
export function isAssignable(from: CelType, to: OpenApiSchema): Assignability {
  const detail = mismatch(typeInfo(from), to, '', new Set());
  if (detail === undefined) return { ok: true };
  const expected = expectedTypeName(to);
  return detail === '' ? { ok: false, expected } : { ok: false, expected, detail };
}

// Returns undefined when assignable, '' for a top-level mismatch, or a detail naming the field.
function mismatch(
  from: CelTypeInfo,
  to: OpenApiSchema | undefined,
  path: string,
  seen: Set<string>,
): string | undefined {
  if (!to || isPreserveUnknown(to) || from.kind === 'dyn') return undefined;
  if (from.kind === 'optional') return mismatch(from.value, to, path, seen);
  if (from.kind === 'primitive' && from.name === 'null_type') return undefined;
  if (to['x-kubernetes-int-or-string']) {
    return isPrimitive(from, 'int', 'uint', 'string') ? undefined : fieldDetail(path, from, to);
  }
  const expected = celTypeOfSchema(to);
  switch (expected.kind) {
    case 'dyn':
      return undefined;
    case 'primitive':
      return primitiveAccepts(expected.name, from) ? undefined : fieldDetail(path, from, to);
    case 'list':
      if (from.kind !== 'list') return fieldDetail(path, from, to);
      return mismatch(from.elem, to.items, `${path}[]`, seen);
    case 'map':
      return intoMap(from, to, path, seen);
    case 'object':
      return intoObject(from, to, path, seen);
    default:
      return fieldDetail(path, from, to);
  }
}

function isPrimitive(t: CelTypeInfo, ...names: string[]): boolean {
  return t.kind === 'primitive' && names.includes(t.name);
}

function primitiveAccepts(expected: string, from: CelTypeInfo): boolean {
  switch (expected) {
    case 'int':
      return isPrimitive(from, 'int', 'uint');
    case 'double':
      // An integer is a valid JSON number; cel-go's int → double is the only widening kept.
      return isPrimitive(from, 'double', 'int', 'uint');
    default:
      // Every other primitive (string, bool, bytes, timestamp, duration) only takes its own kind,
      // as in kro (cel.AreTypesStructurallyCompatible compares kinds): a string is not accepted
      // where the schema says `format: byte`, `date-time` or `duration`, nor a timestamp where it
      // says string.
      return isPrimitive(from, expected);
  }
}

function intoMap(from: CelTypeInfo, to: OpenApiSchema, path: string, seen: Set<string>): string | undefined {
  const valueSchema = typeof to.additionalProperties === 'object' ? to.additionalProperties : undefined;
  if (from.kind === 'map') {
    if (!isStringKey(from.key)) return fieldDetail(path, from, to);
    return mismatch(from.value, valueSchema, `${path}[*]`, seen);
  }
  if (from.kind === 'object') {
    for (const [name, fieldSchema] of Object.entries(from.schema.properties ?? {})) {
      const d = mismatch(celTypeOfSchema(fieldSchema), valueSchema, join(path, name), seen);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return fieldDetail(path, from, to);
}

function intoObject(
  from: CelTypeInfo,
  to: OpenApiSchema,
  path: string,
  seen: Set<string>,
): string | undefined {
  const targetProps = to.properties ?? {};
  if (from.kind === 'map') {
    if (!isStringKey(from.key)) return fieldDetail(path, from, to);
    if (from.value.kind === 'dyn') return undefined;
    for (const [name, fieldSchema] of Object.entries(targetProps)) {
      const d = mismatch(from.value, fieldSchema, join(path, name), seen);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (from.kind !== 'object') return fieldDetail(path, from, to);
  // Recursive schemas (e.g. JSONSchemaProps) would otherwise recurse forever.
  const key = `${schemaId(from.schema)}>${schemaId(to)}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  for (const [name, fieldSchema] of Object.entries(from.schema.properties ?? {})) {
    const target = Object.hasOwn(targetProps, name) ? targetProps[name] : undefined;
    if (target === undefined) return `field "${join(path, name)}" is not in the target schema`;
    const d = mismatch(celTypeOfSchema(fieldSchema), target, join(path, name), seen);
    if (d !== undefined) return d;
  }
  return undefined;
}

function isStringKey(t: CelTypeInfo): boolean {
  return t.kind === 'dyn' || isPrimitive(t, 'string');
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function fieldDetail(path: string, from: CelTypeInfo, to: OpenApiSchema): string {
  if (path === '') return '';
  return `field "${path}" has type "${String(from)}" but expected "${expectedTypeName(to)}"`;
}

const ids = new WeakMap<object, number>();
let nextId = 1;

/** A stable identity number for a schema object (cache keys, recursion guards). */
export function schemaId(s: object): number {
  let id = ids.get(s);
  if (id === undefined) {
    id = nextId++;
    ids.set(s, id);
  }
  return id;
}
