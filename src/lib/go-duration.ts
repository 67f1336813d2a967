// Go's time.Duration: String() for CEL durations rendered into JSON (spec 03 §5.2) and for budget
// messages (`100ms`), and ParseDuration for CEL `format: duration` values and the command-line
// flags. Works on BigInt nanoseconds so the whole int64 range is exact.

const NANOS_PER_SECOND = 1_000_000_000n;

/** Formats a nanosecond count the way Go formats a time.Duration: `1h0m0s`, `1m30s`, `500ms`. */
export function formatGoDuration(totalNanos: bigint): string {
  if (totalNanos === 0n) return '0s';
  const negative = totalNanos < 0n;
  const abs = negative ? -totalNanos : totalNanos;
  const sign = negative ? '-' : '';
  if (abs < NANOS_PER_SECOND) return sign + formatSubSecond(abs);

  const seconds = abs / NANOS_PER_SECOND;
  const frac = abs % NANOS_PER_SECOND;
  const hours = seconds / 3600n;
  const minutes = (seconds % 3600n) / 60n;
  const secs = seconds % 60n;
  let out = sign;
  if (hours > 0n) out += `${hours}h`;
  if (hours > 0n || minutes > 0n) out += `${minutes}m`;
  out += `${secs}${fraction(frac, 9)}s`;
  return out;
}

// Below one second Go picks the largest unit that keeps the integer part non-zero.
function formatSubSecond(n: bigint): string {
  if (n < 1_000n) return `${n}ns`;
  if (n < 1_000_000n) return `${n / 1_000n}${fraction(n % 1_000n, 3)}µs`;
  return `${n / 1_000_000n}${fraction(n % 1_000_000n, 6)}ms`;
}

function fraction(rest: bigint, digits: number): string {
  if (rest === 0n) return '';
  return '.' + rest.toString().padStart(digits, '0').replace(/0+$/, '');
}

/** Formats milliseconds (e.g. a configured timeout) as a Go duration. */
export function formatGoDurationMs(ms: number): string {
  return formatGoDuration(BigInt(Math.round(ms * 1_000_000)));
}

const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: NANOS_PER_SECOND,
  m: 60n * NANOS_PER_SECOND,
  h: 3_600n * NANOS_PER_SECOND,
};

const MAX_DURATION = 2n ** 63n - 1n;

export type GoDurationParse =
  { readonly ok: true; readonly nanos: bigint } | { readonly ok: false; readonly error: string };

/**
 * Go's `time.ParseDuration`, to nanoseconds, with Go's error text: an optional sign, then one or
 * more decimal numbers (optional fraction) each followed by a unit (`ns`, `us`, `µs`, `ms`, `s`,
 * `m`, `h`); `0` needs no unit; beyond int64 nanoseconds is invalid. A linear scan (no RegExp on
 * user input). The one parser behind CEL `duration` fields and the `--*-timeout`/`--*-delay` flags.
 */
export function parseGoDuration(input: string): GoDurationParse {
  const invalid = { ok: false, error: `time: invalid duration "${input}"` } as const;
  let s = input;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanos: 0n };
  if (s === '') return invalid;
  const isDigit = (k: number): boolean => s.charCodeAt(k) >= 0x30 && s.charCodeAt(k) <= 0x39;
  let total = 0n;
  let i = 0;
  while (i < s.length) {
    if (!(s[i] === '.' || isDigit(i))) return invalid;
    const intStart = i;
    while (i < s.length && isDigit(i)) i++;
    const whole = s.slice(intStart, i);
    let frac = '';
    if (s[i] === '.') {
      const fracStart = ++i;
      while (i < s.length && isDigit(i)) i++;
      frac = s.slice(fracStart, i);
    }
    if (whole === '' && frac === '') return invalid;
    const unitStart = i;
    while (i < s.length && s[i] !== '.' && !isDigit(i)) i++;
    const name = s.slice(unitStart, i);
    if (name === '') return { ok: false, error: `time: missing unit in duration "${input}"` };
    const unit = Object.hasOwn(DURATION_UNITS, name) ? DURATION_UNITS[name] : undefined;
    if (unit === undefined)
      return { ok: false, error: `time: unknown unit "${name}" in duration "${input}"` };
    total += BigInt(whole || '0') * unit;
    if (frac !== '') total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    if (total > MAX_DURATION + (negative ? 1n : 0n)) return invalid;
  }
  return { ok: true, nanos: negative ? -total : total };
}
