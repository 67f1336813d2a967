// kro's json library. json.unmarshal parses like Go's encoding/json into interface{} (every number
// becomes a double); json.marshal converts the CEL value the way kro's GoNativeType does and
// writes Go's compact encoding: sorted keys, HTML-safe escapes, bytes as base64, timestamps as
// RFC 3339 in UTC with whole seconds, durations as Go duration strings.
import { trimRightChar } from './scan.js';
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { goJsonNumber, goJsonParse, goJsonString, GoJsonSyntaxError } from './go-json.js';
import { chargeBudget, checkStringSize } from './limits.js';
import { registerNamespaced } from './namespace.js';
import { isOmit } from './omit.js';
import {
  celError,
  celTypeName,
  compareStrings,
  durationNanos,
  isBytes,
  isDuration,
  isList,
  isMap,
  isUint,
  mapEntries,
} from './values.js';

function fraction(rem: bigint, width: number): string {
  const padded = rem.toString().padStart(width, '0');
  const s = trimRightChar(padded, '0');
  return s ? `.${s}` : '';
}

/** Go time.Duration.String() of a duration in nanoseconds. */
export function goDurationString(d: bigint): string {
  if (d === 0n) return '0s';
  const sign = d < 0n ? '-' : '';
  const u = d < 0n ? -d : d;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${u / 1000n}${fraction(u % 1000n, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${u / 1_000_000n}${fraction(u % 1_000_000n, 6)}ms`;
  const secs = u / 1_000_000_000n;
  let out = `${secs % 60n}${fraction(u % 1_000_000_000n, 9)}s`;
  const mins = secs / 60n;
  if (mins > 0n) {
    out = `${mins % 60n}m${out}`;
    const hours = mins / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return sign + out;
}

/** metav1.Time.ToUnstructured: RFC 3339 UTC, fraction truncated; the zero time is null. */
export function goTimestampString(t: Date): string | null {
  if (t.getTime() === -62135596800000) return null;
  return `${t.toISOString().slice(0, 19)}Z`;
}

function marshalValue(v: unknown): string {
  chargeBudget(1);
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'number':
      try {
        return goJsonNumber(v);
      } catch (e) {
        throw celError(`json.marshal failed to encode value: ${(e as Error).message}`);
      }
    case 'string':
      return goJsonString(v);
    default:
  }
  if (isUint(v)) return v.value.toString();
  if (isBytes(v)) return `"${Buffer.from(v).toString('base64')}"`;
  if (v instanceof Date) {
    const s = goTimestampString(v);
    return s === null ? 'null' : goJsonString(s);
  }
  if (isDuration(v)) return goJsonString(goDurationString(durationNanos(v)));
  if (v instanceof Optional) return v.hasValue() ? marshalValue(v.value()) : 'null';
  if (isList(v)) return `[${v.map(marshalValue).join(',')}]`;
  if (isMap(v)) {
    const entries = mapEntries(v).map(([k, val]) => {
      if (typeof k !== 'string') {
        throw celError(
          `json.marshal failed to convert value: map key must be string, got ${goNativeTypeName(k)}`,
        );
      }
      return [k, val] as const;
    });
    entries.sort((a, b) => compareStrings(a[0], b[0]));
    return `{${entries.map(([k, val]) => `${goJsonString(k)}:${marshalValue(val)}`).join(',')}}`;
  }
  if (isOmit(v)) return '{}';
  throw celError(`json.marshal failed to convert value: unsupported type: ${celTypeName(v)}`);
}

/** The Go type name kro's error message shows (`%T` of the native key). */
function goNativeTypeName(k: unknown): string {
  if (typeof k === 'bigint') return 'int64';
  if (isUint(k)) return 'uint64';
  if (typeof k === 'boolean') return 'bool';
  if (typeof k === 'number') return 'float64';
  return celTypeName(k);
}

export function jsonMarshal(v: unknown): string {
  return checkStringSize(marshalValue(v));
}

export function jsonUnmarshal(s: string): unknown {
  chargeBudget(s.length);
  try {
    return goJsonParse(s);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) throw celError(`json.unmarshal failed to parse JSON: ${e.message}`);
    throw e;
  }
}

export function registerJson(env: Environment): void {
  registerNamespaced(env, 'json.unmarshal(string): dyn', jsonUnmarshal);
  registerNamespaced(env, 'json.marshal(dyn): string', jsonMarshal);
}
