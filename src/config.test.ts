import { describe, expect, it } from 'vitest';
import {
  FLAG_DEFINITIONS,
  formatUsage,
  loadConfig,
  parseBindAddress,
  parseFeatureGates,
  parseGoDuration,
  parseLogLevel,
  type Config,
} from './config.js';

function load(argv: string[], env: Record<string, string> = {}): Config {
  const r = loadConfig({ argv, env });
  if (!r.ok) throw new Error(`unexpected config error: ${r.error.message}`);
  return r.value;
}

function loadError(argv: string[]): { code: string; message: string; exitCode: number } {
  const r = loadConfig({ argv, env: {} });
  if (r.ok) throw new Error(`expected an error for ${argv.join(' ')}`);
  return { code: r.error.code, message: r.error.message, exitCode: r.error.exitCode };
}

describe('loadConfig defaults', () => {
  it('has kro-ts defaults (spec 05 §2)', () => {
    const c = load([]);
    expect(c).toMatchObject({
      kubeconfig: '',
      metricsBindAddress: ':8078',
      healthProbeBindAddress: ':8079',
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
      clientQps: 5000,
      clientBurst: 10000,
      rgdMaxCollectionSize: 1000,
      rgdMaxCollectionDimensionSize: 10,
      rgdMaxGraphRevisions: 5,
      rgdProgressRequeueDelayMs: 3_000,
      featureGates: { CELOmitFunction: false },
      log: { level: 'info', encoder: 'json', devel: false },
      celEvalTimeoutMs: 100,
      celReconcileBudgetMs: 1000,
      ownerReferences: 'auto',
      emitEvents: true,
      statusMaxManagedResources: 500,
      warnings: [],
    });
  });

  it('returns a deeply frozen object', () => {
    const c = load([]);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.log)).toBe(true);
    expect(Object.isFrozen(c.featureGates)).toBe(true);
    expect(Object.isFrozen(c.warnings)).toBe(true);
  });
});

describe('loadConfig flags', () => {
  const cases: Array<[string, string[], Partial<Record<keyof Config, unknown>>]> = [
    ['--flag=value', ['--kubeconfig=/k'], { kubeconfig: '/k' }],
    ['--flag value', ['--kubeconfig', '/k'], { kubeconfig: '/k' }],
    ['single dash', ['-kubeconfig=/k'], { kubeconfig: '/k' }],
    ['bare boolean', ['--leader-elect'], { leaderElect: true }],
    ['boolean =false', ['--emit-events=false'], { emitEvents: false }],
    ['boolean =0 / =T', ['--emit-events=0', '--allow-crd-deletion=T'], { emitEvents: false, allowCrdDeletion: true }],
    ['last wins', ['--client-burst=1', '--client-burst', '7'], { clientBurst: 7 }],
    ['float qps', ['--client-qps=2.5'], { clientQps: 2.5 }],
    ['duration 1h30m', ['--graceful-shutdown-timeout=1h30m'], { gracefulShutdownTimeoutMs: 5_400_000 }],
    ['duration 0', ['--instance-requeue-interval=0'], { instanceRequeueIntervalMs: 0 }],
    ['duration ms', ['--cel-eval-timeout', '250ms'], { celEvalTimeoutMs: 250 }],
    ['reconcile budget', ['--cel-reconcile-budget', '2s'], { celReconcileBudgetMs: 2000 }],
    ['metrics off', ['--metrics-bind-address=0'], { metricsBindAddress: '0' }],
    ['probe address', ['--health-probe-bind-address=127.0.0.1:9000'], { healthProbeBindAddress: '127.0.0.1:9000' }],
    ['workers', ['--dynamic-controller-concurrent-reconciles=3'], { dynamicControllerConcurrentReconciles: 3 }],
    ['rgd workers', ['--resource-graph-definition-concurrent-reconciles=2'], { rgdConcurrentReconciles: 2 }],
    ['bucket on', ['--dynamic-controller-rate-limiter-rate-limit=10'], { rateLimiterRateLimit: 10 }],
    ['backoff', ['--dynamic-controller-rate-limiter-min-delay=1s', '--dynamic-controller-rate-limiter-max-delay=1m'], { rateLimiterMinDelayMs: 1000, rateLimiterMaxDelayMs: 60_000 }],
    ['resync seconds', ['--dynamic-controller-default-resync-period=60'], { defaultResyncPeriodSeconds: 60 }],
    ['max retries', ['--dynamic-controller-default-queue-max-retries=0'], { queueMaxRetries: 0 }],
    ['owner refs', ['--owner-references=none'], { ownerReferences: 'none' }],
    ['status cap', ['--status-max-managed-resources=10'], { statusMaxManagedResources: 10 }],
    ['lease timing', ['--leader-election-lease-duration=30s', '--leader-election-renew-deadline=20s', '--leader-election-retry-period=5s'], { leaderElectionLeaseDurationMs: 30_000, leaderElectionRenewDeadlineMs: 20_000, leaderElectionRetryPeriodMs: 5_000 }],
    ['collections', ['--rgd-max-collection-size=5', '--rgd-max-collection-dimension-size=2'], { rgdMaxCollectionSize: 5, rgdMaxCollectionDimensionSize: 2 }],
    ['later-stage flags accepted', ['--graph-revision-concurrent-reconciles=4', '--rgd-max-graph-revisions=9'], { graphRevisionConcurrentReconciles: 4, rgdMaxGraphRevisions: 9 }],
    ['progress delay', ['--rgd-progress-requeue-delay=10s'], { rgdProgressRequeueDelayMs: 10_000 }],
    ['warmup', ['--enable-controller-warmup', '--leader-election-namespace=kro-system'], { enableControllerWarmup: true, leaderElectionNamespace: 'kro-system' }],
  ]; // prettier-ignore

  it.each(cases)('%s', (_name, argv, expected) => {
    expect(load(argv)).toMatchObject(expected);
  });

  it('reads KUBECONFIG and Downward API env when flags are absent', () => {
    const c = load([], { KUBECONFIG: '/env/k', POD_NAME: 'kro-abc', POD_NAMESPACE: 'kro-system' });
    expect(c).toMatchObject({ kubeconfig: '/env/k', podName: 'kro-abc', podNamespace: 'kro-system' });
    expect(load(['--kubeconfig=/flag'], { KUBECONFIG: '/env/k' }).kubeconfig).toBe('/flag');
    // A path list is left to the loader, which merges it as kubectl does.
    expect(load([], { KUBECONFIG: '/env/a:/env/b' }).kubeconfig).toBe('');
    expect(load([], { HOSTNAME: 'host-1' }).podName).toBe('host-1');
  });

  it('accepts --pprof-bind-address with a warning', () => {
    const c = load(['--pprof-bind-address=:6060']);
    expect(c.warnings).toEqual([expect.stringContaining('pprof')]);
  });

  it('accepts unknown --zap-* flags with a warning, consuming a separate value', () => {
    const c = load(['--zap-stacktrace-level', 'error', '--zap-time-encoding=iso8601', '--leader-elect']);
    expect(c.leaderElect).toBe(true);
    expect(c.warnings).toEqual([
      'unknown flag --zap-stacktrace-level ignored',
      'unknown flag --zap-time-encoding ignored',
    ]);
  });
});

