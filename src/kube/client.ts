// The HTTP layer to the API server: TLS and credentials come from a ClusterAccess (the lean
// kubeconfig loader, or a client-node KubeConfig behind the same interface), requests and
// responses are raw JSON. client-node's typed API classes are deliberately not used: their
// serializers drop fields they do not know (unknown fields of built-in kinds, `default` and
// `x-kubernetes-*` in CRD schemas), which would silently change what kro-ts applies.
// Every request takes a token from the client-side rate limiter (--client-qps/--client-burst).

import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestTarget } from './errors.js';
import { apiErrorFromResponse, KubeApiError, TimeoutError, TransportError } from './errors.js';
import type { ClusterAccess, KubeConfigOrigin, KubeConfigSource } from './kubeconfig.js';
import { accessFromKubeConfig, loadKubeConfig } from './kubeconfig.js';
import type { RateLimiter } from './rate-limiter.js';
import { createRateLimiter } from './rate-limiter.js';
import type { QueryValue } from './url.js';
import { queryString } from './url.js';
import { exponentialDelayMs, jitteredMs } from '../lib/backoff.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const ContentTypes = {
  json: 'application/json',
  mergePatch: 'application/merge-patch+json',
  jsonPatch: 'application/json-patch+json',
  strategicMergePatch: 'application/strategic-merge-patch+json',
  // A JSON document is valid YAML, so apply bodies are sent as JSON under the YAML type.
  apply: 'application/apply-patch+yaml',
} as const;

export interface KubeRequest {
  readonly method: HttpMethod;
  /** Absolute API path, e.g. `/api/v1/namespaces/default/configmaps/x`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Serialized with JSON.stringify unless already a string. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
  /** Names the object in error messages. */
  readonly target?: RequestTarget;
  /** Whole-request deadline for `request`, time-to-headers for `stream`. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface KubeStream {
  /** The response body; emits raw chunks until the server ends it or `close()` is called. */
  readonly body: Readable;
  close(): void;
}

export interface KubeClient {
  /** Base URL of the API server. */
  readonly server: string;
  /** Where the configuration came from (flag, env, in-cluster, home). */
  readonly origin: KubeConfigOrigin;
  /** Who fills in TLS and credentials: the lean loader, or client-node (and why), for the startup log. */
  readonly credentials?: string;
  /** Sends one request; resolves with the parsed JSON body (undefined when empty). */
  request<T = unknown>(req: KubeRequest): Promise<T>;
  /** Like request, also giving the HTTP status (apply answers 201 when it created the object). */
  exchange<T = unknown>(req: KubeRequest): Promise<{ status: number; body: T }>;
  /** Sends one request and hands back the streaming body once a 2xx status arrives (watches). */
  stream(req: KubeRequest): Promise<KubeStream>;
  /** Releases pooled connections. */
  close(): void;
}

export interface KubeClientOptions extends KubeConfigSource {
  /** Client-side rate limit; qps <= 0 disables it. Defaults 5000 / 10000 (a ceiling, see DEFAULT_QPS). */
  readonly qps?: number;
  readonly burst?: number;
  readonly userAgent?: string;
  /** Default deadline of non-streaming requests. Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Told about every request once its status is known (the operator feeds rest_client_* metrics). */
  readonly observer?: RequestObserver;
  /**
   * Retries of one request answered 429 (any verb: priority-and-fairness rejects before the
   * request is processed) or 5xx (idempotent requests only), waiting Retry-After or an
   * exponential backoff. Default 10, as client-go; 0 disables.
   */
  readonly maxRetries?: number;
}

/** Retry policy of HttpKubeClient (issue 14), exported for tests. */
export const RETRY = {
  /** First backoff for a 5xx without Retry-After; doubles per attempt, jittered. */
  initialBackoffMs: 250,
  maxBackoffMs: 8_000,
  /** A Retry-After longer than this is capped (a wedged server must not park a worker for hours). */
  maxRetryAfterMs: 30_000,
  /** 5xx retries stop after this many, whatever maxRetries says (they cost the server work). */
  maxServerErrorRetries: 5,
} as const;

/**
 * Whether repeating `req` cannot apply a change twice: reads, deletes, full updates (PUT carries a
 * resourceVersion or replaces the whole object), server-side apply, and merge/strategic patches
 * (declarative). POST (create, subresource actions) and JSON patches (list inserts) are not.
 */
export function isIdempotent(req: Pick<KubeRequest, 'method' | 'contentType'>): boolean {
  if (req.method === 'POST') return false;
  if (req.method === 'PATCH') return req.contentType !== ContentTypes.jsonPatch;
  return true;
}

/** What one request cost; `code` is the HTTP status, or `<error>` when no response arrived. */
export interface RequestObservation {
  readonly verb: HttpMethod;
  readonly host: string;
  /** The request's path with its query (each attempt of a retried request is observed). */
  readonly path: string;
  readonly code: string;
  readonly seconds: number;
  readonly rateLimiterSeconds: number;
  readonly requestBytes: number;
  readonly responseBytes?: number;
}

