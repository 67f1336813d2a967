import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { monitorEventLoop, startProbeServers, type LoopLagMonitor, type ProbeServers } from './health.js';

const logger = createLogger(
  { level: 'error', encoder: 'json', devel: false },
  { destination: new Writable({ write: (_c, _e, cb) => cb() }) },
);

const started: ProbeServers[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
  vi.useRealTimers();
});

function fakeMonitor(lag = 0): LoopLagMonitor & { lag: number } {
  const m = { lag, lagMs: () => m.lag, stop: () => undefined };
  return m;
}

async function start(overrides: Partial<Parameters<typeof startProbeServers>[0]> = {}) {
  const metrics = createMetrics({ defaultMetrics: false });
  const servers = await startProbeServers({
    healthAddress: '127.0.0.1:0',
    metricsAddress: '127.0.0.1:0',
    metrics: metrics.registry,
    logger,
    loopMonitor: fakeMonitor(),
    ...overrides,
  });
  started.push(servers);
  return { servers, metrics };
}

async function get(port: number | undefined, path: string, method = 'GET') {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('probe servers', () => {
  it('answers /healthz ok and /readyz 500 until markReady', async () => {
    const { servers } = await start();
    const port = servers.healthAddress?.port;
    expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: 'ok' });
    expect(await get(port, '/readyz')).toMatchObject({ status: 500, body: 'not ready: starting' });
    servers.markReady();
    expect(await get(port, '/readyz')).toMatchObject({ status: 200, body: 'ok' });
    servers.markNotReady('lost API server');
    expect(await get(port, '/readyz')).toMatchObject({ status: 500, body: 'not ready: lost API server' });
  });

  it('fails /healthz while the event loop lags beyond the threshold', async () => {
    const monitor = fakeMonitor();
    const { servers } = await start({ loopMonitor: monitor, maxLoopLagMs: 1000 });
    const port = servers.healthAddress?.port;
    monitor.lag = 2500;
    const res = await get(port, '/healthz');
    expect(res.status).toBe(500);
    expect(res.body).toContain('event loop lag 2500ms');
    monitor.lag = 3;
    expect((await get(port, '/healthz')).status).toBe(200);
  });

  it('serves /metrics on the metrics address only', async () => {
    const { servers, metrics } = await start();
    metrics.eventsDroppedTotal.inc();
    const res = await get(servers.metricsAddress?.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    expect(res.body).toContain('events_dropped_total 1');
    expect((await get(servers.healthAddress?.port, '/metrics')).status).toBe(404);
    expect((await get(servers.metricsAddress?.port, '/healthz')).status).toBe(404);
  });

  it('disables /metrics with address 0', async () => {
    const { servers } = await start({ metricsAddress: '0' });
    expect(servers.metricsAddress).toBeNull();
    expect((await get(servers.healthAddress?.port, '/healthz')).status).toBe(200);
  });

  it('rejects methods other than GET/HEAD and unknown paths', async () => {
    const { servers } = await start();
    const port = servers.healthAddress?.port;
    expect((await get(port, '/healthz', 'POST')).status).toBe(405);
    expect((await get(port, '/healthz', 'HEAD')).status).toBe(200);
    expect((await get(port, '/nope')).status).toBe(404);
    expect((await get(port, '/readyz?verbose=1')).status).toBe(500);
  });

  it('reports a failing metrics collection as 500', async () => {
    const { servers } = await start({
      metrics: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('collector broke')) },
    });
    expect((await get(servers.metricsAddress?.port, '/metrics')).status).toBe(500);
  });

  it('fails to start on a taken port, and close() frees the port', async () => {
    const { servers } = await start();
    const port = servers.healthAddress?.port ?? 0;
    await expect(
      startProbeServers({
        healthAddress: `127.0.0.1:${port}`,
        metricsAddress: '0',
        metrics: { contentType: 'text/plain', metrics: () => Promise.resolve('') },
        logger,
        loopMonitor: fakeMonitor(),
      }),
    ).rejects.toThrow(/EADDRINUSE/);
    await servers.close();
    started.splice(0);
    const again = await start({ healthAddress: `127.0.0.1:${port}`, metricsAddress: '0' });
    expect(again.servers.healthAddress?.port).toBe(port);
  });

  it('throws on an invalid bind address', async () => {
    await expect(start({ healthAddress: 'nonsense' })).rejects.toThrow(/health-probe-bind-address/);
  });
});

describe('monitorEventLoop', () => {
  it('measures how late its timer fires and how overdue the next tick is', async () => {
    vi.useFakeTimers();
    let skew = 0;
    const monitor = monitorEventLoop({ intervalMs: 500, now: () => performance.now() + skew });
    await vi.advanceTimersByTimeAsync(500);
    expect(monitor.lagMs()).toBe(0);
    // The loop is blocked for 3 s right after a tick: the next tick (due in 500ms) is overdue...
    skew += 3000;
    expect(monitor.lagMs()).toBe(2500);
    // ...and when it finally fires it measures the full delay.
    await vi.advanceTimersByTimeAsync(500);
    expect(monitor.lagMs()).toBe(3000);
    await vi.advanceTimersByTimeAsync(500);
    expect(monitor.lagMs()).toBe(0);
    monitor.stop();
  });
});
