import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KroError } from '../lib/errors.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { WorkQueue, type ReconcileHandler, type ReconcileResult, type WorkQueueOptions } from './queue.js';

interface Deferred {
  promise: Promise<ReconcileResult | void>;
  resolve: (v?: ReconcileResult) => void;
  reject: (e: unknown) => void;
}
function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  let reject!: Deferred['reject'];
  const promise = new Promise<ReconcileResult | void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function logSink(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', encoder: 'json', devel: false }, { destination: stream });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

class Failure extends KroError {
  constructor() {
    super('TestFailure', 'expected failure');
  }
}

const queues: WorkQueue[] = [];
function makeQueue(handler: ReconcileHandler, overrides: Partial<WorkQueueOptions> = {}) {
  const log = logSink();
  const q = new WorkQueue({
    name: 'test',
    workers: 1,
    handler,
    logger: log.logger,
    backoff: { minDelayMs: 100, maxDelayMs: 1000 },
    maxRetries: 20,
    ...overrides,
  });
  queues.push(q);
  return { q, lines: log.lines };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  for (const q of queues.splice(0)) void q.shutdown(0);
  await vi.runOnlyPendingTimersAsync();
  vi.useRealTimers();
});

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('WorkQueue ordering and de-duplication', () => {
  it('does nothing before start, then processes each queued key once in FIFO order', async () => {
    const seen: string[] = [];
    const { q } = makeQueue((key) => void seen.push(key));
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('a');
    await flush();
    expect(seen).toEqual([]);
    q.start();
    await flush();
    expect(seen).toEqual(['a', 'b']);
  });

  it('never runs one key on two workers; an add in flight re-runs it once after', async () => {
    const runs: Deferred[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const { q } = makeQueue(
      async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        const d = deferred();
        runs.push(d);
        await d.promise;
        concurrent--;
      },
      { workers: 4 },
    );
    q.start();
    q.add('a');
    await flush();
    expect(runs).toHaveLength(1);
    q.add('a');
    q.add('a');
    q.addAfter('a', 0);
    await flush();
    expect(runs).toHaveLength(1);
    runs[0]?.resolve();
    await flush();
    expect(runs).toHaveLength(2);
    runs[1]?.resolve();
    await flush();
    expect(runs).toHaveLength(2);
    expect(maxConcurrent).toBe(1);
  });

  it('runs at most N keys at once', async () => {
    const running = new Map<string, Deferred>();
    const { q } = makeQueue(
      async (key) => {
        const d = deferred();
        running.set(key, d);
        await d.promise;
        running.delete(key);
      },
      { workers: 2 },
    );
    q.start();
    for (const k of ['a', 'b', 'c']) q.add(k);
    await flush();
    expect([...running.keys()]).toEqual(['a', 'b']);
    expect(q.stats()).toEqual({ ready: 1, running: 2, waiting: 0 });
    running.get('a')?.resolve();
    await flush();
    expect([...running.keys()].sort()).toEqual(['b', 'c']);
  });
});

describe('WorkQueue retries', () => {
  it('backs off min × 2^(failures-1), capped at max', async () => {
    const times: number[] = [];
    const start = Date.now();
    const { q } = makeQueue(() => {
      times.push(Date.now() - start);
      throw new Failure();
    });
    q.start();
    q.add('a');
    await vi.advanceTimersByTimeAsync(5000);
    // delays 100, 200, 400, 800, 1000, 1000, ...
    expect(times.slice(0, 7)).toEqual([0, 100, 300, 700, 1500, 2500, 3500]);
  });

  it('resets the failure count on success', async () => {
    const outcomes = ['fail', 'fail', 'ok', 'fail'];
    const failuresSeen: number[] = [];
    const { q } = makeQueue((_key, ctx) => {
      failuresSeen.push(ctx.failures);
      if (outcomes.shift() === 'fail') throw new Failure();
    });
    q.start();
    q.add('a');
    await vi.advanceTimersByTimeAsync(300);
    expect(failuresSeen).toEqual([0, 1, 2]);
    expect(q.failureCount('a')).toBe(0);
    q.add('a');
    await flush();
    expect(q.failureCount('a')).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(failuresSeen).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(failuresSeen).toEqual([0, 1, 2, 0, 1]);
  });

  it('drops a key after maxRetries retries with a log line, until its next add', async () => {
    let calls = 0;
    const { q, lines } = makeQueue(
      () => {
        calls++;
        throw new Failure();
      },
      { maxRetries: 2 },
    );
    q.start();
    q.add('a');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(3);
    expect(q.stats()).toEqual({ ready: 0, running: 0, waiting: 0 });
    expect(lines().filter((l) => l['msg'] === 'Dropping item from queue after max retries')).toEqual([
      expect.objectContaining({ level: 'error', key: 'a', failures: 3, controller: 'test' }),
    ]);
    q.add('a');
    await flush();
    expect(calls).toBe(4);
  });

  it('treats requeueAfterMs as a delayed requeue, not a failure', async () => {
    const times: number[] = [];
    const failures: number[] = [];
    const start = Date.now();
    const { q } = makeQueue((_k, ctx) => {
      times.push(Date.now() - start);
      failures.push(ctx.failures);
      return { requeueAfterMs: 500 };
    });
    q.start();
    q.add('a');
    await vi.advanceTimersByTimeAsync(1600);
    expect(times).toEqual([0, 500, 1000, 1500]);
    expect(failures).toEqual([0, 0, 0, 0]);
  });

  it('addAfter keeps the earliest pending time and a plain add does not wait for it', async () => {
    const times: number[] = [];
    const start = Date.now();
    const { q } = makeQueue(() => void times.push(Date.now() - start));
    q.start();
    q.addAfter('a', 1000);
    q.addAfter('a', 300);
    q.addAfter('a', 2000);
    await vi.advanceTimersByTimeAsync(2500);
    expect(times).toEqual([300]);
    q.addAfter('b', 1000);
    q.add('b');
    await flush();
    expect(times).toEqual([300, 2500]);
  });

  it('forget cancels pending retries and clears failures', async () => {
    let calls = 0;
    const { q } = makeQueue(() => {
      calls++;
      throw new Failure();
    });
    q.start();
    q.add('a');
    await flush();
    expect(q.failureCount('a')).toBe(1);
    q.forget('a');
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(1);
    expect(q.failureCount('a')).toBe(0);
  });
});

