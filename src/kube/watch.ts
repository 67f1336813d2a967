// One watch request: a long-lived GET with `watch=1` whose body is newline-delimited JSON
// events. No retry logic here; the informer decides what to do when a watch ends or fails.

import type { KubeClient, KubeStream } from './client.js';
import type { RequestTarget } from './errors.js';
import { TimeoutError } from './errors.js';
import type { KubeObject } from './types.js';
import type { QueryValue } from './url.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  readonly type: WatchEventType;
  /** The object; for ERROR a metav1.Status. */
  readonly object: KubeObject;
}

export interface WatchRequest {
  /** Collection path, e.g. `/api/v1/namespaces/ns/configmaps`. */
  readonly path: string;
  readonly resourceVersion?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Server closes the watch after this long (the client then re-watches). */
  readonly timeoutSeconds?: number | undefined;
  readonly allowBookmarks?: boolean;
  readonly accept?: string | undefined;
  readonly target?: RequestTarget;
  /**
   * Give up on a stream that delivers nothing (not even a bookmark) for this long: a connection
   * that died without a FIN would otherwise hang the watch forever. Default: timeoutSeconds
   * plus 30 s, or 10 minutes.
   */
  readonly idleTimeoutMs?: number;
}

export interface WatchHandle {
  /** Resolves when the server ends the stream or `stop()` is called; rejects on a broken stream. */
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * Opens a watch and calls `onEvent` for each event in order. Resolves once the server accepted
 * the watch (2xx); HTTP errors (e.g. 410 on the initial request) reject with a KubeApiError.
 */
export async function openWatch(
  client: KubeClient,
  req: WatchRequest,
  onEvent: (e: WatchEvent) => void,
): Promise<WatchHandle> {
  const query: Record<string, QueryValue> = {
    watch: 1,
    resourceVersion: req.resourceVersion || undefined,
    labelSelector: req.labelSelector || undefined,
    fieldSelector: req.fieldSelector || undefined,
    timeoutSeconds: req.timeoutSeconds,
    allowWatchBookmarks: req.allowBookmarks === false ? undefined : true,
  };
  const s = await client.stream({
    method: 'GET',
    path: req.path,
    query,
    ...(req.accept ? { accept: req.accept } : {}),
    ...(req.target ? { target: req.target } : {}),
  });
  const idleMs =
    req.idleTimeoutMs ?? (req.timeoutSeconds !== undefined ? req.timeoutSeconds * 1000 + 30_000 : 600_000);
  return {
    done: pump(s, onEvent, { idleMs, target: req.target ?? { verb: 'watch', path: req.path } }),
    stop: () => s.close(),
  };
}

function pump(
  s: KubeStream,
  onEvent: (e: WatchEvent) => void,
  opts: { idleMs: number; target: RequestTarget },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let stopped = false;
    let idle = setTimeout(onIdle, opts.idleMs);
    function onIdle(): void {
      if (stopped) return;
      stopped = true;
      s.close();
      reject(
        new TimeoutError({
          status: 0,
          serverMessage: `watch idle for ${opts.idleMs}ms`,
          target: opts.target,
        }),
      );
    }
    s.body.on('data', () => {
      clearTimeout(idle);
      idle = setTimeout(onIdle, opts.idleMs);
    });
    s.body.on('close', () => clearTimeout(idle));
    const lines = new LineSplitter();
    const deliver = (line: string): void => {
      if (line.trim() === '') return;
      const ev = JSON.parse(line) as WatchEvent;
      onEvent(ev);
    };
    s.body.on('data', (chunk: Buffer) => {
      if (stopped) return;
      try {
        for (const line of lines.push(chunk)) deliver(line);
      } catch (e) {
        stopped = true;
        s.close();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    s.body.on('end', () => {
      if (stopped) return;
      stopped = true;
      try {
        const rest = lines.flush();
        if (rest !== '') deliver(rest);
        resolve();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    // close() destroys the response: treat that as a normal end, not an error.
    s.body.on('close', () => {
      if (stopped) return;
      stopped = true;
      resolve();
    });
    s.body.on('error', (e) => {
      if (stopped) return;
      stopped = true;
      reject(e);
    });
  });
}

/** Splits a byte stream into lines without breaking multi-byte UTF-8 characters across chunks. */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private buf = '';

  push(chunk: Uint8Array): string[] {
    this.buf += this.decoder.decode(chunk, { stream: true });
    const parts = this.buf.split('\n');
    this.buf = parts.pop() ?? '';
    return parts;
  }

  flush(): string {
    const rest = this.buf + this.decoder.decode();
    this.buf = '';
    return rest;
  }
}
