// Runtime value helpers shared by the function libraries: the classes cel-js uses for CEL values
// it does not export (uint, duration, type), CEL type names of runtime values, CEL equality and
// ordering as cel-go defines them, and the error constructor every library throws with.
//
// cel-js represents values as: int → bigint, uint → UnsignedInt, double → number, string, bool,
// bytes → Uint8Array, null, list → Array, map → plain object (string keys) or Map, timestamp →
// Date, duration → Duration, optional → Optional, type → Type.
import { Environment, EvaluationError, Optional } from '@marcbachmann/cel-js';

export interface CelUint {
  readonly value: bigint;
  valueOf(): bigint;
}
export interface CelDuration {
  readonly seconds: bigint;
  readonly nanos: number;
}
export type CelMap = Record<string, unknown> | Map<unknown, unknown>;

// cel-js keeps these classes internal; one evaluation of a literal hands us each constructor.
const probe = new Environment();
const uintCtor = (probe.evaluate('1u') as object).constructor as new (v: bigint | number) => CelUint;
const durationCtor = (probe.evaluate('duration("1s")') as object).constructor as new (
  seconds: bigint,
  nanos?: number,
) => CelDuration;
const typeCtor = (probe.evaluate('type(1)') as object).constructor;

export const MAX_INT64 = 9223372036854775807n;
export const MIN_INT64 = -9223372036854775808n;
export const MAX_UINT64 = 18446744073709551615n;

export function newUint(v: bigint): CelUint {
  if (v < 0n || v > MAX_UINT64) throw celError('unsigned integer overflow', 'numeric_overflow');
  return new uintCtor(v);
}
export function newDuration(totalNanos: bigint): CelDuration {
  const seconds = totalNanos / 1_000_000_000n;
  return new durationCtor(seconds, Number(totalNanos - seconds * 1_000_000_000n));
}
export function durationNanos(d: CelDuration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

export function isUint(v: unknown): v is CelUint {
  return v instanceof uintCtor;
}
export function isDuration(v: unknown): v is CelDuration {
  return v instanceof durationCtor;
}
export function isCelType(v: unknown): boolean {
  return v instanceof typeCtor;
}
export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}
export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}
export function isMap(v: unknown): v is CelMap {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof Map) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Entries of a CEL map in insertion order, whichever representation cel-js chose. */
export function mapEntries(m: CelMap): [unknown, unknown][] {
  return m instanceof Map ? [...m.entries()] : Object.entries(m);
}
export function mapSize(m: CelMap): number {
  return m instanceof Map ? m.size : Object.keys(m).length;
}

/** The cel-go name of a runtime value's type, as used in error messages. */
export function celTypeName(v: unknown): string {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
  }
  if (v === null) return 'null_type';
  if (isUint(v)) return 'uint';
  if (isBytes(v)) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  if (isDuration(v)) return 'google.protobuf.Duration';
  if (v instanceof Optional) return 'optional_type';
  if (isCelType(v)) return 'type';
  if (isMap(v)) return 'map';
  const named = (v as { constructor?: { celTypeName?: string; name?: string } }).constructor;
  return named?.celTypeName ?? named?.name ?? typeof v;
}

/** Errors thrown from function handlers; cel-js attaches the call's source position. */
export function celError(message: string, code = 'evaluation_error'): EvaluationError {
  return new EvaluationError({ code, message });
}

export function noSuchOverload(name: string, ...args: unknown[]): EvaluationError {
  return celError(`no such overload: ${name}(${args.map(celTypeName).join(', ')})`, 'no_matching_overload');
}

function numericValue(v: unknown): { kind: 'int' | 'double'; n: bigint | number } | undefined {
  if (typeof v === 'bigint') return { kind: 'int', n: v };
  if (isUint(v)) return { kind: 'int', n: v.value };
  if (typeof v === 'number') return { kind: 'double', n: v };
  return undefined;
}

/** Numeric comparison across int, uint and double, as cel-go does (NaN compares as unordered). */
function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  // Mixed int/double: compare exactly without rounding the integer through a double.
  const [i, d, sign] = typeof a === 'bigint' ? [a, b as number, 1] : [b as bigint, a as number, -1];
  if (Number.isNaN(d)) return NaN;
  if (d === Infinity) return -sign;
  if (d === -Infinity) return sign;
  const fl = Math.floor(d);
  const bi = BigInt(fl);
  if (i < bi) return -sign;
  if (i > bi) return sign;
  return fl === d ? 0 : -sign;
}

function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Compares strings by code point, as Go compares UTF-8 bytes (JS `<` compares UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/**
 * Ordering of two comparable CEL values, or undefined when cel-go has no ordering for the pair
 * (callers turn that into "no such overload").
 */
export function celCompare(a: unknown, b: unknown): number | undefined {
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na && nb) return compareNumbers(na.n, nb.n);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (isBytes(a) && isBytes(b)) return bytesCompare(a, b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (isDuration(a) && isDuration(b)) {
    const d = durationNanos(a) - durationNanos(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  const cmp = (a as { compareTo?: (o: unknown) => number } | null)?.compareTo;
  if (typeof cmp === 'function' && a?.constructor === (b as object | null)?.constructor) {
    return cmp.call(a, b);
  }
  return undefined;
}

/** CEL equality (`==`): numeric across kinds, deep on lists and maps, false across other kinds. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na || nb) return na !== undefined && nb !== undefined && compareNumbers(na.n, nb.n) === 0;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  }
  if (isBytes(a)) return isBytes(b) && bytesCompare(a, b) === 0;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isDuration(a)) return isDuration(b) && durationNanos(a) === durationNanos(b);
  if (a instanceof Optional) {
    if (!(b instanceof Optional)) return false;
    if (!a.hasValue() || !b.hasValue()) return a.hasValue() === b.hasValue();
    return celEquals(a.value(), b.value());
  }
  if (isMap(a)) return isMap(b) && mapsEqual(a, b);
  const eq = (a as { equals?: (o: unknown) => boolean }).equals;
  if (typeof eq === 'function' && a.constructor === b.constructor) return eq.call(a, b);
  return false;
}

function mapsEqual(a: CelMap, b: CelMap): boolean {
  const ea = mapEntries(a);
  if (ea.length !== mapSize(b)) return false;
  const eb = mapEntries(b);
  return ea.every(([k, v]) => {
    const hit = eb.find(([k2]) => celEquals(k, k2));
    return hit !== undefined && celEquals(v, hit[1]);
  });
}

/** Reads an int argument as a JS number, refusing values beyond the safe range. */
export function toIndex(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    return v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  }
  return Number(v);
}
