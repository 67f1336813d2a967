// cel-go Strings extension (latest version in cel-go v0.31): indices are code points, case
// mapping is ASCII-only, trim uses Go's unicode.IsSpace, split/replace follow Go's strings
// package. cel-js built-ins with JavaScript semantics are replaced (see engine.ts).
import type { Environment } from '@marcbachmann/cel-js';
import type { Override } from './engine.js';
import { formatString } from './format.js';
import { registerNamespaced } from './namespace.js';
import { mapRuns, trimWith, isGoSpace } from './scan.js';
import { chargeBudget, checkCollectionSize, checkStringSize } from './limits.js';
import { celError, toIndex } from './values.js';

const codePoints = (s: string): string[] => Array.from(s);

function outOfRange(i: bigint | number): Error {
  return celError(`index out of range: ${i}`, 'index_out_of_range');
}

function charAt(s: string, ind: bigint): string {
  const runes = codePoints(s);
  const i = toIndex(ind);
  if (i < 0 || i > runes.length) throw outOfRange(ind);
  return runes[i] ?? '';
}

/** UTF-16 offset of code point `cp` (or s.length past the end). O(n). */
function unitOffset(s: string, cp: number): number {
  let u = 0;
  for (let i = 0; i < cp && u < s.length; i++) u += isPairAt(s, u) ? 2 : 1;
  return u;
}

/** Code-point index of UTF-16 offset `u`. O(n). */
function codePointIndex(s: string, u: number): number {
  let cp = 0;
  for (let i = 0; i < u; i += isPairAt(s, i) ? 2 : 1) cp++;
  return cp;
}

function isPairAt(s: string, u: number): boolean {
  const hi = s.charCodeAt(u);
  const lo = s.charCodeAt(u + 1);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** A hit of `sub` at UTF-16 offset `u` that starts or ends inside a surrogate pair is not a code-point match. */
function splitsPair(s: string, u: number, len: number): boolean {
  return (u > 0 && isPairAt(s, u - 1)) || (u + len < s.length && u + len > 0 && isPairAt(s, u + len - 1));
}

// Native indexOf/lastIndexOf are linear-time searches (V8 falls back to Boyer-Moore); offsets are
// converted between code points and UTF-16 units around them.
function indexOf(s: string, sub: string, offset = 0n): bigint {
  const off = toIndex(offset);
  if (off < 0) throw outOfRange(offset);
  const runes = codePoints(s);
  chargeBudget(runes.length);
  if (sub === '') return off > runes.length ? BigInt(runes.length) : offset;
  if (off >= runes.length) return -1n;
  let hit = s.indexOf(sub, unitOffset(s, off));
  while (hit >= 0 && splitsPair(s, hit, sub.length)) hit = s.indexOf(sub, hit + 1);
  return hit < 0 ? -1n : BigInt(codePointIndex(s, hit));
}

function lastIndexOfOffset(s: string, sub: string, offset: bigint): bigint {
  let off = toIndex(offset);
  if (off < 0) throw outOfRange(offset);
  const runes = codePoints(s);
  chargeBudget(runes.length);
  if (sub === '') return off > runes.length ? BigInt(runes.length) : offset;
  const subLen = codePoints(sub).length;
  if (off >= runes.length) return -1n;
  if (off > runes.length - subLen) off = runes.length - subLen;
  if (off < 0) return -1n;
  let hit = s.lastIndexOf(sub, unitOffset(s, off));
  while (hit >= 0 && splitsPair(s, hit, sub.length)) hit = hit === 0 ? -1 : s.lastIndexOf(sub, hit - 1);
  return hit < 0 ? -1n : BigInt(codePointIndex(s, hit));
}

function lastIndexOf(s: string, sub: string): bigint {
  const runes = codePoints(s);
  if (sub === '') return BigInt(runes.length);
  // cel-go compares UTF-8 byte lengths here.
  if (Buffer.byteLength(s) < Buffer.byteLength(sub)) return -1n;
  return lastIndexOfOffset(s, sub, BigInt(runes.length - 1));
}

const isLowerAscii = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isUpperAscii = (c: number): boolean => c >= 0x41 && c <= 0x5a;

function mapAscii(s: string, upper: boolean): string {
  chargeBudget(s.length >> 6);
  return upper
    ? mapRuns(s, isLowerAscii, (m) => m.toUpperCase())
    : mapRuns(s, isUpperAscii, (m) => m.toLowerCase());
}

/** Go strings.Replace: an empty `old` matches before every code point and at the end. */
export function goReplace(s: string, old: string, repl: string, n: number): string {
  if (n === 0 || (old === '' && false)) return s;
  let out = '';
  let count = 0;
  if (old === '') {
    const runes = codePoints(s);
    for (let i = 0; i <= runes.length; i++) {
      if (n < 0 || count < n) {
        out += repl;
        count++;
      }
      out += runes[i] ?? '';
    }
    return checkStringSize(out);
  }
  let pos = 0;
  for (;;) {
    const hit = s.indexOf(old, pos);
    if (hit < 0 || (n >= 0 && count >= n)) break;
    out += s.slice(pos, hit) + repl;
    pos = hit + old.length;
    count++;
    if (out.length > 4 * 1024 * 1024) checkStringSize(out);
  }
  return checkStringSize(out + s.slice(pos));
}

/** Go strings.SplitN (n < 0: all parts; n == 0: none). */
export function goSplit(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const runes = codePoints(s);
    if (n < 0 || n > runes.length) n = runes.length;
    checkCollectionSize(n);
    const parts = runes.slice(0, n - 1);
    if (n > 0) parts.push(runes.slice(n - 1).join(''));
    return parts;
  }
  const parts: string[] = [];
  let pos = 0;
  while (n < 0 || parts.length < n - 1) {
    const hit = s.indexOf(sep, pos);
    if (hit < 0) break;
    parts.push(s.slice(pos, hit));
    pos = hit + sep.length;
    checkCollectionSize(parts.length);
  }
  parts.push(s.slice(pos));
  return parts;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const runes = codePoints(s);
  const l = runes.length;
  if (end === undefined) {
    if (start < 0n || start > BigInt(l)) throw outOfRange(start);
    return runes.slice(Number(start)).join('');
  }
  if (start > end) {
    throw celError(`invalid substring range. start: ${start}, end: ${end}`, 'index_out_of_range');
  }
  if (start < 0n || start > BigInt(l)) throw outOfRange(start);
  if (end < 0n || end > BigInt(l)) throw outOfRange(end);
  return runes.slice(Number(start), Number(end)).join('');
}

