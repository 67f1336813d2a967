// Go's float formatting, byte for byte: `%.Nf`, `%1.Ne` (exact decimal expansion, ties to even,
// where JavaScript's toFixed rounds ties up and switches to exponents above 1e21) and
// `strconv.FormatFloat(x, 'f', -1, 64)` (shortest round-trip digits, never an exponent).
import { some } from './scan.js';

interface Decimal {
  /** Decimal digits without leading zeros ("0" for zero). */
  readonly digits: string;
  /** value = digits × 10^exp */
  readonly exp: number;
}

/** The exact decimal value of a finite double's magnitude. */
function exactDecimal(x: number): Decimal {
  const abs = Math.abs(x);
  if (abs === 0) return { digits: '0', exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let e2: number;
  if (biasedExp === 0) e2 = -1074;
  else {
    mantissa |= 1n << 52n;
    e2 = biasedExp - 1075;
  }
  if (e2 >= 0) return { digits: (mantissa << BigInt(e2)).toString(), exp: 0 };
  // m / 2^k = m × 5^k / 10^k
  return { digits: (mantissa * 5n ** BigInt(-e2)).toString(), exp: e2 };
}

/** Rounds `digits` (an integer string) to its first `keep` digits, half to even. */
function roundDigits(digits: string, keep: number): bigint {
  if (keep >= digits.length) return BigInt(digits) * 10n ** BigInt(keep - digits.length);
  if (keep < 0) return 0n;
  const head = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
  const rest = digits.slice(keep);
  const first = rest.charCodeAt(0) - 48;
  const tail = some(rest.slice(1), (c) => c >= 0x31 && c <= 0x39);
  if (first > 5 || (first === 5 && (tail || head % 2n === 1n))) return head + 1n;
  return head;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

/** Go `fmt.Sprintf("%.<precision>f", x)`. */
export function formatFixed(x: number, precision: number): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  const { digits, exp } = exactDecimal(x);
  // Number of digits kept = digits before the point + precision.
  const keep = digits.length + exp + precision;
  const scaled = roundDigits(digits, keep)
    .toString()
    .padStart(precision + 1, '0');
  const intPart = scaled.slice(0, scaled.length - precision);
  const frac = scaled.slice(scaled.length - precision);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  return precision === 0 ? `${sign}${intPart}` : `${sign}${intPart}.${frac}`;
}

/** Go `fmt.Sprintf("%1.<precision>e", x)`. */
export function formatExponent(x: number, precision: number): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  let mantissa: string;
  let e10: number;
  if (x === 0) {
    mantissa = '0'.repeat(precision + 1);
    e10 = 0;
  } else {
    const { digits, exp } = exactDecimal(x);
    let rounded = roundDigits(digits, precision + 1).toString();
    e10 = digits.length - 1 + exp;
    if (rounded.length > precision + 1) {
      // 9.99… rounded up to 10.0…
      rounded = rounded.slice(0, precision + 1);
      e10 += 1;
    }
    mantissa = rounded;
  }
  const m = precision === 0 ? mantissa : `${mantissa[0]}.${mantissa.slice(1)}`;
  const ee = Math.abs(e10).toString().padStart(2, '0');
  return `${sign}${m}e${e10 < 0 ? '-' : '+'}${ee}`;
}

/** Go `strconv.FormatFloat(x, 'f', -1, 64)`: shortest round-trip digits in plain notation. */
export function formatShortestPlain(x: number): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // toExponential() without an argument yields the shortest round-trip digits, as Go does.
  const [mant = '', expStr = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const pointPos = Number(expStr) + 1; // digits before the decimal point
  let out: string;
  if (pointPos <= 0) out = `0.${'0'.repeat(-pointPos)}${digits}`;
  else if (pointPos >= digits.length) out = digits + '0'.repeat(pointPos - digits.length);
  else out = `${digits.slice(0, pointPos)}.${digits.slice(pointPos)}`;
  return x < 0 ? `-${out}` : out;
}
