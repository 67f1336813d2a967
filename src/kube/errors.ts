// Kubernetes API errors as typed Error subclasses. Callers branch on `code` (or instanceof) and
// on `retryable`; the API server's Status message is kept verbatim because kro-ts surfaces it in
// conditions (spec 04 §6.1: "message = the API status message").

import { KroError } from '../lib/errors.js';
import { isPlainObject } from '../lib/json.js';
import type { Gvk } from './gvk.js';
import { formatGvk } from './gvk.js';

/** The metav1.Status fields we keep. */
export interface ApiStatus {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
  readonly details?: unknown;
}

/** What the request was about, for messages and logs. */
export interface RequestTarget {
  readonly verb?: string;
  readonly gvk?: Gvk;
  readonly namespace?: string;
  readonly name?: string;
  readonly path?: string;
}

export type KubeErrorCode =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'Conflict'
  | 'AlreadyExists'
  | 'Gone'
  | 'Invalid'
  | 'TooManyRequests'
  | 'ServerError'
  | 'Timeout'
  | 'Transport'
  | 'NoKindMatch'
  | 'UnexpectedStatus';

export class KubeApiError extends KroError {
  declare readonly code: KubeErrorCode;
  /** HTTP status; 0 when no response arrived (transport errors). */
  readonly status: number;
  /** metav1.Status reason as the server sent it (e.g. `AlreadyExists`, `Expired`); '' if none. */
  readonly reason: string;
  /** The server's message, untouched. */
  readonly serverMessage: string;
  readonly details: unknown;
  readonly target: RequestTarget;
  /** Worth retrying the same request later (after a fresh read for conflicts). */
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (Retry-After or details.retryAfterSeconds). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: KubeErrorCode,
    init: {
      status: number;
      reason?: string;
      serverMessage: string;
      details?: unknown;
      target?: RequestTarget;
      retryable: boolean;
      retryAfterSeconds?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(code, init.serverMessage, { cause: init.cause });
    this.status = init.status;
    this.reason = init.reason ?? '';
    this.serverMessage = init.serverMessage;
    this.details = init.details;
    this.target = init.target ?? {};
    this.retryable = init.retryable;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** One line for logs: `NotFound (404) get ConfigMap.v1 ns/name: <server message>`. */
  describe(): string {
    const t = this.target;
    const what = [
      t.verb,
      t.gvk ? formatGvk(t.gvk) : undefined,
      t.name ? (t.namespace ? `${t.namespace}/${t.name}` : t.name) : t.path,
    ]
      .filter((x) => x !== undefined && x !== '')
      .join(' ');
    return `${this.code} (${this.status}) ${what}: ${this.serverMessage}`;
  }
}

type Init = ConstructorParameters<typeof KubeApiError>[1];
type SubInit = Omit<Init, 'retryable'>;

export class BadRequestError extends KubeApiError {
  constructor(init: SubInit) {
    super('BadRequest', { ...init, retryable: false });
  }
}
export class UnauthorizedError extends KubeApiError {
  constructor(init: SubInit) {
    super('Unauthorized', { ...init, retryable: false });
  }
}
export class ForbiddenError extends KubeApiError {
  constructor(init: SubInit) {
    super('Forbidden', { ...init, retryable: false });
  }
}
export class NotFoundError extends KubeApiError {
  constructor(init: SubInit) {
    super('NotFound', { ...init, retryable: false });
  }
}
export class MethodNotAllowedError extends KubeApiError {
  constructor(init: SubInit) {
    super('MethodNotAllowed', { ...init, retryable: false });
  }
}
/** 409 with any reason but AlreadyExists: a stale resourceVersion, a UID precondition, or an apply conflict. */
export class ConflictError extends KubeApiError {
  constructor(init: SubInit) {
    super('Conflict', { ...init, retryable: true });
  }
}
/** 409 AlreadyExists on create. Retryable in the sense of spec 04 §6.1 (409s requeue). */
export class AlreadyExistsError extends KubeApiError {
  constructor(init: SubInit) {
    super('AlreadyExists', { ...init, retryable: true });
  }
}
/** 410: the resourceVersion is too old (compacted). Recover by relisting, not by retrying. */
export class GoneError extends KubeApiError {
  constructor(init: SubInit) {
    super('Gone', { ...init, retryable: true });
  }
}
/** 422: the object failed validation; the message lists the invalid fields. */
export class InvalidError extends KubeApiError {
  constructor(init: SubInit) {
    super('Invalid', { ...init, retryable: false });
  }
}
export class TooManyRequestsError extends KubeApiError {
  constructor(init: SubInit) {
    super('TooManyRequests', { ...init, retryable: true });
  }
}
export class ServerError extends KubeApiError {
  constructor(init: SubInit) {
    super('ServerError', { ...init, retryable: true });
  }
}
/** 504 or a Timeout/ServerTimeout Status, or a client-side request timeout. */
export class TimeoutError extends KubeApiError {
  constructor(init: SubInit) {
    super('Timeout', { ...init, retryable: true });
  }
}
/** No HTTP response: connection refused/reset, TLS failure, DNS. */
export class TransportError extends KubeApiError {
  constructor(init: Omit<SubInit, 'status'>) {
    super('Transport', { ...init, status: 0, retryable: true });
  }
}
/** Discovery does not know the kind in that group-version (CRD missing or not established yet). */
export class NoKindMatchError extends KubeApiError {
  constructor(init: { gvk: Gvk; cause?: unknown }) {
    const gv = init.gvk.group === '' ? init.gvk.version : `${init.gvk.group}/${init.gvk.version}`;
    super('NoKindMatch', {
      status: 404,
      reason: 'NotFound',
      serverMessage: `no matches for kind "${init.gvk.kind}" in version "${gv}"`,
      target: { gvk: init.gvk },
      retryable: false,
      cause: init.cause,
    });
  }
}
export class UnexpectedStatusError extends KubeApiError {
  constructor(init: SubInit) {
    super('UnexpectedStatus', { ...init, retryable: init.status >= 500 });
  }
}

/** Reads a metav1.Status out of a response body (JSON text or parsed); undefined when it is not one. */
export function parseApiStatus(body: unknown): ApiStatus | undefined {
  let v = body;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!isPlainObject(v) || v.kind !== 'Status') return undefined;
  return {
    code: typeof v.code === 'number' ? v.code : 0,
    reason: typeof v.reason === 'string' ? v.reason : '',
    message: typeof v.message === 'string' ? v.message : '',
    ...(v.details !== undefined ? { details: v.details } : {}),
  };
}

