// `string.format(list)` as cel-go's Strings extension v4+ implements it (formatting_v2): verbs
// %s %d %f %e %b %o %x %X and %%, precision `.N` up to 100, Go's number rendering, lists and
// maps rendered recursively with map entries sorted by their rendered key.
import { trimRightChar } from './scan.js';
import { formatExponent, formatFixed, formatShortestPlain } from './go-float.js';
import { checkStringSize } from './limits.js';
import {
  celError,
  celTypeName,
  compareStrings,
  durationNanos,
  isBytes,
  isCelType,
  isDuration,
  isList,
  isMap,
  isUint,
  mapEntries,
} from './values.js';

const MAX_PRECISION = 100;
const DEFAULT_PRECISION = 6;

class FormatError extends Error {}

function clauseError(what: string, v: unknown): FormatError {
  return new FormatError(`${what}, was given ${celTypeName(v)}`);
}

function nonFiniteText(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return undefined;
}

/** RFC 3339 with nanoseconds, trailing zeros trimmed, always UTC (Go time.RFC3339Nano). */
export function formatTimestamp(d: Date): string {
  const iso = d.toISOString();
  const [base = '', ms = ''] = iso.slice(0, -1).split('.');
  const frac = trimRightChar(ms, '0');
  const year = d.getUTCFullYear();
  // toISOString writes years beyond 9999 with a sign; CEL timestamps stay within 1..9999.
  return `${year < 0 || year > 9999 ? base : base}${frac ? `.${frac}` : ''}Z`;
}

function typeName(v: unknown): string {
  const name = (v as { name?: unknown }).name;
  return typeof name === 'string' ? name : String(v);
}

function formatValue(v: unknown): string {
  if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'string') return String(v);
  if (isUint(v)) return v.value.toString();
  if (typeof v === 'number') return nonFiniteText(v) ?? formatShortestPlain(v);
  if (v === null) return 'null';
  if (isBytes(v)) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return formatTimestamp(v);
  if (isDuration(v)) return `${formatShortestPlain(Number(durationNanos(v)) / 1e9)}s`;
  if (isCelType(v)) return typeName(v);
  if (isList(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (isMap(v)) {
    const entries = mapEntries(v).map(([k, val]) => [formatValue(k), formatValue(val)] as const);
    entries.sort((a, b) => compareStrings(a[0], b[0]));
    return `{${entries.map(([k, val]) => `${k}: ${val}`).join(', ')}}`;
  }
  throw clauseError(
    'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps',
    v,
  );
}

function toHex(v: unknown, upper: boolean): string {
  let out: string;
  if (typeof v === 'bigint') out = v.toString(16);
  else if (isUint(v)) out = v.value.toString(16);
  else if (typeof v === 'string') out = Buffer.from(v, 'utf8').toString('hex');
  else if (isBytes(v)) out = Buffer.from(v).toString('hex');
  else {
    throw clauseError('only ints, uints, bytes, and strings can be formatted as hex', v);
  }
  return upper ? out.toUpperCase() : out;
}

function numberArg(v: unknown, what: string): number | bigint {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (isUint(v)) return v.value;
  throw clauseError(`${what} clause can only be used on ints, uints, and doubles`, v);
}

function integerArg(v: unknown, message: string, allowBool: boolean): bigint {
  if (typeof v === 'bigint') return v;
  if (isUint(v)) return v.value;
  if (allowBool && typeof v === 'boolean') return v ? 1n : 0n;
  throw clauseError(message, v);
}

function applyVerb(verb: string, precision: number | undefined, v: unknown): string {
  const p = precision ?? DEFAULT_PRECISION;
  switch (verb) {
    case 's':
      return formatValue(v);
    case 'd': {
      const n = numberArg(v, 'decimal');
      return typeof n === 'bigint' ? n.toString() : (nonFiniteText(n) ?? formatShortestPlain(n));
    }
    case 'f': {
      const n = numberArg(v, 'fixed-point');
      return typeof n === 'number' ? (nonFiniteText(n) ?? formatFixed(n, p)) : formatFixed(Number(n), p);
    }
    case 'e': {
      const n = numberArg(v, 'scientific');
      const x = Number(n);
      return (typeof n === 'number' && nonFiniteText(x)) || formatExponent(x, p);
    }
    case 'b':
      return integerArg(v, 'only ints, uints, and bools can be formatted as binary', true).toString(2);
    case 'o':
      return integerArg(v, 'octal clause can only be used on ints and uints', false).toString(8);
    case 'x':
    case 'X':
      return toHex(v, verb === 'X');
    default:
      throw new Error('unreachable');
  }
}

/** Parses `.N` after a `%`; returns the precision and the index of the verb. */
function parsePrecision(f: string, i: number): { precision: number | undefined; next: number } {
  if (f[i] !== '.') return { precision: undefined, next: i };
  let j = i + 1;
  let digits = '';
  for (;;) {
    if (j >= f.length) {
      throw new FormatError(
        'could not parse formatting clause: error while parsing precision: could not find end of precision specifier',
      );
    }
    const c = f[j] ?? '';
    if (c < '0' || c > '9') break;
    digits += c;
    j++;
  }
  if (digits === '') {
    throw new FormatError(
      'could not parse formatting clause: error while parsing precision: error while converting precision to integer: strconv.Atoi: parsing "": invalid syntax',
    );
  }
  const precision = Number(digits);
  if (precision > MAX_PRECISION) {
    throw new FormatError(
      `could not parse formatting clause: error while parsing precision: precision ${precision} exceeds maximum allowed precision ${MAX_PRECISION}`,
    );
  }
  return { precision, next: j };
}

function formatClause(f: string, i: number, arg: unknown): { text: string; next: number } {
  const { precision, next } = parsePrecision(f, i + 1);
  const verb = f[next] ?? '';
  if (!'sdfebxXo'.includes(verb) || verb === '') {
    // Go reads one byte here; a multi-byte character shows as its first byte's Latin-1 value.
    const firstByte = Buffer.from(verb, 'utf8')[0] ?? 0;
    throw new FormatError(
      `could not parse formatting clause: unrecognized formatting clause "${String.fromCharCode(firstByte)}"`,
    );
  }
  try {
    return { text: applyVerb(verb, precision, arg), next: next + 1 };
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`error during formatting: ${e.message}`);
    throw e;
  }
}

export function formatString(f: string, args: unknown[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  try {
    while (i < f.length) {
      if (f[i] !== '%') {
        const next = f.indexOf('%', i);
        const end = next < 0 ? f.length : next;
        out += f.slice(i, end);
        i = end;
        continue;
      }
      if (f[i + 1] === '%') {
        out += '%';
        i += 2;
        continue;
      }
      if (argIndex >= args.length) throw new FormatError(`index ${argIndex} out of range`);
      if (i + 1 >= f.length) throw new FormatError('unexpected end of string');
      const { text, next } = formatClause(f, i, args[argIndex]);
      out += text;
      i = next;
      argIndex++;
      if (out.length > 1024 * 1024) checkStringSize(out);
    }
  } catch (e) {
    if (e instanceof FormatError) throw celError(e.message);
    throw e;
  }
  return checkStringSize(out);
}
