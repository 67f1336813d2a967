// string(timestamp) and string(duration), which cel-js 8 lacks: cel-go writes timestamps as RFC
// 3339 with nanoseconds (trailing zeros trimmed, UTC) and durations as seconds with an "s".
import type { Environment } from '@marcbachmann/cel-js';
import { formatTimestamp } from './format.js';
import { formatShortestPlain } from './go-float.js';
import { durationNanos, type CelDuration } from './values.js';

export function registerTimeStrings(env: Environment): void {
  env.registerFunction('string(google.protobuf.Timestamp): string', (t: Date) => formatTimestamp(t));
  env.registerFunction(
    'string(google.protobuf.Duration): string',
    (d: CelDuration) => `${formatShortestPlain(Number(durationNanos(d)) / 1e9)}s`,
  );
}
