// Go's time.Duration.String() for CEL durations rendered into JSON (spec 03 §5.2) and for budget
// messages (`100ms`). Works on BigInt nanoseconds so the whole int64 range is exact.

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
