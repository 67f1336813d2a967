// The typed JSON encoding of CEL values used by the reference battery (test/fixtures/cel): one key
// per value naming its CEL type, so int/uint/double, bytes, timestamps, durations, optionals and
// maps with non-string keys survive JSON. hack/ref/cel/main.go writes the same encoding from Go.
import { Optional } from '@marcbachmann/cel-js';
import { formatTimestamp } from './format.js';
import { buildMap } from './maps-util.js';
import {
  celTypeName,
  durationNanos,
  isBytes,
  isCelType,
  isDuration,
  isList,
  isMap,
  isUint,
  mapEntries,
  newDuration,
  newUint,
} from './values.js';

export type TypedValue = { readonly [kind: string]: unknown };

function encodeDouble(x: number): TypedValue {
  if (Number.isNaN(x)) return { double: 'NaN' };
  if (x === Infinity) return { double: '+Inf' };
  if (x === -Infinity) return { double: '-Inf' };
  if (Object.is(x, -0)) return { double: '-0' };
  return { double: x };
}

export function encodeTyped(v: unknown): TypedValue {
  switch (typeof v) {
    case 'bigint':
      return { int: v.toString() };
    case 'number':
      return encodeDouble(v);
    case 'string':
      return { string: v };
    case 'boolean':
      return { bool: v };
    default:
  }
  if (v === null) return { null: null };
  if (isUint(v)) return { uint: v.value.toString() };
  if (isBytes(v)) return { bytes: Buffer.from(v).toString('base64') };
  if (v instanceof Date) return { timestamp: formatTimestamp(v) };
  if (isDuration(v)) return { duration: durationNanos(v).toString() };
  if (v instanceof Optional) return { optional: v.hasValue() ? encodeTyped(v.value()) : null };
  if (isCelType(v)) return { type: String((v as { name?: unknown }).name ?? v) };
  if (isList(v)) return { list: v.map(encodeTyped) };
  if (isMap(v)) {
    const pairs = mapEntries(v).map(([k, val]) => [encodeTyped(k), encodeTyped(val)] as const);
    pairs.sort((a, b) => {
      const ka = JSON.stringify(a[0]);
      const kb = JSON.stringify(b[0]);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    return { map: pairs };
  }
  return { opaque: { type: celTypeName(v), string: String(v) } };
}

export function decodeTyped(t: TypedValue): unknown {
  const [kind, body] = Object.entries(t)[0] ?? ['null', null];
  switch (kind) {
    case 'int':
      return BigInt(body as string);
    case 'uint':
      return newUint(BigInt(body as string));
    case 'double':
      return typeof body === 'number' ? body : Number((body as string).replace('Inf', 'Infinity'));
    case 'string':
    case 'bool':
      return body;
    case 'bytes':
      return new Uint8Array(Buffer.from(body as string, 'base64'));
    case 'null':
      return null;
    case 'timestamp':
      return new Date(body as string);
    case 'duration':
      return newDuration(BigInt(body as string));
    case 'list':
      return (body as TypedValue[]).map(decodeTyped);
    case 'map':
      return buildMap((body as [TypedValue, TypedValue][]).map(([k, v]) => [decodeTyped(k), decodeTyped(v)]));
    case 'optional':
      return body === null ? Optional.none() : Optional.of(decodeTyped(body as TypedValue));
    default:
      throw new Error(`cannot decode typed value kind ${kind}`);
  }
}
