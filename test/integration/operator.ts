// Starts the kro-ts operator in-process against the harness's API server, with short requeue
// and backoff intervals, and stops it after the test file. Several test files run at once
// against one API server, so each operator handles only RGDs labelled with its own id
// (`rgdLabels()`); install the RGD CRD first (idempotent).

import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import type { InstanceReconcilerFactory } from '../../src/controller/manager.js';
import type { KubeObject } from '../../src/kube/index.js';
import { connectKube, ensureCrd } from '../../src/kube/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { Operator } from '../../src/main.js';
import { startOperator } from '../../src/main.js';
import { getKube, getKubeConfigPath, registerCleanup } from '../harness/index.js';

export const OPERATOR_LABEL = 'kro-ts.test/operator';

export interface TestOperator {
  readonly operator: Operator;
  readonly config: Config;
  readonly id: string;
  /** Labels to put on every RGD this operator should handle. */
  labels(): Record<string, string>;
  /** Captured log lines, oldest first (empty unless started with `captureLogs`). */
  logs(): readonly LogLine[];
  stop(): Promise<void>;
}

export interface StartTestOperatorOptions {
  /** Extra flags, e.g. `['--allow-crd-deletion']`. */
  readonly flags?: readonly string[];
  readonly reconcilerFactory?: InstanceReconcilerFactory;
  /** pino level for the operator's logs (default `error`; KRO_TS_TEST_LOG overrides). */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'error' | 'fatal';
  /** Reuse another operator's id to take over its RGDs (restart scenarios). */
  readonly id?: string;
  /**
   * Keep the operator's log lines in memory (read with `logs()`) instead of writing them to
   * stdout; the level defaults to `debug` then.
   */
  readonly captureLogs?: boolean;
  /** Run as another identity (e.g. a ServiceAccount token); default: the harness's admin. */
  readonly kubeconfigPath?: string;
}

/** One parsed JSON log line of the operator. */
export type LogLine = Readonly<Record<string, unknown>>;

let crdInstalled: Promise<void> | undefined;

/** Applies crds/ (the RGD and GraphRevision CRDs) and waits until they are served. */
export function installRgdCrd(): Promise<void> {
  crdInstalled ??= (async () => {
    const kube = await getKube();
    for (const file of ['kro.run_resourcegraphdefinitions.yaml', 'internal.kro.run_graphrevisions.yaml']) {
      const text = readFileSync(new URL(`../../crds/${file}`, import.meta.url), 'utf8');
      await ensureCrd(kube.resources, parse(text) as KubeObject, { timeoutMs: 60_000 });
    }
  })();
  return crdInstalled;
}

export async function startTestOperator(opts: StartTestOperatorOptions = {}): Promise<TestOperator> {
  await installRgdCrd();
  const loaded = loadConfig({
    argv: [
      '--metrics-bind-address=0',
      '--health-probe-bind-address=0',
      '--instance-requeue-interval=300ms',
      '--rgd-progress-requeue-delay=300ms',
      '--dynamic-controller-rate-limiter-min-delay=50ms',
      '--dynamic-controller-rate-limiter-max-delay=2s',
      '--dynamic-controller-concurrent-reconciles=4',
      ...(opts.flags ?? []),
    ],
    env: { POD_NAME: 'kro-ts-test' },
  });
  if (!loaded.ok) throw loaded.error;
  const config = loaded.value;
  const level =
    (process.env['KRO_TS_TEST_LOG'] as StartTestOperatorOptions['logLevel']) ??
    opts.logLevel ??
    (opts.captureLogs ? 'debug' : 'error');
  const lines: LogLine[] = [];
  const capture = {
    write: (chunk: string): void => {
      for (const text of chunk.split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine);
    },
  };
  const logger = createLogger(
    { level, encoder: 'json', devel: false },
    opts.captureLogs ? { destination: capture } : {},
  );
  const kube = await connectKube({
    kubeconfigPath: opts.kubeconfigPath ?? getKubeConfigPath(),
    userAgent: 'kro-ts-test-operator',
  });
  const id = opts.id ?? randomBytes(4).toString('hex');
  const operator = await startOperator({
    config,
    kube,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    rgdLabels: { [OPERATOR_LABEL]: id },
    ...(opts.reconcilerFactory ? { reconcilerFactory: opts.reconcilerFactory } : {}),
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await operator.stop(10_000);
    kube.close();
  };
  registerCleanup(stop);
  return { operator, config, id, labels: () => ({ [OPERATOR_LABEL]: id }), logs: () => lines, stop };
}