export type RequestObserver = (o: RequestObservation) => void;

/**
 * A safety ceiling, not a throttle: kube-apiserver's priority-and-fairness (429 + Retry-After,
 * honoured by `send`) decides how fast the operator may go; 5,000 requests/s is far above what one
 * API server answers one client and only stops a runaway loop. kro's 100 / 150 are flags away.
 */
export const DEFAULT_QPS = 5000;
export const DEFAULT_BURST = 10000;

export async function createKubeClient(opts: KubeClientOptions = {}): Promise<KubeClient> {
  const { access, origin, fallback } = await loadKubeConfig(opts);
  return createKubeClientFromConfig(access, { ...opts, origin, ...(fallback ? { fallback } : {}) });
}

/** For callers that already hold a configuration: a client-node KubeConfig (tests) or a ClusterAccess. */
export async function createKubeClientFromConfig(
  config: KubeConfig | ClusterAccess,
  opts: KubeClientOptions & { origin?: KubeConfigOrigin; fallback?: string } = {},
): Promise<KubeClient> {
  const access = 'getCurrentCluster' in config ? accessFromKubeConfig(config) : config;
  const base = new URL(access.server);
  // TLS material is read once for our own keep-alive agent: client-node's agent does not keep
  // connections alive, and a TLS handshake per request is the dominant cost on a busy controller.
  const tls: https.RequestOptions = {};
  await access.applyToHTTPSOptions(tls);
  const agentOpts = {
    keepAlive: true,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.pfx !== undefined ? { pfx: tls.pfx } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
    ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
  };
  const secure = base.protocol === 'https:';
  const agent = secure ? new https.Agent(agentOpts) : new http.Agent({ keepAlive: true });
  return new HttpKubeClient({
    access,
    base,
    agent,
    secure,
    origin: opts.origin ?? 'flag',
    credentials:
      access.loader === 'lean' ? 'lean' : `client-node${opts.fallback ? ` (${opts.fallback})` : ''}`,
    limiter: createRateLimiter({ qps: opts.qps ?? DEFAULT_QPS, burst: opts.burst ?? DEFAULT_BURST }),
    userAgent: opts.userAgent ?? 'kro-ts',
    requestTimeoutMs: opts.requestTimeoutMs ?? 60_000,
    maxRetries: Math.max(0, opts.maxRetries ?? 10),
    ...(opts.observer ? { observer: opts.observer } : {}),
  });
}

interface ClientParts {
  access: ClusterAccess;
  base: URL;
  agent: http.Agent;
  secure: boolean;
  origin: KubeConfigOrigin;
  credentials: string;
  limiter: RateLimiter;
  userAgent: string;
  requestTimeoutMs: number;
  maxRetries: number;
  observer?: RequestObserver;
}

/** Timing of one request, from before the rate limiter until the response (or failure). */
interface RequestTiming {
  readonly queuedAt: number;
  readonly sentAt: number;
  readonly requestBytes: number;
}

class HttpKubeClient implements KubeClient {
  readonly server: string;
  readonly origin: KubeConfigOrigin;
  readonly credentials: string;

  constructor(private readonly p: ClientParts) {
    this.server = p.base.origin;
    this.origin = p.origin;
    this.credentials = p.credentials;
  }

  async request<T = unknown>(req: KubeRequest): Promise<T> {
    return (await this.exchange<T>(req)).body;
  }

