// Process entry (spec 05 §1): flags (exit 2 on a usage error) → logger → metrics → probe servers →
// API client (readyz once the API server answered) → leader election (if enabled) → RGD
// controller and instance manager. SIGTERM/SIGINT: stop taking work, drain for up to
// --graceful-shutdown-timeout, release the Lease, exit 0. Losing the Lease exits 1.
// `startOperator` is the same wiring without process concerns, used by integration tests.

import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import { formatUsage, loadConfigFromProcess } from './config.js';
import { startProbeServers } from './controller/health.js';
import type { ProbeServers } from './controller/health.js';
import { LeaderElector } from './controller/leader-election.js';
import type { InstanceReconcilerFactory } from './controller/manager.js';
import { InstanceManager } from './controller/manager.js';
import { RgdController } from './controller/rgd/index.js';
import { createEventSink } from './kube/event-sink.js';
import type { Kube } from './kube/index.js';
import type { RequestObserver } from './kube/index.js';
import { connectKube, getServerVersion } from './kube/index.js';
import { EventRecorder } from './observability/events.js';
import type { Logger } from './observability/logger.js';
import { createLogger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import { createMetrics } from './observability/metrics.js';
import { installProcessHandlers } from './process-handlers.js';
import { exponentialDelayMs } from './lib/backoff.js';

export interface OperatorOptions {
  readonly config: Config;
  readonly kube: Kube;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly reconcilerFactory?: InstanceReconcilerFactory;
  /** Only RGDs with these labels (tests sharing one API server). */
  readonly rgdLabels?: Readonly<Record<string, string>>;
}

export interface Operator {
  readonly manager: InstanceManager;
  readonly rgdController: RgdController;
  readonly events: EventRecorder;
  /** Starts the RGD and CRD watches only (`--enable-controller-warmup` on non-leaders). */
  warmUp(): void;
  /** Starts reconciling (the leader). */
  start(): void;
  /** Stops taking work, drains for up to `timeoutMs`, stops watches, flushes events. */
  stop(timeoutMs: number): Promise<{ drained: boolean }>;
}

/** The controllers of one leader, started. */
export async function startOperator(options: OperatorOptions): Promise<Operator> {
  const operator = createOperator(options);
  operator.start();
  return Promise.resolve(operator);
}

/** The controllers of one leader: RGD controller, instance manager, events; nothing started. */
export function createOperator(options: OperatorOptions): Operator {
  const { config, kube, logger, metrics } = options;
  const events = new EventRecorder({
    sink: createEventSink(kube.resources),
    enabled: config.emitEvents,
    reportingInstance: config.podName || hostname(),
    logger: logger.child({ logger: 'events' }),
    metrics,
  });
  const manager = new InstanceManager({
    kube,
    config,
    logger,
    metrics,
    events,
    ...(options.reconcilerFactory ? { reconcilerFactory: options.reconcilerFactory } : {}),
  });
  const rgdController = new RgdController({
    kube,
    manager,
    config,
    logger,
    metrics,
    events,
    ...(options.rgdLabels ? { rgdLabels: options.rgdLabels } : {}),
  });
  return {
    manager,
    rgdController,
    events,
    warmUp: () => rgdController.startWatches(),
    start: () => {
      manager.start();
      rgdController.start();
    },
    stop: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      const rgd = await rgdController.shutdown(timeoutMs);
      const inst = await manager.shutdown(Math.max(0, deadline - Date.now()));
      await events.flush();
      return { drained: rgd.drained && inst.drained };
    },
  };
}

async function waitForApiServer(kube: Kube, probes: ProbeServers, logger: Logger): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const v = await getServerVersion(kube.client);
      logger.info(
        {
          version: v.gitVersion,
          server: kube.client.server,
          kubeconfig: kube.client.origin,
          credentials: kube.client.credentials,
        },
        'Connected to the API server',
      );
      probes.markReady();
      return;
    } catch (err) {
      probes.markNotReady('API server not reachable');
      logger.warn({ err }, 'API server not reachable; retrying');
      await new Promise((r) => setTimeout(r, exponentialDelayMs(attempt, 200, 5000)));
    }
  }
}

export async function main(): Promise<number> {
  installProcessHandlers();
  const loaded = loadConfigFromProcess();
  if (!loaded.ok) {
    if (loaded.error.code === 'HelpRequested') {
      process.stdout.write(`${formatUsage()}\n`);
      return 0;
    }
    process.stderr.write(`${loaded.error.message}\n${formatUsage()}\n`);
    return 2;
  }
  const config = loaded.value;
  const logger = createLogger(config.log);
  installProcessHandlers(logger);
  for (const w of config.warnings) logger.warn({}, w);
  const metrics = createMetrics();
  const probes = await startProbeServers({
    healthAddress: config.healthProbeBindAddress,
    metricsAddress: config.metricsBindAddress,
    metrics: metrics.registry,
    logger: logger.child({ logger: 'probes' }),
  });
  const kube = await connectKube({
    ...(config.kubeconfig ? { kubeconfigPath: config.kubeconfig } : {}),
    qps: config.clientQps,
    burst: config.clientBurst,
    userAgent: 'kro-ts',
    observer: restClientObserver(metrics),
  });
  await waitForApiServer(kube, probes, logger);
  return runUntilSignal({ config, kube, logger, metrics, probes });
}

/** Feeds kro's rest_client_* metrics from the kube client's per-request observations. */
export function restClientObserver(metrics: Metrics): RequestObserver {
  return (o) => {
    const labels = { verb: o.verb, host: o.host };
    metrics.restRequestDuration.observe(labels, o.seconds);
    metrics.restRateLimiterDuration.observe(labels, o.rateLimiterSeconds);
    metrics.restRequestSize.observe(labels, o.requestBytes);
    if (o.responseBytes !== undefined) metrics.restResponseSize.observe(labels, o.responseBytes);
    metrics.restRequestsTotal.inc({ code: o.code, method: o.verb, host: o.host });
  };
}

interface RunInput extends OperatorOptions {
  readonly probes: ProbeServers;
}

async function runUntilSignal(input: RunInput): Promise<number> {
  const { config, kube, logger, metrics, probes } = input;
  let operator: Operator | undefined;
  let elector: LeaderElector | undefined;
  const exit = new Promise<number>((resolve) => {
    const onSignal = (signal: string): void => {
      logger.info({ signal }, 'Shutting down');
      void (async () => {
        const result = await operator?.stop(config.gracefulShutdownTimeoutMs);
        if (result && !result.drained) logger.warn({}, 'Graceful shutdown timed out; abandoning reconciles');
        await elector?.release();
        await probes.close();
        kube.close();
        resolve(0);
      })();
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
    const lead = (): void => {
      operator ??= createOperator({ config, kube, logger, metrics });
      operator.start();
    };
    if (!config.leaderElect) {
      lead();
      return;
    }
    if (config.enableControllerWarmup) {
      operator = createOperator({ config, kube, logger, metrics });
      operator.warmUp();
    }
    elector = new LeaderElector({
      kube,
      namespace: config.leaderElectionNamespace || config.podNamespace || 'default',
      identity: `${config.podName || hostname()}_${randomUUID()}`,
      leaseDurationMs: config.leaderElectionLeaseDurationMs,
      renewDeadlineMs: config.leaderElectionRenewDeadlineMs,
      retryPeriodMs: config.leaderElectionRetryPeriodMs,
      logger: logger.child({ logger: 'leader-election' }),
      metrics,
      onStartedLeading: lead,
      onStoppedLeading: () => {
        logger.error({}, 'Leader election lost');
        resolve(1);
      },
    });
    void elector.run();
  });
  return exit;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