describe('WorkQueue crash boundary', () => {
  it.each([
    [
      'a thrown TypeError',
      () => {
        throw new TypeError('bug');
      },
    ],
    ['a rejected promise', () => Promise.reject(new RangeError('async bug'))],
    [
      'a thrown non-Error',
      () => {
        throw 'just a string';
      },
    ],
  ] as const)('catches %s, logs it with a stack, counts a panic and retries', async (_name, crash) => {
    const metrics = createMetrics({ defaultMetrics: false });
    const seen: string[] = [];
    let first = true;
    const { q, lines } = makeQueue(
      (key) => {
        seen.push(key);
        if (key === 'bad' && first) {
          first = false;
          return crash();
        }
        return undefined;
      },
      {
        metrics,
        metricsStyle: { kind: 'dynamic-controller', gvrOf: () => 'kro.run/v1alpha1, Resource=webapps' },
      },
    );
    q.start();
    q.add('bad');
    q.add('good');
    await flush();
    expect(seen).toEqual(['bad', 'good']);
    const crashLine = lines().find((l) => l['msg'] === 'Reconcile crashed; caught by the crash boundary');
    expect(crashLine).toMatchObject({ level: 'error', key: 'bad', failures: 1 });
    expect(String((crashLine?.['err'] as Record<string, unknown>)['stack'])).toMatch(/Error/);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'dynamic_controller_reconcile_panics_total{gvr="kro.run/v1alpha1, Resource=webapps"} 1',
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual(['bad', 'good', 'bad']);
  });

  it('counts expected errors as handler errors, not panics, and logs them at warn', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const { q, lines } = makeQueue(
      () => {
        throw new Failure();
      },
      { metrics, maxRetries: 0, metricsStyle: { kind: 'dynamic-controller', gvrOf: () => 'g' } },
    );
    q.start();
    q.add('a');
    await flush();
    expect(lines().find((l) => l['msg'] === 'Reconcile failed')).toMatchObject({ level: 'warn' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('dynamic_controller_handler_errors_total{gvr="g"} 1');
    expect(text).not.toContain('dynamic_controller_reconcile_panics_total{gvr="g"}');
  });
});

describe('WorkQueue overall rate limit', () => {
  it('is off by default', async () => {
    const seen: string[] = [];
    const { q } = makeQueue((k) => void seen.push(k), { workers: 8 });
    q.start();
    for (let i = 0; i < 500; i++) q.add(`k${i}`);
    await flush();
    expect(seen).toHaveLength(500);
  });

  it('spaces adds beyond the burst at the configured rate', async () => {
    const times: Record<string, number> = {};
    const start = Date.now();
    const { q } = makeQueue((k) => void (times[k] = Date.now() - start), {
      workers: 8,
      rateLimit: { perSecond: 10, burst: 2 },
    });
    q.start();
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    q.add('c'); // already waiting for a token: no second reservation
    await vi.advanceTimersByTimeAsync(1000);
    expect(times).toEqual({ a: 0, b: 0, c: 100, d: 200 });
  });
});

describe('WorkQueue shutdown', () => {
  it('stops taking work and waits for in-flight reconciles', async () => {
    const d = deferred();
    const seen: string[] = [];
    const { q } = makeQueue(async (k) => {
      seen.push(k);
      if (k === 'a') await d.promise;
    });
    q.start();
    q.add('a');
    q.add('b');
    q.addAfter('c', 10);
    await flush();
    let result: unknown;
    void q.shutdown(60_000).then((r) => (result = r));
    q.add('d');
    await vi.advanceTimersByTimeAsync(1000);
    expect(result).toBeUndefined();
    d.resolve();
    await flush();
    expect(result).toEqual({ drained: true, abandoned: [] });
    expect(seen).toEqual(['a']);
  });

  it('gives up after the timeout and aborts the running reconcile', async () => {
    let signal: AbortSignal | undefined;
    const { q, lines } = makeQueue((_k, ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    q.start();
    q.add('stuck');
    await flush();
    const done = q.shutdown(5000);
    await vi.advanceTimersByTimeAsync(5000);
    await expect(done).resolves.toEqual({ drained: false, abandoned: ['stuck'] });
    expect(signal?.aborted).toBe(true);
    expect(lines().some((l) => l['msg'] === 'Shutdown timeout reached with reconciles in flight')).toBe(true);
  });

  it('lets a second shutdown call wait for the same drain', async () => {
    const d = deferred();
    const { q } = makeQueue(() => d.promise);
    q.start();
    q.add('a');
    await flush();
    const first = q.shutdown(10_000);
    const second = q.shutdown(10_000);
    d.resolve();
    await flush();
    await expect(first).resolves.toEqual({ drained: true, abandoned: [] });
    await expect(second).resolves.toEqual({ drained: true, abandoned: [] });
  });

  it('resolves at once when idle', async () => {
    const { q } = makeQueue(() => undefined);
    await expect(q.shutdown(1000)).resolves.toEqual({ drained: true, abandoned: [] });
  });
});

describe('WorkQueue metrics', () => {
  async function value(metrics: Metrics, name: string, labels: string): Promise<number | undefined> {
    const text = await metrics.registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  }

  it('reports workqueue_* and controller_runtime_* for a controller-runtime style queue', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const d = deferred();
    let n = 0;
    const { q } = makeQueue(
      async () => {
        n++;
        if (n === 1) await d.promise;
        if (n === 2) throw new Failure();
        return n === 3 ? { requeueAfterMs: 50 } : undefined;
      },
      { name: 'rgd', workers: 3, metrics },
    );
    q.add('x');
    q.add('y');
    expect(await value(metrics, 'workqueue_depth', '{name="rgd"}')).toBe(2);
    q.start();
    await flush();
    expect(await value(metrics, 'controller_runtime_max_concurrent_reconciles', '{controller="rgd"}')).toBe(
      3,
    );
    await vi.advanceTimersByTimeAsync(2000);
    expect(await value(metrics, 'workqueue_longest_running_processor_seconds', '{name="rgd"}')).toBe(2);
    expect(await value(metrics, 'workqueue_unfinished_work_seconds', '{name="rgd"}')).toBe(2);
    d.resolve();
    await vi.advanceTimersByTimeAsync(200);
    expect(await value(metrics, 'workqueue_adds_total', '{name="rgd"}')).toBe(4);
    expect(await value(metrics, 'workqueue_retries_total', '{name="rgd"}')).toBe(1);
    expect(
      await value(metrics, 'controller_runtime_reconcile_total', '{controller="rgd",result="error"}'),
    ).toBe(1);
    expect(
      await value(metrics, 'controller_runtime_reconcile_total', '{controller="rgd",result="requeue_after"}'),
    ).toBe(1);
    expect(
      await value(metrics, 'controller_runtime_reconcile_total', '{controller="rgd",result="success"}'),
    ).toBe(2);
    expect(await value(metrics, 'controller_runtime_reconcile_errors_total', '{controller="rgd"}')).toBe(1);
    expect(await value(metrics, 'workqueue_depth', '{name="rgd"}')).toBe(0);
  });

  it('reports dynamic_controller_* per gvr for an instance queue', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const { q } = makeQueue(() => ({ requeueAfterMs: 1000 }), {
      name: 'instances',
      metrics,
      metricsStyle: { kind: 'dynamic-controller', gvrOf: (k) => k.split('|')[0] ?? '' },
    });
    q.start();
    q.add('kro.run/v1alpha1, Resource=webapps|ns/a');
    await flush();
    const gvr = '{gvr="kro.run/v1alpha1, Resource=webapps"}';
    expect(await value(metrics, 'dynamic_controller_reconcile_total', gvr)).toBe(1);
    expect(
      await value(
        metrics,
        'dynamic_controller_requeue_total',
        '{gvr="kro.run/v1alpha1, Resource=webapps",type="requeue_after"}',
      ),
    ).toBe(1);
    expect(await value(metrics, 'dynamic_controller_queue_length', '')).toBe(0);
  });
});
