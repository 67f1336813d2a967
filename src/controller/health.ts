// Probe and metrics HTTP servers (spec/05 §5–6). `/healthz` is liveness: 200 while the event loop
// keeps up (measured lag under a threshold), so a reconcile stuck in a synchronous loop gets the
// pod restarted. `/readyz` is readiness: 500 with a reason until `markReady()` (config loaded and
// the API server reached once; leader or not, so rolling updates proceed). `/metrics` serves the
// Prometheus registry on its own address; `0` disables it. Both servers run on leaders and
// non-leaders alike.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBindAddress, type BindAddress } from '../config.js';
import type { Logger } from '../observability/logger.js';

export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface LoopLagMonitor {
  /** Current lag: the last measured delay, or how overdue the next tick is. */
  lagMs(): number;
  stop(): void;
}

/** Samples event-loop lag with a timer that should fire every `intervalMs`. */
export function monitorEventLoop(
  options: { readonly intervalMs?: number; readonly now?: () => number } = {},
): LoopLagMonitor {
  const interval = options.intervalMs ?? 500;
  const now = options.now ?? (() => performance.now());
  let expected = now() + interval;
  let lastLag = 0;
  const timer = setInterval(() => {
    const t = now();
    lastLag = Math.max(0, t - expected);
    expected = t + interval;
  }, interval);
  timer.unref();
  return {
    lagMs: () => Math.max(lastLag, now() - expected),
    stop: () => clearInterval(timer),
  };
}

export interface ProbeServerOptions {
  /** `--health-probe-bind-address`; `0` disables. */
  readonly healthAddress: string;
  /** `--metrics-bind-address`; `0` disables. */
  readonly metricsAddress: string;
  readonly metrics: MetricsSource;
  readonly logger: Logger;
  /** `/healthz` fails at or above this event-loop lag; default 10 s. */
  readonly maxLoopLagMs?: number;
  /** Injected for tests; by default one is started and stopped with the servers. */
  readonly loopMonitor?: LoopLagMonitor;
}

export interface ProbeServers {
  /** Where `/healthz` and `/readyz` listen (null when disabled). */
  readonly healthAddress: AddressInfo | null;
  /** Where `/metrics` listens (null when disabled). */
  readonly metricsAddress: AddressInfo | null;
  markReady(): void;
  markNotReady(reason: string): void;
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export async function startProbeServers(options: ProbeServerOptions): Promise<ProbeServers> {
  const log = options.logger;
  const health = mustParse(options.healthAddress, 'health-probe-bind-address');
  const metricsAt = mustParse(options.metricsAddress, 'metrics-bind-address');
  const monitor = options.loopMonitor ?? monitorEventLoop();
  const maxLag = options.maxLoopLagMs ?? 10_000;
  let notReady: string | undefined = 'starting';

  const probeRoutes: Record<string, Route> = {
    '/healthz': (_req, res) => {
      const lag = monitor.lagMs();
      if (lag < maxLag) reply(res, 200, 'ok');
      else reply(res, 500, `event loop lag ${Math.round(lag)}ms exceeds ${maxLag}ms`);
    },
    '/readyz': (_req, res) => {
      if (notReady === undefined) reply(res, 200, 'ok');
      else reply(res, 500, `not ready: ${notReady}`);
    },
  };
  const metricsRoutes: Record<string, Route> = {
    '/metrics': async (_req, res) => {
      try {
        const body = await options.metrics.metrics();
        res.writeHead(200, { 'content-type': options.metrics.contentType }).end(body);
      } catch (error) {
        log.error({ err: error }, 'Collecting metrics failed');
        reply(res, 500, 'collecting metrics failed');
      }
    },
  };

  const servers: Server[] = [];
  const shared = health !== null && metricsAt !== null && sameAddress(health, metricsAt);
  let healthInfo: AddressInfo | null = null;
  let metricsInfo: AddressInfo | null = null;
  try {
    if (health !== null) {
      const routes = shared ? { ...probeRoutes, ...metricsRoutes } : probeRoutes;
      healthInfo = await listen(servers, health, routes, log);
      log.info({ address: formatAddress(healthInfo) }, 'Serving health probes');
    }
    if (metricsAt !== null) {
      metricsInfo = shared ? healthInfo : await listen(servers, metricsAt, metricsRoutes, log);
      if (metricsInfo !== null) log.info({ address: formatAddress(metricsInfo) }, 'Serving metrics');
    }
  } catch (error) {
    await closeAll(servers);
    if (options.loopMonitor === undefined) monitor.stop();
    throw error;
  }

  return {
    healthAddress: healthInfo,
    metricsAddress: metricsInfo,
    markReady: () => (notReady = undefined),
    markNotReady: (reason) => (notReady = reason),
    close: async () => {
      if (options.loopMonitor === undefined) monitor.stop();
      await closeAll(servers);
    },
  };
}

function mustParse(value: string, flag: string): BindAddress | null {
  const parsed = parseBindAddress(value);
  if (!parsed.ok) throw new RangeError(`--${flag}: ${parsed.problem}`);
  return parsed.value;
}

function sameAddress(a: BindAddress, b: BindAddress): boolean {
  return a.port !== 0 && a.port === b.port && a.host === b.host;
}

async function listen(
  servers: Server[],
  at: BindAddress,
  routes: Record<string, Route>,
  log: Logger,
): Promise<AddressInfo> {
  const server = createServer((req, res) => {
    const route = routes[(req.url ?? '/').split('?')[0] ?? '/'];
    if (route === undefined) return reply(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed');
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      log.error({ err: error }, 'Probe handler failed');
      if (!res.headersSent) reply(res, 500, 'internal error');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // An empty host listens on every interface, IPv6 and IPv4, as Go's ":port" does.
    if (at.host === '') server.listen(at.port, resolve);
    else server.listen(at.port, at.host, resolve);
  });
  return server.address() as AddressInfo;
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}

function formatAddress(a: AddressInfo): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (!s.listening) return resolve();
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
}
