// JSON ⇄ CEL values (spec 03 §5). Into CEL, the declared schema decides the CEL type (integers
// exact as BigInt, `number` always double, `format: byte` → bytes, date-time → timestamp,
// duration → duration); out of CEL, values that have no faithful JSON form are errors with the
// spec's messages.
//
// cel-js value representation: int → bigint, uint → UnsignedInt, double → number, bytes →
// Uint8Array, list → Array, map → plain object or Map, timestamp → Date, duration → Duration,
// optional → Optional, type → Type. Maps built here have a null prototype so that a key named
// `__proto__` is data, not a prototype change.
import { celTypeName as libraryTypeName } from './lib/values.js';
import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import type { OpenApiSchema } from '../api/openapi.js';
import { ExpressionError } from '../lib/errors.js';
import type { JsonValue } from '../lib/json.js';
import { formatGoDuration, parseGoDuration as parseGo } from '../lib/go-duration.js';
import { isPreserveUnknown, schemaKind } from './schema-types.js';

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;

/** JSON (from parseJsonLossless or JSON.parse) → CEL value, typed by `schema` (spec 03 §5.1). */
export function toCel(json: unknown, schema: OpenApiSchema | undefined): unknown {
  if (json === null || json === undefined) return null;
  if (!schema || isPreserveUnknown(schema) || schema['x-kubernetes-int-or-string']) {
    return dynToCel(json);
  }
  switch (schemaKind(schema)) {
    case 'integer':
      return integerToCel(json);
    case 'number':
      if (typeof json === 'number') return json;
      if (typeof json === 'bigint') return Number(json);
      return dynToCel(json);
    case 'string':
      return typeof json === 'string' ? stringToCel(json, schema.format) : dynToCel(json);
    case 'array':
      return Array.isArray(json) ? json.map((v) => toCel(v, schema.items)) : dynToCel(json);
    case 'object':
      return isJsonObject(json) ? objectToCel(json, schema) : dynToCel(json);
    default:
      return dynToCel(json);
  }
}

function integerToCel(json: unknown): unknown {
  if (typeof json === 'bigint') return json <= MAX_INT64 && json >= MIN_INT64 ? json : Number(json);
  if (typeof json === 'number' && Number.isInteger(json) && Number.isSafeInteger(json)) {
    return BigInt(json);
  }
  return dynToCel(json);
}

function stringToCel(s: string, format: string | undefined): unknown {
  switch (format) {
    case 'byte':
      return new Uint8Array(Buffer.from(s, 'base64'));
    case 'date-time': {
      const d = new Date(s);
      return Number.isNaN(d.getTime()) ? s : d;
    }
    case 'duration': {
      const nanos = parseGoDuration(s);
      return nanos === undefined ? s : durationOf(nanos);
    }
    default:
      return s;
  }
}

function objectToCel(json: Record<string, unknown>, schema: OpenApiSchema): Record<string, unknown> {
  const props = schema.properties;
  const ap = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(json)) {
    if (v === undefined) continue;
    const fieldSchema = props && Object.hasOwn(props, k) ? props[k] : ap;
    out[k] = toCel(v, fieldSchema);
  }
  return out;
}

/** Untyped JSON → CEL: integers that fit int64 are int, other numbers double (spec 03 §5.1). */
function dynToCel(json: unknown): unknown {
  switch (typeof json) {
    case 'number':
      return Number.isSafeInteger(json) ? BigInt(json) : json;
    case 'bigint':
      return json <= MAX_INT64 && json >= MIN_INT64 ? json : Number(json);
    case 'string':
    case 'boolean':
      return json;
    case 'object': {
      if (json === null) return null;
      if (Array.isArray(json)) return json.map(dynToCel);
      if (isJsonObject(json)) {
        const out = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of Object.entries(json)) if (v !== undefined) out[k] = dynToCel(v);
        return out;
      }
      return json;
    }
    default:
      return null;
  }
}

function isJsonObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Go's time.ParseDuration, to nanoseconds; undefined when `s` is not a Go duration. */
export function parseGoDuration(s: string): bigint | undefined {
  const r = parseGo(s);
  return r.ok ? r.nanos : undefined;
}

function durationOf(nanos: bigint): unknown {
  const seconds = nanos / 1_000_000_000n;
  return new Duration(seconds, Number(nanos - seconds * 1_000_000_000n));
}

/**
 * CEL value → JSON (spec 03 §5.2). Integers outside ±2^53 come back as BigInt so that nothing is
 * rounded; serialise with stringifyJsonLossless. Throws ExpressionError for values with no JSON
 * form (the caller adds node, path and expression to the message).
 */
export function fromCel(value: unknown): JsonValue {
  switch (typeof value) {
    case 'bigint':
      // cel-js does not range-check every conversion (`int(1e30)`); never emit a non-int64.
      if (value > MAX_INT64 || value < MIN_INT64) fail(`int value ${value} overflows int64`);
      return (Number.isSafeInteger(Number(value)) ? Number(value) : value) as JsonValue;
    case 'number':
      if (!Number.isFinite(value)) fail(`double value ${doubleText(value)} cannot be represented in JSON`);
      return value === 0 ? 0 : value;
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return null;
    case 'object':
      return value === null ? null : objectFromCel(value);
    default:
      return fail(`unsupported type: ${typeof value}`);
  }
}

function objectFromCel(value: object): JsonValue {
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Uint8Array) {
    fail(
      'bytes value cannot be used directly in a resource template or status field; encode it explicitly, e.g. base64.encode(...)',
    );
  }
  if (value instanceof UnsignedInt) {
    const v = value.valueOf();
    if (v > MAX_INT64) fail(`uint value ${v} overflows int64; convert it explicitly, e.g. string(...)`);
    return fromCel(v);
  }
  if (value instanceof Date) return formatTimestamp(value);
  if (value instanceof Duration) return formatGoDuration(durationNanos(value));
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : null;
  if (value instanceof Set) return [...value].map(fromCel);
  if (value instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of value) {
      if (typeof k !== 'string') fail(`map key must be string, got ${celTypeName(k)}`);
      setEntry(out, k, fromCel(v));
    }
    return out;
  }
  if (isJsonObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) setEntry(out, k, fromCel(v));
    return out;
  }
  return fail(`unsupported type: ${celTypeName(value)}`);
}

// Defines instead of assigning, so a key named `__proto__` becomes data.
function setEntry(out: Record<string, JsonValue>, k: string, v: JsonValue): void {
  Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function durationNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

/** RFC 3339 in UTC with whole seconds, as kro writes timestamps. */
export function formatTimestamp(d: Date): string {
  if (Number.isNaN(d.getTime())) fail('invalid timestamp');
  return `${d.toISOString().slice(0, 19)}Z`;
}

function doubleText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}

const CEL_GO_NAMES: Readonly<Record<string, string>> = {
  null: 'null_type',
  'google.protobuf.Timestamp': 'timestamp',
  'google.protobuf.Duration': 'duration',
};

/** The CEL type name of a runtime value (`int`, `map`, `kubernetes.URL`, ...), cel-go's spelling. */
export function celTypeName(v: unknown): string {
  if (v === undefined) return 'null_type';
  const name = libraryTypeName(v);
  return CEL_GO_NAMES[name] ?? name;
}

function fail(message: string): never {
  throw new ExpressionError('', message);
}