function retryAfterFrom(details: unknown, header: string | undefined): number | undefined {
  if (isPlainObject(details) && typeof details.retryAfterSeconds === 'number') {
    return details.retryAfterSeconds;
  }
  if (header !== undefined && /^\d+$/.test(header.trim())) return Number(header.trim());
  return undefined;
}

/**
 * Maps an HTTP error response to the matching error class. `body` is the raw response text;
 * when it is not a Status (a proxy's HTML page, say) its first 500 characters become the message.
 */
export function apiErrorFromResponse(init: {
  status: number;
  body: string;
  target?: RequestTarget;
  retryAfterHeader?: string | undefined;
}): KubeApiError {
  const st = parseApiStatus(init.body);
  const status = init.status;
  const reason = st?.reason ?? '';
  const serverMessage =
    st?.message || init.body.slice(0, 500).trim() || `the server responded with HTTP ${status}`;
  const base: SubInit = {
    status,
    reason,
    serverMessage,
    details: st?.details,
    ...(init.target ? { target: init.target } : {}),
    retryAfterSeconds: retryAfterFrom(st?.details, init.retryAfterHeader),
  };
  if (reason === 'Timeout' || reason === 'ServerTimeout' || status === 504) return new TimeoutError(base);
  if (reason === 'Expired' || reason === 'Gone' || status === 410) return new GoneError(base);
  return errorForStatus(status, reason, base);
}

function errorForStatus(status: number, reason: string, base: SubInit): KubeApiError {
  switch (status) {
    case 400:
      return new BadRequestError(base);
    case 401:
      return new UnauthorizedError(base);
    case 403:
      return new ForbiddenError(base);
    case 404:
      return new NotFoundError(base);
    case 405:
      return new MethodNotAllowedError(base);
    case 409:
      return reason === 'AlreadyExists' ? new AlreadyExistsError(base) : new ConflictError(base);
    case 422:
      return new InvalidError(base);
    case 429:
      return new TooManyRequestsError(base);
    default:
      return status >= 500 ? new ServerError(base) : new UnexpectedStatusError(base);
  }
}

/** Maps an in-watch ERROR event's Status object (watch streams report 410 this way). */
export function apiErrorFromStatus(status: unknown, target?: RequestTarget): KubeApiError {
  const st = parseApiStatus(status) ?? { code: 500, reason: '', message: 'malformed watch error event' };
  const code = st.code || 500;
  return apiErrorFromResponse({
    status: code,
    body: JSON.stringify({ kind: 'Status', ...st, code }),
    ...(target ? { target } : {}),
  });
}

export function isKubeApiError(e: unknown): e is KubeApiError {
  return e instanceof KubeApiError;
}
export function isNotFound(e: unknown): e is NotFoundError {
  return e instanceof NotFoundError;
}
export function isAlreadyExists(e: unknown): e is AlreadyExistsError {
  return e instanceof AlreadyExistsError;
}
export function isConflict(e: unknown): e is ConflictError {
  return e instanceof ConflictError;
}
export function isGone(e: unknown): e is GoneError {
  return e instanceof GoneError;
}
export function isInvalid(e: unknown): e is InvalidError {
  return e instanceof InvalidError;
}
export function isNoKindMatch(e: unknown): e is NoKindMatchError {
  return e instanceof NoKindMatchError;
}
/** True for API errors marked retryable; false for anything else (including non-API errors). */
export function isRetryable(e: unknown): boolean {
  return e instanceof KubeApiError && e.retryable;
}
