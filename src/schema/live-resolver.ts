// Resolves kinds against a live API server (spec/03 §6.1): the group-version's /openapi/v3
// document for the schema, API discovery for plural and scope. Documents are cached per
// group-version (LRU 500 entries, TTL 5 minutes); a kind that is not found triggers one refresh
// (a CRD may just have been installed), and CRD events call invalidate(). The HTTP client and,
// optionally, the REST mapper are injected, so schema/ does not depend on kube/'s API: pass
// `{ getJson: (path) => kube.request({ method: 'GET', path }) }` and a mapper over kube/'s
// Discovery to share its cache.

import { errorMessage } from '../lib/errors.js';
import { isPlainObject } from '../lib/json.js';
import { err, ok } from '../lib/result.js';
import type { Result } from '../lib/result.js';
import { componentsByKind, discoveryResources } from './from-server.js';
import { RefInliner } from './inline-refs.js';
import { LruTtlCache } from '../lib/lru-cache.js';
import { groupVersionOf } from './types.js';
import type { Gvk, ResolvedKind, SchemaResolver } from './types.js';

/** The only thing the resolver needs from a Kubernetes client: GET a path, parse JSON, throw on error. */
export interface JsonGetter {
  getJson(path: string): Promise<unknown>;
}

export interface RestMapping {
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Plural and scope of a kind; undefined when the server does not serve it. */
export type RestMapper = (gvk: Gvk) => Promise<RestMapping | undefined>;

export interface LiveResolverOptions {
  readonly client: JsonGetter;
  /** Defaults to reading `/api/v1` or `/apis/<group>/<version>` through `client`. */
  readonly restMapper?: RestMapper;
  readonly maxEntries?: number;
  readonly ttlMs?: number;
  readonly now?: () => number;
}

interface GroupVersionEntry {
  readonly inliner: RefInliner;
  readonly components: ReadonlyMap<string, string>;
  /** From discovery when no REST mapper was injected. */
  readonly mappings?: ReadonlyMap<string, RestMapping>;
  readonly resolved: Map<string, ResolvedKind>;
}

const INDEX_KEY = '';

export class LiveSchemaResolver implements SchemaResolver {
  private readonly docs: LruTtlCache<string, Promise<GroupVersionEntry | undefined>>;
  private readonly index: LruTtlCache<string, Promise<Record<string, string>>>;

  constructor(private readonly options: LiveResolverOptions) {
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
    const notFound = `no matches for kind "${gvk.kind}" in version "${gv}"`;
    try {
      const entry = await this.entry(gv);
      const component = entry?.components.get(gvk.kind);
      if (!entry || component === undefined) return err(notFound);
      const cached = entry.resolved.get(gvk.kind);
      if (cached) return ok(cached);
      const mapping = this.options.restMapper
        ? await this.options.restMapper(gvk)
        : entry.mappings?.get(gvk.kind);
      const schema = entry.inliner.component(component);
      if (!mapping || !schema) return err(notFound);
      const resolved = Object.freeze({ schema, plural: mapping.plural, namespaced: mapping.namespaced });
      entry.resolved.set(gvk.kind, resolved);
      return ok(resolved);
    } catch (e) {
      return err(`failed to fetch schema of ${gv}: ${errorMessage(e)}`);
    }
  }

  private async entry(gv: string): Promise<GroupVersionEntry | undefined> {
    const cached = this.docs.get(gv);
    if (cached) return cached;
    const url = (await this.paths())[gv.includes('/') ? `apis/${gv}` : `api/${gv}`];
    if (url === undefined) return undefined;
    const p = this.fetchEntry(gv, url);
    this.docs.set(gv, p);
    p.catch(() => this.docs.delete(gv));
    return p;
  }

  private async fetchEntry(gv: string, url: string): Promise<GroupVersionEntry> {
    const { client } = this.options;
    const discoveryPath = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
    const [openapi, discovery] = await Promise.all([
      client.getJson(url),
      this.options.restMapper ? Promise.resolve(undefined) : client.getJson(discoveryPath),
    ]);
    const components =
      isPlainObject(openapi) && isPlainObject(openapi['components']) ? openapi['components'] : {};
    const schemas = isPlainObject(components['schemas']) ? components['schemas'] : {};
    const mappings = this.options.restMapper
      ? undefined
      : new Map(
          discoveryResources(discovery).map((r) => [r.kind, { plural: r.plural, namespaced: r.namespaced }]),
        );
    return {
      inliner: new RefInliner(schemas),
      components: componentsByKind(gv, schemas),
      ...(mappings ? { mappings } : {}),
      resolved: new Map(),
    };
  }

  /** `/openapi/v3` index: group-version path (`apis/apps/v1`) → server-relative URL with hash. */
  private paths(): Promise<Record<string, string>> {
    const cached = this.index.get(INDEX_KEY);
    if (cached) return cached;
    const p = this.options.client.getJson('/openapi/v3').then((root) => {
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
