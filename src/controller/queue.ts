// The work queue behind every controller (spec/05 §4). Invariants:
// - a key added several times before a worker takes it is processed once;
// - a key is never processed by two workers at once: an add while it runs marks it to run once
//   more after the current run;
// - a failure is retried after `min × 2^(failures-1)` (capped); success resets the count; after
//   `maxRetries` retries the key is dropped until its next add (kro's behaviour);
// - `requeueAfterMs` and `addAfter` are delayed requeues, not failures;
// - crash boundary: whatever the handler throws or rejects with is caught here; a key's bug never
//   stops the process or another key. Errors that are not KroErrors count as panics.
// - nothing runs before `start()` (non-leaders queue but do not reconcile), nothing after
//   `shutdown()` begins.

import { KroError } from '../lib/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { TokenBucket } from '../lib/token-bucket.js';
import { backoffDelayMs, type RetryDelayOptions } from '../lib/backoff.js';
import {
  createQueueObserver,
  noopObserver,
  type QueueMetricsStyle,
  type QueueObserver,
  type ReconcileOutcome,
} from './queue-metrics.js';

export interface ReconcileResult {
  /** Run again after this many ms (a wait, not a failure); absent or <= 0: done. */
  readonly requeueAfterMs?: number;
}

export interface ReconcileContext {
  /** Aborted when shutdown's drain time runs out; long reconciles should give up. */
  readonly signal: AbortSignal;
  /** Consecutive failures of this key so far (0 on a first attempt). */
  readonly failures: number;
}

export type ReconcileHandler = (
  key: string,
  ctx: ReconcileContext,
) => Promise<ReconcileResult | void> | ReconcileResult | void;

export interface WorkQueueOptions {
  /** `workqueue_*` name label, `controller` log field and controller-runtime label. */
  readonly name: string;
  readonly workers: number;
  readonly handler: ReconcileHandler;
  readonly logger: Logger;
  readonly backoff: RetryDelayOptions;
  /** Retries after the first failure before the key is dropped. */
  readonly maxRetries: number;
  /** Overall token bucket on adds; absent or perSecond <= 0: off (kro-ts default). */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  readonly metrics?: Metrics;
  readonly metricsStyle?: QueueMetricsStyle;
  /** Failures the code expects (API errors, ...); others are counted as panics. */
  readonly isExpectedError?: (error: unknown) => boolean;
  /** Monotonic milliseconds; `performance.now` by default. */
  readonly now?: () => number;
}

/** The per-key retry options of a queue from the `--dynamic-controller-rate-limiter-*` flags. */
export function retryOptionsFrom(config: {
  readonly rateLimiterMinDelayMs: number;
  readonly rateLimiterMaxDelayMs: number;
  readonly queueMaxRetries: number;
}): Pick<WorkQueueOptions, 'backoff' | 'maxRetries'> {
  return {
    backoff: { minDelayMs: config.rateLimiterMinDelayMs, maxDelayMs: config.rateLimiterMaxDelayMs },
    maxRetries: config.queueMaxRetries,
  };
}

export interface ShutdownResult {
  /** True when every in-flight reconcile finished within the timeout. */
  readonly drained: boolean;
  /** Keys still running when the timeout passed. */
  readonly abandoned: readonly string[];
}

