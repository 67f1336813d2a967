// List-then-watch for one resource (optionally one namespace / label selector), keeping a cache
// and delivering add/update/delete events plus a synced signal. Recovery, as client-go's
// reflector: a 410 Gone (HTTP status or an ERROR event "too old resource version") triggers a
// full relist, diffed against the cache so handlers see what changed while we were away; other
// failures reconnect with jittered exponential backoff, resuming from the last resourceVersion
// (bookmarks keep it fresh). The server ends each watch after `watchTimeoutSeconds`; we re-watch.

import { errorMessage } from '../lib/errors.js';
import type { BackoffOptions } from './backoff.js';
import { Backoff, sleepUnlessAborted } from './backoff.js';
import type { ResourceMapping } from './discovery.js';
import { apiErrorFromStatus, isGone, isKubeApiError, isNoKindMatch, isNotFound } from './errors.js';
import type { Gvk, Gvr } from './gvk.js';
import { formatApiVersion } from './gvk.js';
import type { Resources } from './resources.js';
import { METADATA_ONLY_ACCEPT } from './resources.js';
import type { KubeObject } from './types.js';
import { objectKey } from './types.js';
import { resourcePath } from './url.js';
import type { WatchEvent, WatchHandle } from './watch.js';
import { openWatch } from './watch.js';

export interface InformerHandlers {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
  /** Once, after the first complete list has been delivered. */
  onSynced?(): void;
  /** List/watch failures (the informer keeps retrying) and exceptions thrown by handlers. */
  onError?(err: unknown): void;
}

/** The subset of a pino logger the informer uses. */
export interface InformerLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface InformerOptions {
  /** What to watch: a kind (resolved through discovery) or a resource. */
  readonly target: Gvk | Gvr;
  /** Omit for all namespaces. */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Objects carry metadata only (PartialObjectMetadata); enough for child watches. */
  readonly metadataOnly?: boolean;
  /**
   * Skip the initial list and watch from this resourceVersion (e.g. one saved earlier); the cache
   * starts empty and the informer counts as synced once the server accepts the watch. A version
   * the server no longer has yields 410 Gone, and the informer falls back to a full relist.
   */
  readonly resumeFromResourceVersion?: string;
  /** Per-watch server timeout; default random in [300, 600) like client-go. */
  readonly watchTimeoutSeconds?: number;
  readonly backoff?: BackoffOptions;
  readonly logger?: InformerLogger;
}

