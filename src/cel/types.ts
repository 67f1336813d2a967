// CEL types as the rest of kro-ts sees them: plain immutable values spelled the cel-go way
// (`int`, `list(string)`, `map(string, int)`, `optional_type(bool)`), never cel-js objects.
// Object types carry the OpenAPI schema they were declared from, so status schema inference and
// structural assignability can look inside them.
import type { OpenApiSchema } from '../api/openapi.js';

/** A CEL type; `toString()` gives the cel-go spelling. */
export interface CelType {
  toString(): string;
}

export type PrimitiveName =
  'int' | 'uint' | 'double' | 'string' | 'bool' | 'bytes' | 'null_type' | 'timestamp' | 'duration' | 'type';

export type CelTypeInfo =
  | { readonly kind: 'primitive'; readonly name: PrimitiveName; toString(): string }
  | { readonly kind: 'dyn'; toString(): string }
  | { readonly kind: 'list'; readonly elem: CelTypeInfo; toString(): string }
  | {
      readonly kind: 'map';
      readonly key: CelTypeInfo;
      readonly value: CelTypeInfo;
      toString(): string;
    }
  | { readonly kind: 'optional'; readonly value: CelTypeInfo; toString(): string }
  /** An object type declared from an OpenAPI schema with `properties`. */
  | {
      readonly kind: 'object';
      readonly name: string;
      readonly schema: OpenApiSchema;
      toString(): string;
    }
  /** A library type with no JSON form (URL, quantity, IP, CIDR, semver, ...). */
  | { readonly kind: 'opaque'; readonly name: string; toString(): string };

function make<T extends object>(fields: T, text: string): T & { toString(): string } {
  return Object.freeze({ ...fields, toString: () => text });
}

function primitive(name: PrimitiveName): CelTypeInfo {
  return make({ kind: 'primitive' as const, name }, name);
}

export const celTypes = Object.freeze({
  int: primitive('int'),
  uint: primitive('uint'),
  double: primitive('double'),
  string: primitive('string'),
  bool: primitive('bool'),
  bytes: primitive('bytes'),
  null: primitive('null_type'),
  timestamp: primitive('timestamp'),
  duration: primitive('duration'),
  type: primitive('type'),
  dyn: make({ kind: 'dyn' as const }, 'dyn') as CelTypeInfo,
});

export function listType(elem: CelTypeInfo): CelTypeInfo {
  return make({ kind: 'list' as const, elem }, `list(${String(elem)})`);
}

export function mapType(key: CelTypeInfo, value: CelTypeInfo): CelTypeInfo {
  return make({ kind: 'map' as const, key, value }, `map(${String(key)}, ${String(value)})`);
}

export function optionalType(value: CelTypeInfo): CelTypeInfo {
  return make({ kind: 'optional' as const, value }, `optional_type(${String(value)})`);
}

export function objectType(name: string, schema: OpenApiSchema): CelTypeInfo {
  return make({ kind: 'object' as const, name, schema }, name);
}

export function opaqueType(name: string): CelTypeInfo {
  return make({ kind: 'opaque' as const, name }, name);
}

/** Narrows a public CelType to its structure; types not made by this module count as dyn. */
export function typeInfo(t: CelType): CelTypeInfo {
  const k = (t as { kind?: unknown }).kind;
  return typeof k === 'string' ? (t as CelTypeInfo) : celTypes.dyn;
}

const CEL_JS_PRIMITIVES: Readonly<Record<string, CelTypeInfo>> = {
  int: celTypes.int,
  uint: celTypes.uint,
  double: celTypes.double,
  string: celTypes.string,
  bool: celTypes.bool,
  bytes: celTypes.bytes,
  null: celTypes.null,
  type: celTypes.type,
  dyn: celTypes.dyn,
  'google.protobuf.Timestamp': celTypes.timestamp,
  'google.protobuf.Duration': celTypes.duration,
  list: listType(celTypes.dyn),
  map: mapType(celTypes.dyn, celTypes.dyn),
  optional: optionalType(celTypes.dyn),
};

/**
 * Reads a cel-js type name (`list<map<string, int>>`, `optional<T>`, a registered object name)
 * into a CelTypeInfo. `objects` maps the object type names of one environment to their schemas;
 * other unknown names are library (opaque) types. Type parameters left unbound become dyn, as
 * cel-go prints them after substitution.
 */
export function fromCelJsTypeName(name: string, objects: ReadonlyMap<string, OpenApiSchema>): CelTypeInfo {
  const s = name.trim();
  const known = CEL_JS_PRIMITIVES[s];
  if (known) return known;
  if (/^[A-Z]$/.test(s)) return celTypes.dyn;
  const m = /^(dyn|list|map|optional)<(.+)>$/.exec(s);
  if (m) {
    const inner = m[2] ?? '';
    switch (m[1]) {
      case 'list':
        return listType(fromCelJsTypeName(inner, objects));
      case 'optional':
        return optionalType(fromCelJsTypeName(inner, objects));
      case 'map': {
        const [k, v] = splitTopLevel(inner);
        return mapType(fromCelJsTypeName(k, objects), fromCelJsTypeName(v, objects));
      }
      default:
        return celTypes.dyn;
    }
  }
  const schema = objects.get(s);
  return schema ? objectType(s, schema) : opaqueType(s);
}

function splitTopLevel(s: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) return [s.slice(0, i), s.slice(i + 1)];
  }
  return [s, 'dyn'];
}
