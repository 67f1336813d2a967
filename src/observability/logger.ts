// The root logger (spec/05 §8): one pino instance built from config in main and passed down,
// narrowed with `.child()`; no module-level singletons. Lines are JSON with `level` as a label,
// `time` in RFC 3339 and `logger` naming the component (`rgd-controller`, `instance-controller`,
// `watch`, ...). `namedLogger()` sets `logger`; lines from an unnamed logger say `logger: "kro"`.
// `--zap-encoder=console` renders through pino-pretty when it is installed (a dev dependency),
// otherwise the logger stays JSON and says so once.

import { createRequire } from 'node:module';
import { pino, stdSerializers, stdTimeFunctions, symbols, type DestinationStream, type Logger } from 'pino';
import type { LogEncoder, LogLevel } from '../config.js';

export type { Logger } from 'pino';

export interface LoggerConfig {
  readonly level: LogLevel;
  readonly encoder: LogEncoder;
  readonly devel: boolean;
}

export interface CreateLoggerOptions {
  /** Where lines go; stdout when absent. Tests pass a stream to read lines back. */
  readonly destination?: DestinationStream;
  /** Overrides module resolution of pino-pretty (tests simulate its absence). */
  readonly loadPretty?: () => PrettyFactory | undefined;
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

/** The `logger` value of lines written through a logger nobody named. */
export const ROOT_LOGGER_NAME = 'kro';

const roots = new WeakSet<object>();
const named = new WeakMap<object, boolean>();
const chindingsSym: symbol = symbols.chindingsSym;

export function createLogger(config: LoggerConfig, options: CreateLoggerOptions = {}): Logger {
  const pretty = config.encoder === 'console' ? (options.loadPretty ?? loadPrettyFromModules)() : undefined;
  const json = config.encoder === 'json' || pretty === undefined;
  const stream = json
    ? (options.destination ?? pino.destination(1))
    : pretty({
        destination: options.destination ?? 1,
        sync: true,
        translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
        ignore: 'pid,hostname',
      });
  const logger = pino(
    {
      level: config.level,
      base: null,
      timestamp: stdTimeFunctions.isoTime,
      // pino-pretty reads numeric levels; JSON consumers want the label (zap writes "info").
      formatters: json ? { level: (label: string) => ({ level: label }) } : {},
      serializers: { err: stdSerializers.err },
      mixin: (_obj: object, _level: number, instance: object) =>
        hasLoggerName(instance) ? {} : { logger: ROOT_LOGGER_NAME },
    },
    stream,
  );
  roots.add(logger);
  if (config.encoder === 'console' && pretty === undefined) {
    logger.warn(
      { logger: 'setup' },
      'pino-pretty is not installed; --zap-encoder=console falls back to JSON',
    );
  }
  return logger;
}

/**
 * A child whose lines carry `logger: name`. Naming an already named logger joins the names with
 * a dot (`rgd-controller.crd`), as controller-runtime's `WithName` does, without duplicate keys.
 */
export function namedLogger(parent: Logger, name: string, bindings: Record<string, unknown> = {}): Logger {
  if (!hasLoggerName(parent)) return parent.child({ logger: name, ...bindings });
  const { logger: parentName, ...rest } = parent.bindings();
  const root = findRoot(parent);
  const full = `${String(parentName)}.${name}`;
  // pino appends child bindings to the parent's, so rebuild from the root to replace `logger`.
  if (root === undefined) return parent.child({ ...bindings });
  return root.child({ ...rest, logger: full, ...bindings });
}

function hasLoggerName(instance: object): boolean {
  const cached = named.get(instance);
  if (cached !== undefined) return cached;
  const chindings: unknown = (instance as Record<symbol, unknown>)[chindingsSym];
  const value = typeof chindings === 'string' && chindings.includes('"logger":');
  named.set(instance, value);
  return value;
}

function findRoot(instance: Logger): Logger | undefined {
  for (let p: object | null = instance; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    if (roots.has(p)) return p as Logger;
  }
  return undefined;
}

function loadPrettyFromModules(): PrettyFactory | undefined {
  try {
    const mod = createRequire(import.meta.url)('pino-pretty') as PrettyFactory | { default: PrettyFactory };
    return typeof mod === 'function' ? mod : mod.default;
  } catch {
    return undefined;
  }
}

const REDACTED = '<redacted>';

/**
 * A copy of `value` safe to log: every Secret's `data` and `stringData` values (in lists,
 * `items`, or nested anywhere) are replaced by `<redacted>`, keys kept so diffs stay readable.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const isSecret = obj['kind'] === 'Secret';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj)) {
    out[key] = isSecret && (key === 'data' || key === 'stringData') ? redactValues(v) : redactSecrets(v);
  }
  return out;
}

function redactValues(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return REDACTED;
  return Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
}