export interface InformerStats {
  lists: number;
  watches: number;
  /** Relists caused by 410 Gone. */
  gone: number;
  errors: number;
}

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers = new Set<InformerHandlers>();
  private readonly backoff: Backoff;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private currentWatch: { stop(): void } | undefined;
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private rv = '';
  private resolved: ResourceMapping | undefined;
  private lastError: unknown;
  readonly stats: InformerStats = { lists: 0, watches: 0, gone: 0, errors: 0 };

  constructor(
    private readonly resources: Resources,
    private readonly opts: InformerOptions,
  ) {
    this.backoff = new Backoff(opts.backoff);
  }

  /** Registers handlers; returns a function that removes them. Late handlers do not get replays. */
  addHandlers(h: InformerHandlers): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  /** Stops watching; resolves when the loop has exited. The cache is kept. */
  async stop(): Promise<void> {
    this.abort?.abort();
    this.currentWatch?.stop();
    await this.loop;
    this.loop = undefined;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get resourceVersion(): string {
    return this.rv;
  }

  /** Plural/scope once resolved. */
  get mapping(): ResourceMapping | undefined {
    return this.resolved;
  }

  /** Resolves once synced; with `timeoutMs`, rejects when that passes first (e.g. RBAC denies the list). */
  waitForSync(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.syncWaiters.push(done);
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const i = this.syncWaiters.indexOf(done);
          if (i >= 0) this.syncWaiters.splice(i, 1);
          const last = this.lastError === undefined ? '' : `; last error: ${errorMessage(this.lastError)}`;
          reject(new Error(`informer for ${this.describe()} not synced after ${opts.timeoutMs}ms${last}`));
        }, opts.timeoutMs);
      }
    });
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  private async run(signal: AbortSignal): Promise<void> {
    let needList = this.opts.resumeFromResourceVersion === undefined;
    this.rv = this.opts.resumeFromResourceVersion ?? '';
    while (!signal.aborted) {
      try {
        const m = await this.resolveMapping();
        if (needList) {
          await this.relist(m);
          needList = false;
        }
        const began = Date.now();
        const gone = await this.watchOnce(m, signal);
        if (!gone && Date.now() - began < 1000 && !signal.aborted) {
          // A watch the server (or a proxy) ends at once would otherwise spin.
          await sleepUnlessAborted(this.backoff.next(), signal);
        } else if (!gone) {
          this.backoff.reset();
        }
        if (gone) {
          this.stats.gone += 1;
          this.opts.logger?.debug({ gvk: this.describe() }, 'watch expired; relisting');
          needList = true;
        }
      } catch (e) {
        if (signal.aborted) break;
        if (isGone(e)) {
          this.stats.gone += 1;
          needList = true;
          continue;
        }
        this.stats.errors += 1;
        this.lastError = e;
        if (isNotFound(e) || isNoKindMatch(e)) this.forgetMapping();
        // As client-go's reflector: an error the server reported (rather than a broken
        // connection or throttling) may mean our version is unusable, so start over with a list.
        if (isKubeApiError(e) && e.status > 0 && e.code !== 'TooManyRequests') needList = true;
        this.opts.logger?.warn({ gvk: this.describe(), err: e }, 'list/watch failed; retrying');
        this.emit((h) => h.onError?.(e));
        await sleepUnlessAborted(this.backoff.next(), signal);
      }
    }
  }

  private async resolveMapping(): Promise<ResourceMapping> {
    if (this.resolved) return this.resolved;
    const t = this.opts.target;
    const m =
      'kind' in t
        ? await this.resources.mapping(t)
        : await this.resources.discovery.resolveResource(t).then((r) => {
            if (!r) throw new Error(`resource ${t.resource} is not served in ${formatApiVersion(t)}`);
            return r;
          });
    this.resolved = m;
    return m;
  }

  /** The kind may have gone (CRD deleted) or changed scope: resolve it afresh next time. */
  private forgetMapping(): void {
    const m = this.resolved;
    this.resolved = undefined;
    if (m) this.resources.discovery.invalidate(m.gvk);
  }

  private async relist(m: ResourceMapping): Promise<void> {
    const res = await this.resources.list({
      apiVersion: formatApiVersion(m.gvk),
      kind: m.gvk.kind,
      namespace: m.namespaced ? this.opts.namespace : undefined,
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      ...(this.opts.metadataOnly ? { metadataOnly: true } : {}),
    });
    this.stats.lists += 1;
    this.backoff.reset();
    const fresh = new Map(res.items.map((o) => [objectKey(o), o] as const));
    const old = new Map(this.cache);
    this.cache.clear();
    for (const [k, o] of fresh) this.cache.set(k, o);
    for (const [k, o] of fresh) {
      const prev = old.get(k);
      if (!prev) this.emit((h) => h.onAdd?.(o));
      else if (prev.metadata.resourceVersion !== o.metadata.resourceVersion)
        this.emit((h) => h.onUpdate?.(prev, o));
    }
    for (const [k, o] of old) if (!fresh.has(k)) this.emit((h) => h.onDelete?.(o));
    this.rv = res.resourceVersion;
    this.markSynced();
  }

  /** Watches until the server ends the stream (false) or reports 410 (true); throws on failures. */
  private async watchOnce(m: ResourceMapping, signal: AbortSignal): Promise<boolean> {
    let gone = false;
    let failure: unknown;
    // Events may arrive before openWatch's promise settles, so stopping goes through a holder.
    const holder: { handle?: WatchHandle } = {};
    let stopRequested = false;
    const stopWatch = (): void => {
      stopRequested = true;
      holder.handle?.stop();
    };
    const handle = await openWatch(
      this.resources.client,
      {
        path: resourcePath({ gvr: m.gvr, namespaced: m.namespaced, namespace: this.opts.namespace }),
        resourceVersion: this.rv,
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
        accept: this.opts.metadataOnly ? METADATA_ONLY_ACCEPT : undefined,
        target: { verb: 'watch', gvk: m.gvk },
      },
      (ev) => {
        if (gone || failure !== undefined) return;
        if (ev.type === 'ERROR') {
          const err = apiErrorFromStatus(ev.object, { verb: 'watch', gvk: m.gvk });
          if (isGone(err)) gone = true;
          else failure = err;
          stopWatch();
          return;
        }
        this.apply(ev, m);
      },
    );
    holder.handle = handle;
    this.currentWatch = handle;
    this.stats.watches += 1;
    if (signal.aborted || stopRequested) handle.stop();
    // The server accepted the watch: a resumed informer is as synced as it will get.
    if (!stopRequested) this.markSynced();
    try {
      await handle.done;
    } finally {
      this.currentWatch = undefined;
    }
    if (failure !== undefined) throw failure;
    return gone;
  }

  private apply(ev: WatchEvent, m: ResourceMapping): void {
    const obj = ev.object;
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.rv = rv;
    if (ev.type === 'BOOKMARK') return;
    const full = this.opts.metadataOnly
      ? obj
      : { ...obj, apiVersion: obj.apiVersion || formatApiVersion(m.gvk), kind: obj.kind || m.gvk.kind };
    const key = objectKey(full);
    const prev = this.cache.get(key);
    if (ev.type === 'DELETED') {
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(full));
      return;
    }
    this.cache.set(key, full);
    if (prev) this.emit((h) => h.onUpdate?.(prev, full));
    else this.emit((h) => h.onAdd?.(full));
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.emit((h) => h.onSynced?.());
    for (const w of this.syncWaiters.splice(0)) w();
  }

  /** Calls every handler; a throwing handler is reported and does not stop the others. */
  private emit(call: (h: InformerHandlers) => void): void {
    for (const h of [...this.handlers]) {
      try {
        call(h);
      } catch (e) {
        this.opts.logger?.warn({ gvk: this.describe(), err: e }, 'informer handler threw');
        if (h.onError) {
          try {
            h.onError(e);
          } catch {
            // An onError that throws has nowhere left to report to.
          }
        }
      }
    }
  }

  private describe(): string {
    const t = this.opts.target;
    return 'kind' in t ? `${t.kind}.${formatApiVersion(t)}` : `${t.resource}.${formatApiVersion(t)}`;
  }
}