describe('loadConfig logging flags', () => {
  const cases: Array<[string[], Config['log']]> = [
    [[], { level: 'info', encoder: 'json', devel: false }],
    [['--zap-log-level=debug'], { level: 'debug', encoder: 'json', devel: false }],
    [['--zap-log-level=error'], { level: 'error', encoder: 'json', devel: false }],
    [['--zap-log-level=1'], { level: 'debug', encoder: 'json', devel: false }],
    [['--zap-log-level=2'], { level: 'debug', encoder: 'json', devel: false }],
    [['--zap-log-level=3'], { level: 'trace', encoder: 'json', devel: false }],
    [['--zap-log-level=10'], { level: 'trace', encoder: 'json', devel: false }],
    [['--zap-encoder=console'], { level: 'info', encoder: 'console', devel: false }],
    [['--zap-devel'], { level: 'debug', encoder: 'console', devel: true }],
    [
      ['--zap-devel', '--zap-log-level=error', '--zap-encoder=json'],
      { level: 'error', encoder: 'json', devel: true },
    ],
  ];
  it.each(cases)('%j', (argv, expected) => {
    expect(load(argv).log).toEqual(expected);
  });
});

describe('loadConfig feature gates', () => {
  it.each([
    ['', { CELOmitFunction: false }],
    ['CELOmitFunction=true', { CELOmitFunction: true }],
    [' CELOmitFunction = true , InstanceConditionEvents=false', { CELOmitFunction: true }],
    ['InstanceConditionMetrics=true', { CELOmitFunction: false, InstanceConditionMetrics: true }],
  ])('%j', (value, expected) => {
    expect(load([`--feature-gates=${value}`]).featureGates).toMatchObject(expected);
  });

  it('warns once per use of a compatibility-only gate', () => {
    const c = load([
      '--feature-gates=InstanceConditionEvents=true,InstanceConditionMetrics=false,CELOmitFunction=true',
    ]);
    expect(c.warnings).toEqual([
      'feature gate InstanceConditionEvents has no effect: events are on by default; use --emit-events=false to turn them off',
      'feature gate InstanceConditionMetrics has no effect: not implemented in this stage',
    ]);
    expect(load(['--feature-gates=CELOmitFunction=true']).warnings).toEqual([]);
    const twice = load([
      '--feature-gates=InstanceConditionEvents=true',
      '--feature-gates=InstanceConditionEvents=false',
    ]);
    expect(twice.warnings).toHaveLength(1);
  });

  it('merges repeated --feature-gates', () => {
    const c = load(['--feature-gates=CELOmitFunction=true', '--feature-gates=InstanceConditionEvents=true']);
    expect(c.featureGates).toEqual({
      CELOmitFunction: true,
      InstanceConditionEvents: true,
      InstanceConditionMetrics: false,
    });
  });
});