interface Waiting {
  readonly at: number;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class WorkQueue {
  private readonly ready = new Set<string>(); // insertion-ordered: FIFO
  private readonly running = new Map<
    string,
    { readonly startedAt: number; readonly abort: AbortController }
  >();
  private readonly rerun = new Set<string>();
  private readonly waiting = new Map<string, Waiting>();
  private readonly throttled = new Set<string>(); // waiting for a bucket token, already reserved
  private readonly failures = new Map<string, number>();
  private readonly enqueuedAt = new Map<string, number>();
  private readonly bucket: TokenBucket | undefined;
  private readonly observer: QueueObserver;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly isExpected: (error: unknown) => boolean;
  private readonly unregisterProbe: () => void;
  private started = false;
  private stopping = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: WorkQueueOptions) {
    if (!(options.workers >= 1)) throw new RangeError(`workers must be >= 1, got ${options.workers}`);
    this.now = options.now ?? (() => performance.now());
    this.log = options.logger.child({ controller: options.name });
    this.isExpected = options.isExpectedError ?? ((e) => e instanceof KroError);
    const rate = options.rateLimit;
    this.bucket =
      rate !== undefined && rate.perSecond > 0
        ? new TokenBucket({ ratePerSecond: rate.perSecond, burst: Math.max(1, rate.burst), now: this.now })
        : undefined;
    const { metrics } = options;
    this.observer =
      metrics === undefined
        ? noopObserver
        : createQueueObserver({
            metrics,
            name: options.name,
            workers: options.workers,
            style: options.metricsStyle ?? { kind: 'controller-runtime' },
          });
    this.unregisterProbe =
      metrics?.registerQueueProbe(options.name, {
        unfinishedWorkSeconds: () => this.unfinishedWorkSeconds(),
        longestRunningProcessorSeconds: () => this.longestRunningSeconds(),
      }) ?? (() => undefined);
  }

  /** Starts the workers; keys added before are processed now. */
  start(): void {
    if (this.stopping) return;
    this.started = true;
    this.pump();
  }

  /** Queues `key` for processing (a watch event, a resync). */
  add(key: string): void {
    if (this.stopping || this.ready.has(key) || this.throttled.has(key)) return;
    if (this.running.has(key)) {
      this.markRerun(key);
      return;
    }
    const delay = this.bucket?.reserve() ?? 0;
    if (delay > 0) {
      this.throttled.add(key);
      this.schedule(key, delay);
      return;
    }
    this.pushReady(key);
  }

  /** Queues `key` after `ms` (a delayed requeue; not a failure). The earliest pending time wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) this.add(key);
    else this.schedule(key, ms);
  }

  /** Forgets a key's failures and pending delayed adds (its object is gone). */
  forget(key: string): void {
    this.failures.delete(key);
    this.throttled.delete(key);
    const w = this.waiting.get(key);
    if (w !== undefined) clearTimeout(w.timer);
    this.waiting.delete(key);
  }

  /** Consecutive failures recorded for `key`. */
  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  stats(): { readonly ready: number; readonly running: number; readonly waiting: number } {
    return { ready: this.ready.size, running: this.running.size, waiting: this.waiting.size };
  }

  /**
   * Stops taking work (queued and delayed keys are discarded: the next leader or start relists)
   * and waits up to `timeoutMs` for running reconciles; then aborts their signals.
   */
  async shutdown(timeoutMs: number): Promise<ShutdownResult> {
    this.stopping = true;
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
    this.throttled.clear();
    this.ready.clear();
    this.rerun.clear();
    this.enqueuedAt.clear();
    this.observer.depth(0);
    try {
      if (this.running.size === 0) return { drained: true, abandoned: [] };
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const drained = await Promise.race([idle, late]);
      clearTimeout(timer);
      if (drained) return { drained: true, abandoned: [] };
      const abandoned = [...this.running.keys()];
      for (const r of this.running.values()) r.abort.abort(new Error('work queue shut down'));
      this.log.warn({ abandoned: abandoned.length }, 'Shutdown timeout reached with reconciles in flight');
      return { drained: false, abandoned };
    } finally {
      this.unregisterProbe();
    }
  }

  private schedule(key: string, ms: number): void {
    const at = this.now() + ms;
    const existing = this.waiting.get(key);
    if (existing !== undefined) {
      if (existing.at <= at) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => this.fire(key), Math.ceil(ms));
    this.waiting.set(key, { at, timer });
  }

  private fire(key: string): void {
    this.waiting.delete(key);
    this.throttled.delete(key);
    if (this.stopping || this.ready.has(key)) return;
    if (this.running.has(key)) this.markRerun(key);
    else this.pushReady(key);
  }

