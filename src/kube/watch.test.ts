import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import type { KubeClient } from './client.js';
import { TimeoutError } from './errors.js';
import { LineSplitter, openWatch } from './watch.js';

describe('LineSplitter', () => {
  it('joins lines across chunks and keeps multi-byte characters whole', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\n{"c"', 'utf8');
    // Split inside the two-byte "é".
    const cut = bytes.indexOf(0xc3) + 1;
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"a":"é"}', '{"b":2}']);
    expect(s.push(Buffer.from(':3}\n'))).toEqual(['{"c":3}']);
    expect(s.flush()).toBe('');
  });
  it('returns an unterminated last line on flush', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('x'))).toEqual([]);
    expect(s.flush()).toBe('x');
  });
});

describe('Backoff', () => {
  it('doubles up to the cap with jitter in [d/2, d], and resets', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    b.reset();
    expect(b.next()).toBe(100);
    const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect(low.next()).toBe(50);
  });
});

describe('openWatch', () => {
  function streamingClient(body: PassThrough): KubeClient {
    return {
      server: 'https://stub',
      origin: 'flag',
      close: () => undefined,
      request: () => Promise.reject(new Error('not used')),
      exchange: () => Promise.reject(new Error('not used')),
      stream: () => Promise.resolve({ body, close: () => body.destroy() }),
    };
  }

  it('delivers events split across chunks and resolves when the server ends the stream', async () => {
    const body = new PassThrough();
    const events: string[] = [];
    const h = await openWatch(streamingClient(body), { path: '/api/v1/configmaps' }, (e) =>
      events.push(`${e.type} ${e.object.metadata.name ?? e.object.metadata.resourceVersion}`),
    );
    const cm = (name: string): string =>
      JSON.stringify({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    const text = `${cm('a')}\n${cm('b')}\n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}\n`;
    body.write(text.slice(0, 10));
    body.write(text.slice(10));
    body.end();
    await h.done;
    expect(events).toEqual(['ADDED a', 'ADDED b', 'BOOKMARK 9']);
  });

  it('resolves when stopped', async () => {
    const body = new PassThrough();
    const h = await openWatch(streamingClient(body), { path: '/x' }, () => undefined);
    h.stop();
    await expect(h.done).resolves.toBeUndefined();
  });

  it('rejects with a TimeoutError when the stream goes silent', async () => {
    const body = new PassThrough();
    const h = await openWatch(streamingClient(body), { path: '/x', idleTimeoutMs: 20 }, () => undefined);
    await expect(h.done).rejects.toBeInstanceOf(TimeoutError);
  });

  it('rejects on a line that is not JSON', async () => {
    const body = new PassThrough();
    const h = await openWatch(streamingClient(body), { path: '/x' }, () => undefined);
    body.write('<html>\n');
    await expect(h.done).rejects.toBeInstanceOf(SyntaxError);
  });
});