describe('loadConfig errors', () => {
  const cases: Array<[string[], string]> = [
    [['--no-such-flag'], 'flag provided but not defined: -no-such-flag'],
    [['--feature-gates=Bogus=true'], 'unrecognized feature gate: Bogus'],
    [['--feature-gates=CELOmitFunction'], 'missing bool value for CELOmitFunction'],
    [['--feature-gates=CELOmitFunction=maybe'], 'invalid value of CELOmitFunction=maybe'],
    [['--graceful-shutdown-timeout=10'], 'missing unit in duration "10"'],
    [['--graceful-shutdown-timeout=10x'], 'unknown unit "x"'],
    [['--graceful-shutdown-timeout=-1s'], 'must not be negative'],
    [['--client-burst=abc'], 'invalid value "abc" for flag -client-burst: parse error'],
    [['--dynamic-controller-concurrent-reconciles=0'], 'must be >= 1'],
    [['--leader-elect=maybe'], 'invalid value "maybe" for flag -leader-elect'],
    [['--zap-log-level=verbose'], 'invalid log level "verbose"'],
    [['--zap-log-level=0'], 'invalid log level "0"'],
    [['--zap-encoder=xml'], 'invalid value "xml" for flag -zap-encoder: must be one of json, console'],
    [['--owner-references=always'], 'must be one of auto, none'],
    [['--metrics-bind-address=8080'], 'invalid bind address'],
    [['--kubeconfig'], 'flag needs an argument: -kubeconfig'],
    [['positional'], 'unexpected argument: positional'],
    [['--', 'x'], 'unexpected argument: x'],
    [['---x'], 'bad flag syntax'],
    [['--leader-election-renew-deadline=20s'], 'renew-deadline must be less than'],
    [['--dynamic-controller-rate-limiter-min-delay=2h'], 'min-delay must not exceed max-delay'],
  ];
  it.each(cases)('%j', (argv, message) => {
    const e = loadError(argv);
    expect(e.code).toBe('UsageError');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(message);
  });

  it('reports --help as HelpRequested with exit code 0', () => {
    for (const argv of [['--help'], ['-h']]) {
      expect(loadError(argv)).toMatchObject({ code: 'HelpRequested', exitCode: 0 });
    }
    const text = formatUsage();
    for (const f of FLAG_DEFINITIONS) expect(text).toContain(`--${f.name}`);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['-0', 0],
    ['3s', 3000],
    ['200ms', 200],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['1000s', 1_000_000],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['1m0.5s', 60_500],
    ['-2s', -2000],
    ['+2s', 2000],
  ])('%s = %d ms', (input, ms) => {
    const r = parseGoDuration(input);
    expect(r).toEqual({ ok: true, value: ms });
  });

  it.each(['', 's', '.s', '1', '1h5', '1d', 'abc', '3 s', '--1s'])('rejects %j', (input) => {
    expect(parseGoDuration(input).ok).toBe(false);
  });
});

describe('parseBindAddress', () => {
  it.each([
    [':8078', { host: '', port: 8078 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
    ['0', null],
    ['', null],
  ])('%j', (input, expected) => {
    expect(parseBindAddress(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['8080', ':99999', 'host:', '::1:80', ':abc'])('rejects %j', (input) => {
    expect(parseBindAddress(input).ok).toBe(false);
  });
});

describe('parseFeatureGates / parseLogLevel', () => {
  const base = { CELOmitFunction: false, InstanceConditionEvents: false, InstanceConditionMetrics: false };
  it('does not mutate the base', () => {
    const r = parseFeatureGates('CELOmitFunction=true', base);
    expect(r.ok && r.value.CELOmitFunction).toBe(true);
    expect(base.CELOmitFunction).toBe(false);
  });
  it('maps panic to fatal', () => {
    expect(parseLogLevel('panic')).toEqual({ ok: true, value: 'fatal' });
  });
});