  private markRerun(key: string): void {
    if (this.rerun.has(key)) return;
    this.rerun.add(key);
    this.observer.added();
  }

  private pushReady(key: string): void {
    this.ready.add(key);
    this.enqueuedAt.set(key, this.now());
    this.observer.added();
    this.observer.depth(this.ready.size);
    this.pump();
  }

  private pump(): void {
    while (this.started && !this.stopping && this.running.size < this.options.workers) {
      const next = this.ready.values().next();
      if (next.done === true) return;
      this.ready.delete(next.value);
      this.observer.depth(this.ready.size);
      // process() handles its own failures; this catch only guards against a bug in that code.
      this.process(next.value).catch((error: unknown) =>
        this.log.error({ err: error }, 'Work queue bookkeeping failed'),
      );
    }
  }

  private async process(key: string): Promise<void> {
    const startedAt = this.now();
    const abort = new AbortController();
    this.running.set(key, { startedAt, abort });
    const waited = startedAt - (this.enqueuedAt.get(key) ?? startedAt);
    this.enqueuedAt.delete(key);
    let outcome: ReconcileOutcome;
    let requeueAfterMs = 0;
    let failure: unknown;
    try {
      this.safely(() => this.observer.started(key, waited, this.running.size));
      const ctx: ReconcileContext = { signal: abort.signal, failures: this.failureCount(key) };
      const result = await this.options.handler(key, ctx);
      requeueAfterMs = result?.requeueAfterMs ?? 0;
      outcome = requeueAfterMs > 0 ? 'requeue_after' : 'success';
    } catch (error) {
      failure = error;
      outcome = this.isExpected(error) ? 'error' : 'panic';
    }
    this.running.delete(key);
    this.safely(() => this.observer.finished(key, outcome, this.now() - startedAt, this.running.size));
    if (outcome === 'error' || outcome === 'panic') this.retryOrDrop(key, outcome, failure);
    else this.succeeded(key, requeueAfterMs);
    if (this.rerun.delete(key) && !this.stopping && !this.ready.has(key)) {
      this.ready.add(key);
      this.enqueuedAt.set(key, this.now());
      this.observer.depth(this.ready.size);
    }
    if (this.stopping && this.running.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    this.pump();
  }

  private succeeded(key: string, requeueAfterMs: number): void {
    this.failures.delete(key);
    if (requeueAfterMs > 0) this.addAfter(key, requeueAfterMs);
  }

  private retryOrDrop(key: string, outcome: 'error' | 'panic', error: unknown): void {
    const failures = this.failureCount(key) + 1;
    const fields = { key, failures, err: error instanceof Error ? error : new Error(String(error)) };
    if (outcome === 'panic') this.log.error(fields, 'Reconcile crashed; caught by the crash boundary');
    else this.log.warn(fields, 'Reconcile failed');
    if (failures > this.options.maxRetries) {
      this.failures.delete(key);
      this.log.error({ key, failures }, 'Dropping item from queue after max retries');
      return;
    }
    this.failures.set(key, failures);
    if (this.stopping) return;
    const delay = Math.max(backoffDelayMs(failures, this.options.backoff), this.bucket?.reserve() ?? 0);
    this.safely(() => this.observer.retried(key));
    this.schedule(key, delay);
  }

  /** Metrics must never break the queue's bookkeeping (a bad label value, say). */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error({ err: error }, 'Recording queue metrics failed');
    }
  }

  private unfinishedWorkSeconds(): number {
    const now = this.now();
    let total = 0;
    for (const r of this.running.values()) total += now - r.startedAt;
    return total / 1000;
  }

  private longestRunningSeconds(): number {
    const now = this.now();
    let longest = 0;
    for (const r of this.running.values()) longest = Math.max(longest, now - r.startedAt);
    return longest / 1000;
  }
}