function join(list: unknown[], sep: string): string {
  chargeBudget(list.length);
  let out = '';
  list.forEach((e, i) => {
    if (typeof e !== 'string') throw celError(`join: invalid input: ${String(e)}`);
    out += (i === 0 ? '' : sep) + e;
    if (out.length > 1024 * 1024) checkStringSize(out);
  });
  return checkStringSize(out);
}

const QUOTE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

function quote(s: string): string {
  // Lone surrogates are what invalid UTF-8 becomes in JS; Go replaces them by U+FFFD.
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else out += QUOTE_ESCAPES[c] ?? c;
  }
  return `${out}"`;
}

/** Built-ins whose cel-js versions have JavaScript semantics. */
export const stringOverrides: readonly Override[] = [
  { signature: 'string.lowerAscii(): string', handler: (s: string) => mapAscii(s, false) },
  { signature: 'string.upperAscii(): string', handler: (s: string) => mapAscii(s, true) },
  { signature: 'string.trim(): string', handler: (s: string) => trimWith(s, isGoSpace) },
  { signature: 'string.indexOf(string): int', handler: (s: string, sub: string) => indexOf(s, sub) },
  {
    signature: 'string.indexOf(string, int): int',
    handler: (s: string, sub: string, off: bigint) => indexOf(s, sub, off),
  },
  { signature: 'string.lastIndexOf(string): int', handler: lastIndexOf },
  { signature: 'string.lastIndexOf(string, int): int', handler: lastIndexOfOffset },
  {
    signature: 'string.substring(int): string',
    handler: (s: string, a: bigint) => substring(s, a),
  },
  { signature: 'string.substring(int, int): string', handler: substring },
  {
    signature: 'string.split(string): list<string>',
    handler: (s: string, sep: string) => goSplit(s, sep, -1),
  },
  {
    signature: 'string.split(string, int): list<string>',
    handler: (s: string, sep: string, n: bigint) => goSplit(s, sep, toIndex(n)),
  },
  { signature: 'list<string>.join(): string', handler: (l: unknown[]) => join(l, '') },
  { signature: 'list<string>.join(string): string', handler: join },
];

export function registerStrings(env: Environment): void {
  env.registerFunction('string.charAt(int): string', charAt);
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
    goReplace(s, a, b, -1),
  );
  env.registerFunction(
    'string.replace(string, string, int): string',
    (s: string, a: string, b: string, n: bigint) => goReplace(s, a, b, toIndex(n)),
  );
  env.registerFunction('string.reverse(): string', (s: string) => codePoints(s).reverse().join(''));
  env.registerFunction('string.format(list<dyn>): string', formatString);
  registerNamespaced(env, 'strings.quote(string): string', quote);
}
