import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  apiErrorFromResponse,
  apiErrorFromStatus,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidError,
  isRetryable,
  KubeApiError,
  NotFoundError,
  parseApiStatus,
  ServerError,
  TimeoutError,
  TooManyRequestsError,
  UnauthorizedError,
  UnexpectedStatusError,
} from './errors.js';

const status = (code: number, reason: string, message: string, details?: unknown): string =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details });

describe('apiErrorFromResponse', () => {
  const cases: [number, string, new (...a: never[]) => KubeApiError, boolean][] = [
    [400, 'BadRequest', BadRequestError, false],
    [401, 'Unauthorized', UnauthorizedError, false],
    [403, 'Forbidden', ForbiddenError, false],
    [404, 'NotFound', NotFoundError, false],
    [409, 'Conflict', ConflictError, true],
    [409, 'AlreadyExists', AlreadyExistsError, true],
    [410, 'Expired', GoneError, true],
    [410, 'Gone', GoneError, true],
    [422, 'Invalid', InvalidError, false],
    [429, 'TooManyRequests', TooManyRequestsError, true],
    [500, 'InternalError', ServerError, true],
    [503, 'ServiceUnavailable', ServerError, true],
    [504, 'Timeout', TimeoutError, true],
    [500, 'ServerTimeout', TimeoutError, true],
    [418, '', UnexpectedStatusError, false],
  ];
  it.each(cases)('%i %s → %o (retryable %s)', (code, reason, cls, retryable) => {
    const e = apiErrorFromResponse({ status: code, body: status(code, reason, `msg ${code}`) });
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(KubeApiError);
    expect(e).toBeInstanceOf(Error);
    expect(e.retryable).toBe(retryable);
    expect(isRetryable(e)).toBe(retryable);
    expect(e.status).toBe(code);
    expect(e.reason).toBe(reason);
    expect(e.serverMessage).toBe(`msg ${code}`);
    expect(e.message).toBe(`msg ${code}`);
  });

  it('keeps the target and describes it', () => {
    const e = apiErrorFromResponse({
      status: 404,
      body: status(404, 'NotFound', 'configmaps "x" not found'),
      target: {
        verb: 'get',
        gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
        namespace: 'ns',
        name: 'x',
      },
    });
    expect(e.code).toBe('NotFound');
    expect(e.name).toBe('NotFoundError');
    expect(e.target.name).toBe('x');
    expect(e.describe()).toBe('NotFound (404) get ConfigMap.v1 ns/x: configmaps "x" not found');
  });

  it('uses the body when it is not a Status', () => {
    const e = apiErrorFromResponse({ status: 502, body: '<html>bad gateway</html>' });
    expect(e).toBeInstanceOf(ServerError);
    expect(e.serverMessage).toBe('<html>bad gateway</html>');
    const empty = apiErrorFromResponse({ status: 503, body: '' });
    expect(empty.serverMessage).toBe('the server responded with HTTP 503');
  });

  it('reads retry-after from details, then from the header', () => {
    const a = apiErrorFromResponse({
      status: 429,
      body: status(429, 'TooManyRequests', 'slow', { retryAfterSeconds: 3 }),
    });
    expect(a.retryAfterSeconds).toBe(3);
    const b = apiErrorFromResponse({
      status: 429,
      body: status(429, 'TooManyRequests', 'slow'),
      retryAfterHeader: '7',
    });
    expect(b.retryAfterSeconds).toBe(7);
    const c = apiErrorFromResponse({ status: 429, body: '' });
    expect(c.retryAfterSeconds).toBeUndefined();
  });

  it('keeps Invalid details (the field causes)', () => {
    const details = {
      name: 'x',
      kind: 'ConfigMap',
      causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid' }],
    };
    const e = apiErrorFromResponse({
      status: 422,
      body: status(422, 'Invalid', 'ConfigMap "X" is invalid', details),
    });
    expect(e.details).toEqual(details);
  });
});

describe('apiErrorFromStatus (watch ERROR events)', () => {
  it('maps a 410 Expired status to GoneError', () => {
    const e = apiErrorFromStatus({
      kind: 'Status',
      code: 410,
      reason: 'Expired',
      message: 'too old resource version: 1 (52)',
    });
    expect(e).toBeInstanceOf(GoneError);
    expect(e.serverMessage).toBe('too old resource version: 1 (52)');
  });
  it('maps garbage to a server error', () => {
    expect(apiErrorFromStatus({ nope: 1 })).toBeInstanceOf(ServerError);
  });
});

describe('parseApiStatus', () => {
  it('accepts text or objects, rejects non-Status', () => {
    expect(parseApiStatus(status(404, 'NotFound', 'm'))?.code).toBe(404);
    expect(parseApiStatus({ kind: 'Status', code: 1 })?.message).toBe('');
    expect(parseApiStatus({ kind: 'ConfigMap' })).toBeUndefined();
    expect(parseApiStatus('not json')).toBeUndefined();
  });
  it('treats non-API errors as not retryable', () => {
    expect(isRetryable(new Error('x'))).toBe(false);
  });
});