  async exchange<T = unknown>(req: KubeRequest): Promise<{ status: number; body: T }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.exchangeOnce<T>(req);
      } catch (e) {
        const wait = this.retryDelay(req, e, attempt);
        if (wait === undefined) throw e;
        await sleep(wait, req.signal);
        req.signal?.throwIfAborted();
      }
    }
  }

  /** Milliseconds to wait before repeating `req` after `e`, or undefined: give up. */
  private retryDelay(req: KubeRequest, e: unknown, attempt: number): number | undefined {
    if (!(e instanceof KubeApiError) || attempt >= this.p.maxRetries) return undefined;
    const tooMany = e.status === 429;
    const serverError = e.status >= 500 && e.status <= 599;
    if (!tooMany && !serverError) return undefined;
    if (serverError && (!isIdempotent(req) || attempt >= RETRY.maxServerErrorRetries)) return undefined;
    if (e.retryAfterSeconds !== undefined) {
      // At least what the server asked for, plus up to half again so that the requests it turned
      // away together do not all come back in the same instant.
      const ms = Math.min(Math.max(e.retryAfterSeconds, 0) * 1000, RETRY.maxRetryAfterMs);
      return Math.round(ms + Math.random() * Math.max(ms, 200) * 0.5);
    }
    return jitteredMs(exponentialDelayMs(attempt, RETRY.initialBackoffMs, RETRY.maxBackoffMs));
  }

  private async exchangeOnce<T>(req: KubeRequest): Promise<{ status: number; body: T }> {
    const timeoutMs = req.timeoutMs ?? this.p.requestTimeoutMs;
    const { res, cancelTimer, timing } = await this.send(req, timeoutMs);
    try {
      const text = await readAll(res).catch((e: unknown) => {
        throw transportError(e instanceof Error ? e : new Error(String(e)), {
          verb: req.method,
          path: req.path,
          ...req.target,
        });
      });
      const status = res.statusCode ?? 0;
      this.observe(req, timing, String(status), Buffer.byteLength(text));
      if (status >= 400 || status < 200) throw this.errorFor(req, status, text, res);
      return { status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    } finally {
      cancelTimer();
    }
  }

  async stream(req: KubeRequest): Promise<KubeStream> {
    const { res, cancelTimer, timing } = await this.send(req, req.timeoutMs ?? this.p.requestTimeoutMs);
    cancelTimer();
    const status = res.statusCode ?? 0;
    this.observe(req, timing, String(status));
    if (status >= 400 || status < 200) throw this.errorFor(req, status, await readAll(res), res);
    return { body: res, close: () => res.destroy() };
  }

  close(): void {
    this.p.agent.destroy();
  }

  private observe(req: KubeRequest, t: RequestTiming, code: string, responseBytes?: number): void {
    const observer = this.p.observer;
    if (observer === undefined) return;
    try {
      observer({
        verb: req.method,
        host: this.p.base.host,
        path: req.path,
        code,
        seconds: (performance.now() - t.sentAt) / 1000,
        rateLimiterSeconds: (t.sentAt - t.queuedAt) / 1000,
        requestBytes: t.requestBytes,
        ...(responseBytes !== undefined ? { responseBytes } : {}),
      });
    } catch {
      // Metrics must never fail a request.
    }
  }

  private errorFor(req: KubeRequest, status: number, body: string, res: http.IncomingMessage): Error {
    const retryAfter = res.headers['retry-after'];
    return apiErrorFromResponse({
      status,
      body,
      target: { verb: req.method, path: req.path, ...req.target },
      retryAfterHeader: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    });
  }

  private async headersFor(req: KubeRequest): Promise<{ headers: http.OutgoingHttpHeaders; auth?: string }> {
    // Asked per request so rotating credentials (token files, exec plugins) are picked up; the
    // lean loader re-reads token files periodically, client-node caches exec credentials itself.
    const creds: https.RequestOptions = {};
    await this.p.access.applyToHTTPSOptions(creds);
    const headers: http.OutgoingHttpHeaders = {
      ...(creds.headers as http.OutgoingHttpHeaders | undefined),
      accept: req.accept ?? ContentTypes.json,
      'user-agent': this.p.userAgent,
    };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? ContentTypes.json;
    return creds.auth ? { headers, auth: creds.auth } : { headers };
  }

  private async send(
    req: KubeRequest,
    timeoutMs: number,
  ): Promise<{ res: http.IncomingMessage; cancelTimer: () => void; timing: RequestTiming }> {
    req.signal?.throwIfAborted();
    const queuedAt = performance.now();
    await this.p.limiter.acquire();
    const { headers, auth } = await this.headersFor(req);
    const payload =
      req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const requestBytes = payload === undefined ? 0 : Buffer.byteLength(payload);
    if (payload !== undefined) headers['content-length'] = requestBytes;
    const timing: RequestTiming = { queuedAt, sentAt: performance.now(), requestBytes };
    const target = { verb: req.method, path: req.path, ...req.target };
    const mod = this.p.secure ? https : http;
    return new Promise((resolve, reject) => {
      const r = mod.request({
        protocol: this.p.base.protocol,
        hostname: this.p.base.hostname,
        port: this.p.base.port,
        method: req.method,
        path: basePath(this.p.base) + req.path + queryString(req.query ?? {}),
        agent: this.p.agent,
        headers,
        ...(auth ? { auth } : {}),
      });
      let settled = false;
      const timer = setTimeout(() => {
        r.destroy(
          new TimeoutError({ status: 0, serverMessage: `request timed out after ${timeoutMs}ms`, target }),
        );
      }, timeoutMs);
      const cancelTimer = (): void => clearTimeout(timer);
      const onAbort = (): void => {
        r.destroy(req.signal?.reason instanceof Error ? req.signal.reason : new Error('request aborted'));
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('response', (res) => {
        settled = true;
        resolve({ res, cancelTimer, timing });
      });
      r.on('error', (e) => {
        cancelTimer();
        req.signal?.removeEventListener('abort', onAbort);
        if (settled) return; // errors after the response surface on the response stream
        this.observe(req, timing, '<error>');
        reject(e instanceof TimeoutError || req.signal?.aborted ? e : transportError(e, target));
      });
      r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
      r.end(payload);
    });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function transportError(e: Error, target: RequestTarget): TransportError {
  return new TransportError({ serverMessage: e.message, target, cause: e });
}

/** A server URL may carry a path prefix (e.g. behind a proxy); keep it without the trailing slash. */
function basePath(base: URL): string {
  return base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '');
}

function readAll(res: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('response aborted')));
  });
}
