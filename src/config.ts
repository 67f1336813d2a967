// Process configuration: the only module that reads argv and the environment (spec/05 §2–3).
// Flag names, syntax and defaults follow kro (Go's `flag` package: `-flag` or `--flag`,
// `--flag=value` or `--flag value`, booleans `--flag` / `--flag=false`, durations in Go syntax,
// last occurrence wins) so that deployments migrate unchanged. The result is one deeply frozen
// object; errors are returned, never thrown, so `main` decides the exit code (2 for usage).

import { delimiter } from 'node:path';
import { KroError } from './lib/errors.js';
import { err, ok, type Result } from './lib/result.js';
import { parseGoDuration as goParseDuration } from './lib/go-duration.js';
import { parseGoBool as goParseBool } from './lib/go-strconv.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'error' | 'fatal';
export type LogEncoder = 'json' | 'console';
export type OwnerReferencesMode = 'auto' | 'none';

/** Feature gates of spec/05 §3. The two compatibility gates are accepted and have no effect. */
export interface FeatureGates {
  readonly CELOmitFunction: boolean;
  readonly InstanceConditionEvents: boolean;
  readonly InstanceConditionMetrics: boolean;
}

/** Durations are milliseconds (possibly fractional: `1500us` is 1.5). */
export interface Config {
  readonly kubeconfig: string;
  readonly metricsBindAddress: string;
  readonly healthProbeBindAddress: string;
  readonly pprofBindAddress: string;
  readonly leaderElect: boolean;
  readonly leaderElectionNamespace: string;
  readonly leaderElectionLeaseDurationMs: number;
  readonly leaderElectionRenewDeadlineMs: number;
  readonly leaderElectionRetryPeriodMs: number;
  readonly enableControllerWarmup: boolean;
  readonly allowCrdDeletion: boolean;
  readonly gracefulShutdownTimeoutMs: number;
  readonly rgdConcurrentReconciles: number;
  readonly graphRevisionConcurrentReconciles: number;
  readonly dynamicControllerConcurrentReconciles: number;
  readonly rateLimiterMinDelayMs: number;
  readonly rateLimiterMaxDelayMs: number;
  /** Overall queue-add token bucket, per second; 0 = off. */
  readonly rateLimiterRateLimit: number;
  readonly rateLimiterBurstLimit: number;
  /** Full resync period in seconds (kro: an integer, not a duration). */
  readonly defaultResyncPeriodSeconds: number;
  readonly queueMaxRetries: number;
  /** Delayed requeue while waiting; 0 = off. */
  readonly instanceRequeueIntervalMs: number;
  readonly clientQps: number;
  readonly clientBurst: number;
  readonly rgdMaxCollectionSize: number;
  readonly rgdMaxCollectionDimensionSize: number;
  readonly rgdMaxGraphRevisions: number;
  readonly rgdProgressRequeueDelayMs: number;
  readonly featureGates: FeatureGates;
  readonly log: {
    readonly level: LogLevel;
    readonly encoder: LogEncoder;
    readonly devel: boolean;
  };
  /** Beyond kro: budget per CEL evaluation; 0 = off. */
  readonly celEvalTimeoutMs: number;
  /** CEL time across all expressions of one reconcile (ms); 0 disables. */
  readonly celReconcileBudgetMs: number;
  readonly ownerReferences: OwnerReferencesMode;
  readonly emitEvents: boolean;
  readonly statusMaxManagedResources: number;
  /** From the environment (Downward API): Event reportingInstance, Lease identity. */
  readonly podName: string;
  readonly podNamespace: string;
  /** Accepted-but-ignored input, to be logged once at startup by the caller. */
  readonly warnings: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Draft = Mutable<Omit<Config, 'warnings'>> & { warnings: string[] };

function defaultConfig(): Draft {
  return {
    kubeconfig: '',
    metricsBindAddress: ':8078',
    healthProbeBindAddress: ':8079',
    pprofBindAddress: ':6060',
    leaderElect: false,
    leaderElectionNamespace: '',
    leaderElectionLeaseDurationMs: 15_000,
    leaderElectionRenewDeadlineMs: 10_000,
    leaderElectionRetryPeriodMs: 2_000,
    enableControllerWarmup: false,
    allowCrdDeletion: false,
    gracefulShutdownTimeoutMs: 60_000,
    rgdConcurrentReconciles: 1,
    graphRevisionConcurrentReconciles: 1,
    dynamicControllerConcurrentReconciles: 8,
    rateLimiterMinDelayMs: 200,
    rateLimiterMaxDelayMs: 1_000_000,
    rateLimiterRateLimit: 0,
    rateLimiterBurstLimit: 100,
    defaultResyncPeriodSeconds: 36_000,
    queueMaxRetries: 20,
    instanceRequeueIntervalMs: 3_000,
    // A ceiling, not a throttle (kube/client.ts DEFAULT_QPS): APF and 429 Retry-After pace it.
    clientQps: 5000,
    clientBurst: 10000,
    rgdMaxCollectionSize: 1000,
    rgdMaxCollectionDimensionSize: 10,
    rgdMaxGraphRevisions: 5,
    rgdProgressRequeueDelayMs: 3_000,
    featureGates: {
      CELOmitFunction: false,
      InstanceConditionEvents: false,
      InstanceConditionMetrics: false,
    },
    log: { level: 'info', encoder: 'json', devel: false },
    celEvalTimeoutMs: 100,
    celReconcileBudgetMs: 1000,
    ownerReferences: 'auto',
    emitEvents: true,
    statusMaxManagedResources: 500,
    podName: '',
    podNamespace: '',
    warnings: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Value parsers. Each returns the value or a string describing the problem (Go's wording where
// Go has one, so error lines look like kro's).

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
const good = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

/** Go's strconv.ParseBool (lib/go-strconv.ts), worded like Go's flag package. */
export function parseGoBool(s: string): Parsed<boolean> {
  const r = goParseBool(s);
  return r.ok ? good(r.value) : bad('parse error');
}

function parseInteger(s: string, min: number): Parsed<number> {
  if (!/^[+-]?\d+$/.test(s)) return bad('parse error');
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return bad('value out of range');
  return n < min ? bad(`must be >= ${min}`) : good(n);
}

function parseFloatValue(s: string, min: number): Parsed<number> {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return bad('parse error');
  const n = Number(s);
  return n < min ? bad(`must be >= ${min}`) : good(n);
}

/** Go's `time.ParseDuration` (lib/go-duration.ts), in milliseconds. */
export function parseGoDuration(input: string): Parsed<number> {
  const r = goParseDuration(input);
  return r.ok ? good(Number(r.nanos) / 1e6) : bad(r.error);
}

/** `Name=true|false,...` (spec/05 §3); whitespace around names and values is ignored. */
export function parseFeatureGates(s: string, base: FeatureGates): Parsed<FeatureGates> {
  const gates: Record<string, boolean> = { ...base };
  for (const raw of s.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = (eq >= 0 ? item.slice(0, eq) : item).trim();
    if (!Object.prototype.hasOwnProperty.call(base, name)) {
      return bad(`unrecognized feature gate: ${name}`);
    }
    if (eq < 0) return bad(`missing bool value for ${name}`);
    const value = item.slice(eq + 1).trim();
    const parsed = parseGoBool(value);
    if (!parsed.ok)
      return bad(
        `invalid value of ${name}=${value}, err: strconv.ParseBool: parsing "${value}": invalid syntax`,
      );
    gates[name] = parsed.value;
  }
  return good(gates as unknown as FeatureGates);
}

export interface BindAddress {
  /** '' means all interfaces. */
  readonly host: string;
  readonly port: number;
}

/** `host:port`, `:port`, `[v6]:port`; `0` (or '') disables the listener (returns null). */
export function parseBindAddress(s: string): Parsed<BindAddress | null> {
  if (s === '0' || s === '') return good(null);
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(s);
  const port = Number(m?.[3]);
  if (m === null || port > 65535) return bad(`invalid bind address "${s}": want host:port, :port or 0`);
  return good({ host: m[1] ?? m[2] ?? '', port });
}

// prettier-ignore
const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: 'debug', info: 'info', error: 'error', panic: 'fatal',
};

/** controller-runtime's `--zap-log-level`: a name or an integer verbosity > 0. */
export function parseLogLevel(s: string): Parsed<LogLevel> {
  const named = LOG_LEVELS[s.toLowerCase()];
  if (named !== undefined) return good(named);
  if (/^\d+$/.test(s) && Number(s) > 0) return good(Number(s) >= 3 ? 'trace' : 'debug');
  return bad(`invalid log level "${s}"`);
}

/** Gates kept only so kro's command lines still parse (spec/05 §3). */
const COMPAT_GATES: ReadonlyArray<readonly [string, string]> = [
  ['InstanceConditionEvents', 'events are on by default; use --emit-events=false to turn them off'],
  ['InstanceConditionMetrics', 'not implemented in this stage'],
];

// ---------------------------------------------------------------------------------------------
// The flag table. `set` returns a problem string or undefined.

type FlagKind = 'bool' | 'value';
interface FlagDefinition {
  readonly name: string;
  readonly kind: FlagKind;
  readonly usage: string;
  readonly set: (d: Draft, value: string) => string | undefined;
}

type Setter<T> = (d: Draft, v: T) => void;
const apply = <T>(p: Parsed<T>, d: Draft, set: Setter<T>): string | undefined => {
  if (!p.ok) return p.problem;
  set(d, p.value);
  return undefined;
};
// prettier-ignore
const str = (name: string, usage: string, set: Setter<string>): FlagDefinition => ({
  name, kind: 'value', usage, set: (d, v) => apply(good(v), d, set),
});
// prettier-ignore
const bool = (name: string, usage: string, set: Setter<boolean>): FlagDefinition => ({
  name, kind: 'bool', usage, set: (d, v) => apply(parseGoBool(v), d, set),
});
// prettier-ignore
const int = (name: string, usage: string, min: number, set: Setter<number>): FlagDefinition => ({
  name, kind: 'value', usage, set: (d, v) => apply(parseInteger(v, min), d, set),
});
// prettier-ignore
const float = (name: string, usage: string, set: Setter<number>): FlagDefinition => ({
  name, kind: 'value', usage, set: (d, v) => apply(parseFloatValue(v, 0), d, set),
});
const duration = (name: string, usage: string, set: Setter<number>): FlagDefinition => ({
  name,
  kind: 'value',
  usage,
  set: (d, v) => {
    const p = parseGoDuration(v);
    if (p.ok && p.value < 0) return 'must not be negative';
    return apply(p, d, set);
  },
});
function oneOf<T extends string>(
  name: string,
  usage: string,
  values: readonly T[],
  set: Setter<T>,
): FlagDefinition {
  const isValue = (v: string): v is T => (values as readonly string[]).includes(v);
  return {
    name,
    kind: 'value',
    usage,
    set: (d, v) => (isValue(v) ? apply(good(v), d, set) : `must be one of ${values.join(', ')}`),
  };
}
const address = (name: string, usage: string, set: Setter<string>): FlagDefinition => ({
  name,
  kind: 'value',
  usage,
  set: (d, v) => {
    const p = parseBindAddress(v);
    return p.ok ? apply(good(v), d, set) : p.problem;
  },
});

// prettier-ignore
export const FLAG_DEFINITIONS: readonly FlagDefinition[] = [
  str('kubeconfig', 'path to a kubeconfig; otherwise KUBECONFIG, in-cluster, ~/.kube/config', (d, v) => (d.kubeconfig = v)),
  address('metrics-bind-address', 'address of the Prometheus endpoint /metrics; 0 disables', (d, v) => (d.metricsBindAddress = v)),
  address('health-probe-bind-address', 'address of /healthz and /readyz', (d, v) => (d.healthProbeBindAddress = v)),
  str('pprof-bind-address', 'accepted for compatibility, ignored (use the Node inspector)', (d, v) => {
    d.pprofBindAddress = v;
    d.warnings.push('--pprof-bind-address has no effect in kro-ts; use the Node.js inspector');
  }),
  bool('leader-elect', 'enable leader election', (d, v) => (d.leaderElect = v)),
  str('leader-election-namespace', "namespace of the Lease; empty = the pod's namespace", (d, v) => (d.leaderElectionNamespace = v)),
  duration('leader-election-lease-duration', 'Lease duration', (d, v) => (d.leaderElectionLeaseDurationMs = v)),
  duration('leader-election-renew-deadline', 'Lease renew deadline', (d, v) => (d.leaderElectionRenewDeadlineMs = v)),
  duration('leader-election-retry-period', 'Lease retry period', (d, v) => (d.leaderElectionRetryPeriodMs = v)),
  bool('enable-controller-warmup', 'start watches before winning the election', (d, v) => (d.enableControllerWarmup = v)),
  bool('allow-crd-deletion', 'delete the generated CRD with its RGD', (d, v) => (d.allowCrdDeletion = v)),
  duration('graceful-shutdown-timeout', 'drain time on SIGTERM', (d, v) => (d.gracefulShutdownTimeoutMs = v)),
  int('resource-graph-definition-concurrent-reconciles', 'RGD workers', 1, (d, v) => (d.rgdConcurrentReconciles = v)),
  int('graph-revision-concurrent-reconciles', 'GraphRevision workers (revisions are compiled inline by the RGD workers)', 1, (d, v) => (d.graphRevisionConcurrentReconciles = v)),
  int('dynamic-controller-concurrent-reconciles', 'instance workers', 1, (d, v) => (d.dynamicControllerConcurrentReconciles = v)),
  duration('dynamic-controller-rate-limiter-min-delay', 'first retry delay', (d, v) => (d.rateLimiterMinDelayMs = v)),
  duration('dynamic-controller-rate-limiter-max-delay', 'maximum retry delay', (d, v) => (d.rateLimiterMaxDelayMs = v)),
  int('dynamic-controller-rate-limiter-rate-limit', 'overall queue adds per second; 0 disables', 0, (d, v) => (d.rateLimiterRateLimit = v)),
  int('dynamic-controller-rate-limiter-burst-limit', 'overall bucket size', 1, (d, v) => (d.rateLimiterBurstLimit = v)),
  int('dynamic-controller-default-resync-period', 'full resync, in seconds', 0, (d, v) => (d.defaultResyncPeriodSeconds = v)),
  int('dynamic-controller-default-queue-max-retries', 'retries before a key is dropped', 0, (d, v) => (d.queueMaxRetries = v)),
  duration('instance-requeue-interval', 'delayed requeue while waiting; 0 disables', (d, v) => (d.instanceRequeueIntervalMs = v)),
  float('client-qps', 'API client queries per second, a ceiling (the API server\'s 429 Retry-After answers pace the client); 0 disables it', (d, v) => (d.clientQps = v)),
  int('client-burst', 'API client burst (with --client-qps)', 0, (d, v) => (d.clientBurst = v)),
  int('rgd-max-collection-size', 'maximum items of one forEach product', 1, (d, v) => (d.rgdMaxCollectionSize = v)),
  int('rgd-max-collection-dimension-size', 'maximum forEach dimensions', 1, (d, v) => (d.rgdMaxCollectionDimensionSize = v)),
  int('rgd-max-graph-revisions', 'GraphRevisions kept per RGD; 0 or less keeps all', -(2 ** 31), (d, v) => (d.rgdMaxGraphRevisions = v)),
  duration('rgd-progress-requeue-delay', 'RGD requeue while waiting', (d, v) => (d.rgdProgressRequeueDelayMs = v)),
  {
    name: 'feature-gates',
    kind: 'value',
    usage: 'Name=true|false,... (CELOmitFunction, InstanceConditionEvents, InstanceConditionMetrics)',
    set: (d, v) => apply(parseFeatureGates(v, d.featureGates), d, (dd, g) => {
      dd.featureGates = { ...g };
      for (const [gate, note] of COMPAT_GATES) if (v.includes(gate)) dd.warnings.push(`feature gate ${gate} has no effect: ${note}`);
    }),
  },
  {
    name: 'zap-log-level',
    kind: 'value',
    usage: 'debug, info, error, panic, or an integer verbosity (>= 1 debug, >= 3 trace)',
    set: (d, v) => apply(parseLogLevel(v), d, (dd, l) => (dd.log.level = l)),
  },
  oneOf('zap-encoder', 'json or console', ['json', 'console'], (d, v) => (d.log.encoder = v)),
  bool('zap-devel', 'development logging (console encoder, debug level)', (d, v) => (d.log.devel = v)),
  duration('cel-eval-timeout', 'budget per CEL evaluation; 0 disables', (d, v) => (d.celEvalTimeoutMs = v)),
  duration(
    'cel-reconcile-budget',
    'CEL time across all expressions of one reconcile; 0 disables',
    (d, v) => (d.celReconcileBudgetMs = v),
  ),
  oneOf('owner-references', 'auto or none', ['auto', 'none'], (d, v) => (d.ownerReferences = v)),
  bool('emit-events', 'emit Kubernetes Events', (d, v) => (d.emitEvents = v)),
  int('status-max-managed-resources', 'cap on status.managedResources entries', 0, (d, v) => (d.statusMaxManagedResources = v)),
];

// ---------------------------------------------------------------------------------------------
// Loading.

/** `UsageError`: exit 2. `HelpRequested`: print `formatUsage()`, exit 0 (as Go's flag package). */
export type ConfigErrorCode = 'UsageError' | 'HelpRequested';

export class ConfigError extends KroError {
  declare readonly code: ConfigErrorCode;
  readonly exitCode: 0 | 2;
  constructor(code: ConfigErrorCode, message: string) {
    super(code, message);
    this.exitCode = code === 'HelpRequested' ? 0 : 2;
  }
}

export interface LoadConfigInput {
  /** Arguments after the program name (`process.argv.slice(2)`). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Reads the real process arguments and environment. */
export function loadConfigFromProcess(): Result<Config, ConfigError> {
  return loadConfig({ argv: process.argv.slice(2), env: process.env });
}

export function loadConfig(input: LoadConfigInput): Result<Config, ConfigError> {
  const draft = defaultConfig();
  const seen = new Set<string>();
  const problem = parseArgs(input.argv, draft, seen);
  if (problem !== undefined) return err(problem);
  applyEnv(draft, input.env);
  // --zap-devel changes the defaults of level and encoder; explicit flags still win.
  if (draft.log.devel && !seen.has('zap-log-level')) draft.log.level = 'debug';
  if (draft.log.devel && !seen.has('zap-encoder')) draft.log.encoder = 'console';
  if (draft.leaderElectionRenewDeadlineMs >= draft.leaderElectionLeaseDurationMs) {
    return err(usage('leader-election-renew-deadline must be less than leader-election-lease-duration'));
  }
  if (draft.rateLimiterMinDelayMs > draft.rateLimiterMaxDelayMs) {
    return err(usage('dynamic-controller-rate-limiter-min-delay must not exceed max-delay'));
  }
  draft.warnings = [...new Set(draft.warnings)];
  return ok(deepFreeze(draft));
}

const BY_NAME: ReadonlyMap<string, FlagDefinition> = new Map(FLAG_DEFINITIONS.map((f) => [f.name, f]));

const usage = (message: string): ConfigError => new ConfigError('UsageError', message);

function parseArgs(argv: readonly string[], draft: Draft, seen: Set<string>): ConfigError | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    // kro takes no positional arguments, so anything that is not a flag is a mistake.
    if (arg === '--') return i + 1 < argv.length ? usage(`unexpected argument: ${argv[i + 1]}`) : undefined;
    if (!arg.startsWith('-') || arg === '-') return usage(`unexpected argument: ${arg}`);
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (name === '' || name.startsWith('-') || name.startsWith('=')) return usage(`bad flag syntax: ${arg}`);
    if (name === 'help' || name === 'h') return new ConfigError('HelpRequested', 'help requested');
    const def = BY_NAME.get(name);
    if (def === undefined) {
      if (!name.startsWith('zap-')) return usage(`flag provided but not defined: -${name}`);
      draft.warnings.push(`unknown flag --${name} ignored`);
      // Its value, if separate, cannot be told from a positional argument: take a non-flag next.
      const next = argv[i + 1];
      if (inline === undefined && next !== undefined && !next.startsWith('-')) i++;
      continue;
    }
    let value = inline;
    if (value === undefined && def.kind === 'bool') value = 'true';
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) return usage(`flag needs an argument: -${name}`);
      i++;
    }
    const problem = def.set(draft, value);
    if (problem !== undefined) return usage(`invalid value "${value}" for flag -${name}: ${problem}`);
    seen.add(name);
  }
  return undefined;
}

function applyEnv(draft: Draft, env: LoadConfigInput['env']): void {
  // Spec/05 §2: --kubeconfig, otherwise KUBECONFIG (in-cluster and ~/.kube/config: kube/). A
  // KUBECONFIG path list is not one path: kube/ reads and merges it as kubectl does.
  const fromEnv = env['KUBECONFIG'] ?? '';
  if (draft.kubeconfig === '' && !fromEnv.includes(delimiter)) draft.kubeconfig = fromEnv;
  // Downward API values: Event reportingInstance, Lease identity and default namespace.
  draft.podName = env['POD_NAME'] ?? env['HOSTNAME'] ?? '';
  draft.podNamespace = env['POD_NAMESPACE'] ?? '';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Help text in the order of the flag table. */
export function formatUsage(): string {
  const lines = ['Usage of kro-ts:'];
  for (const f of FLAG_DEFINITIONS) {
    lines.push(`  --${f.name}${f.kind === 'bool' ? '' : ' value'}`, `        ${f.usage}`);
  }
  return lines.join('\n');
}
