// Kubernetes quantity library, after k8s.io/apimachinery resource.Quantity: exact decimal
// arithmetic (kept as a rational with a power-of-ten denominator), binary (Ki..Ei), decimal
// (n..E) and exponent (e3) suffixes, and the canonical string form for string(q).
import type { Environment } from '@marcbachmann/cel-js';
import { countChar, isDigit, isDigits, some } from './scan.js';
import { celError, MAX_INT64, MIN_INT64 } from './values.js';

type Format = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const SUFFIX_LETTERS = 'eEinumkKMGTP';

/**
 * QUANTITY_PATTERN matched by a linear scan. The first group is greedy and no character it takes
 * can start the second group except digits, which the second group only takes when nothing else
 * follows, so the greedy split is the only one that can match.
 */
function splitQuantity(s: string): [string, string] | undefined {
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0;
  const start = i;
  while (i < s.length && (isDigit(s.charCodeAt(i)) || s[i] === '.')) i++;
  if (i === start) return undefined;
  let k = i;
  while (k < s.length && SUFFIX_LETTERS.includes(s[k] as string)) k++;
  if (s[k] === '+' || s[k] === '-') k++;
  while (k < s.length && isDigit(s.charCodeAt(k))) k++;
  return k === s.length ? [s.slice(0, i), s.slice(i)] : undefined;
}

export class Quantity {
  static readonly celTypeName = 'kubernetes.Quantity';
  /** value = num / 10^scale, scale >= 0 */
  constructor(
    readonly num: bigint,
    readonly scale: number,
    readonly format: Format,
  ) {}
  compareTo(o: Quantity): number {
    const [a, b] = align(this, o);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  equals(o: unknown): boolean {
    return o instanceof Quantity && this.compareTo(o) === 0;
  }
  toString(): string {
    return canonical(this);
  }
}

function align(a: Quantity, b: Quantity): [bigint, bigint] {
  const s = Math.max(a.scale, b.scale);
  return [a.num * 10n ** BigInt(s - a.scale), b.num * 10n ** BigInt(s - b.scale)];
}

function normalize(num: bigint, scale: number, format: Format): Quantity {
  while (scale > 0 && num % 10n === 0n) {
    num /= 10n;
    scale--;
  }
  return new Quantity(num, scale, format);
}

/** [eE][-+]?[0-9]+ */
function isExponent(x: string): boolean {
  if (x[0] !== 'e' && x[0] !== 'E') return false;
  const rest = x[1] === '+' || x[1] === '-' ? x.slice(2) : x.slice(1);
  return isDigits(rest);
}

export function parseQuantity(s: string): Quantity {
  const m = splitQuantity(s);
  if (!m) {
    throw celError(`quantities must match the regular expression '${QUANTITY_PATTERN}'`);
  }
  const [numPart, suffix] = m;
  if (countChar(numPart, '.') > 1 || !some(numPart, isDigit)) {
    throw celError('unable to parse numeric part of quantity');
  }
  const negative = numPart.startsWith('-');
  const digits = numPart[0] === '+' || numPart[0] === '-' ? numPart.slice(1) : numPart;
  const [intPart = '', frac = ''] = digits.split('.');
  let num = BigInt(`${intPart}${frac}` || '0');
  let scale = frac.length;
  let format: Format;
  if (suffix in BINARY) {
    num *= 2n ** BigInt(BINARY[suffix] ?? 0);
    format = 'BinarySI';
  } else if (suffix in DECIMAL) {
    scale -= DECIMAL[suffix] ?? 0;
    format = 'DecimalSI';
  } else if (isExponent(suffix)) {
    scale -= Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    throw celError("unable to parse quantity's suffix");
  }
  if (scale < 0) {
    num *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalize(negative ? -num : num, scale, format);
}

function canonical(q: Quantity): string {
  if (q.num === 0n) return '0';
  const sign = q.num < 0n ? '-' : '';
  const abs = q.num < 0n ? -q.num : q.num;
  if (q.format === 'BinarySI' && q.scale === 0) {
    for (const [suffix, bits] of Object.entries(BINARY).reverse()) {
      const unit = 2n ** BigInt(bits);
      if (abs % unit === 0n && abs >= unit) return `${sign}${abs / unit}${suffix}`;
    }
    if (abs < 1024n) return `${sign}${abs}`;
  }
  // value = abs × 10^-scale; choose the largest exponent (multiple of 3) with an integer mantissa.
  let mantissa = abs;
  let exp = -q.scale;
  while (exp % 3 !== 0) {
    mantissa *= 10n;
    exp--;
  }
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (exp < -9) {
    // Below nano precision Kubernetes rounds up to the next nano.
    const div = 10n ** BigInt(-9 - exp);
    mantissa = (mantissa + div - 1n) / div;
    exp = -9;
  }
  if (q.format === 'DecimalExponent') return exp === 0 ? `${sign}${mantissa}` : `${sign}${mantissa}e${exp}`;
  const suffix = Object.entries(DECIMAL).find(([, e]) => e === exp)?.[0] ?? '';
  return `${sign}${mantissa}${suffix}`;
}

function asInteger(q: Quantity): bigint {
  const d = 10n ** BigInt(q.scale);
  if (q.num % d !== 0n) throw celError('cannot convert value to integer');
  const v = q.num / d;
  if (v > MAX_INT64 || v < MIN_INT64) throw celError('cannot convert value to integer');
  return v;
}

function arith(a: Quantity, b: Quantity | bigint, sign: 1n | -1n): Quantity {
  const other = typeof b === 'bigint' ? new Quantity(b, 0, 'DecimalSI') : b;
  const [x, y] = align(a, other);
  return normalize(x + sign * y, Math.max(a.scale, other.scale), a.format);
}

export function registerQuantity(env: Environment): void {
  const T = 'kubernetes.Quantity';
  env.registerType(T, Quantity);
  env.registerFunction(`quantity(string): ${T}`, parseQuantity);
  env.registerFunction('isQuantity(string): bool', (s: string) => {
    try {
      parseQuantity(s);
      return true;
    } catch {
      return false;
    }
  });
  env.registerFunction(`string(${T}): string`, canonical);
  env.registerFunction(`${T}.sign(): int`, (q: Quantity) => BigInt(Math.sign(Number(q.num))));
  env.registerFunction(`${T}.isInteger(): bool`, (q: Quantity) => q.num % 10n ** BigInt(q.scale) === 0n);
  env.registerFunction(`${T}.asInteger(): int`, asInteger);
  env.registerFunction(`${T}.asApproximateFloat(): double`, (q: Quantity) => Number(q.num) / 10 ** q.scale);
  env.registerFunction(`${T}.add(${T}): ${T}`, (a: Quantity, b: Quantity) => arith(a, b, 1n));
  env.registerFunction(`${T}.add(int): ${T}`, (a: Quantity, b: bigint) => arith(a, b, 1n));
  env.registerFunction(`${T}.sub(${T}): ${T}`, (a: Quantity, b: Quantity) => arith(a, b, -1n));
  env.registerFunction(`${T}.sub(int): ${T}`, (a: Quantity, b: bigint) => arith(a, b, -1n));
  env.registerFunction(`${T}.isLessThan(${T}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) < 0);
  env.registerFunction(`${T}.isGreaterThan(${T}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) > 0);
  env.registerFunction(`${T}.compareTo(${T}): int`, (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)));
}
