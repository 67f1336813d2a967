// Resolves kinds against a live API server (spec/03 §6.1): the group-version's /openapi/v3
// document and its discovery list, cached per group-version (LRU 500 entries, TTL 5 minutes).
// A kind that is not found triggers one refresh (a CRD may just have been installed); CRD events
// call invalidate(). The HTTP client is injected so schema/ does not depend on kube/'s API.

import { errorMessage } from '../lib/errors.js';
import { isPlainObject } from '../lib/json.js';
import { err, ok } from '../lib/result.js';
import type { Result } from '../lib/result.js';
import { DocumentKinds } from './document.js';
import { documentFromServer } from './from-server.js';
import { LruTtlCache } from './lru-cache.js';
import { groupVersionOf } from './types.js';
import type { Gvk, ResolvedKind, SchemaResolver } from './types.js';

/** The only thing the resolver needs from a Kubernetes client: GET a path, parse JSON, throw on error. */
export interface JsonGetter {
  getJson(path: string): Promise<unknown>;
}

export interface LiveResolverOptions {
  readonly client: JsonGetter;
  readonly maxEntries?: number;
  readonly ttlMs?: number;
  readonly now?: () => number;
}

const INDEX_KEY = '';

export class LiveSchemaResolver implements SchemaResolver {
  private readonly docs: LruTtlCache<string, Promise<DocumentKinds>>;
  private readonly index: LruTtlCache<string, Promise<Record<string, string>>>;
  private readonly client: JsonGetter;

  constructor(options: LiveResolverOptions) {
    this.client = options.client;
    const cacheOptions = {
      maxEntries: options.maxEntries ?? 500,
      ttlMs: options.ttlMs ?? 5 * 60_000,
      ...(options.now ? { now: options.now } : {}),
    };
    this.docs = new LruTtlCache(cacheOptions);
    this.index = new LruTtlCache({ ...cacheOptions, maxEntries: 1 });
  }

  /** Forget cached documents: one group-version (CRD event) or everything. */
  invalidate(groupVersion?: string): void {
    this.index.clear();
    if (groupVersion === undefined) this.docs.clear();
    else this.docs.delete(groupVersion);
  }

  async resolve(gvk: Gvk): Promise<Result<ResolvedKind, string>> {
    const gv = groupVersionOf(gvk);
    const first = await this.lookup(gvk, gv);
    if (first.ok || first.error.startsWith('failed to fetch')) return first;
    // Not found in a cached copy: the kind may be new, refresh once.
    this.invalidate(gv);
    return this.lookup(gvk, gv);
  }

  private async lookup(gvk: Gvk, gv: string): Promise<Result<ResolvedKind, string>> {
    let doc: DocumentKinds;
    try {
      const d = await this.document(gv);
      if (!d) return err(`no matches for kind "${gvk.kind}" in version "${gv}"`);
      doc = d;
    } catch (e) {
      return err(`failed to fetch schema of ${gv}: ${errorMessage(e)}`);
    }
    const r = doc.resolve(gvk.kind);
    return typeof r === 'string' ? err(r) : ok(r);
  }

  private async document(gv: string): Promise<DocumentKinds | undefined> {
    const paths = await this.paths();
    const url = paths[gv.includes('/') ? `apis/${gv}` : `api/${gv}`];
    if (url === undefined) return undefined;
    const cached = this.docs.get(gv);
    if (cached) return cached;
    const discoveryPath = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
    const p = Promise.all([this.client.getJson(url), this.client.getJson(discoveryPath)]).then(
      ([openapi, discovery]) => new DocumentKinds(documentFromServer(gv, openapi, discovery)),
    );
    this.docs.set(gv, p);
    p.catch(() => this.docs.delete(gv));
    return p;
  }

  /** `/openapi/v3` index: group-version path (`apis/apps/v1`) → server-relative URL with hash. */
  private paths(): Promise<Record<string, string>> {
    const cached = this.index.get(INDEX_KEY);
    if (cached) return cached;
    const p = this.client.getJson('/openapi/v3').then((root) => {
      const out: Record<string, string> = {};
      const paths = isPlainObject(root) && isPlainObject(root['paths']) ? root['paths'] : {};
      for (const [k, v] of Object.entries(paths)) {
        const rel = isPlainObject(v) ? v['serverRelativeURL'] : undefined;
        out[k] = typeof rel === 'string' ? rel : `/openapi/v3/${k}`;
      }
      return out;
    });
    this.index.set(INDEX_KEY, p);
    p.catch(() => this.index.delete(INDEX_KEY));
    return p;
  }
}
