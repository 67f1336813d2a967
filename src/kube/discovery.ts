// API discovery: which resource (plural, scope, verbs, subresources) serves a kind. Results are
// cached per group-version; a kind that is missing from a cached list triggers one refetch, so a
// freshly established CRD is found without waiting for the TTL. Callers invalidate on CRD events.

import type { KubeClient } from './client.js';
import { isNotFound, NoKindMatchError } from './errors.js';
import type { Gvk, Gvr } from './gvk.js';
import { formatApiVersion } from './gvk.js';
import { groupVersionPath } from './url.js';

export interface ResourceMapping {
  readonly gvk: Gvk;
  readonly gvr: Gvr;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  /** e.g. ['status', 'scale'] */
  readonly subresources: readonly string[];
}

export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
  readonly platform?: string;
}

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
}

interface Entry {
  readonly fetchedAt: number;
  /** undefined: the group-version is not served. */
  readonly resources: Promise<ApiResource[] | undefined>;
}

export interface DiscoveryOptions {
  /** Entries older than this are refetched on next use. Default 5 minutes. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class Discovery {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    opts: DiscoveryOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** The mapping for a kind, or NoKindMatchError when the server does not serve it. */
  async resolve(gvk: Gvk): Promise<ResourceMapping> {
    const m = await this.tryResolve(gvk);
    if (!m) throw new NoKindMatchError({ gvk });
    return m;
  }

  async tryResolve(gvk: Gvk): Promise<ResourceMapping | undefined> {
    const gv = formatApiVersion(gvk);
    const cached = this.cache.get(gv);
    const fresh = cached !== undefined && this.now() - cached.fetchedAt < this.ttlMs;
    let entry = fresh ? cached : this.fetch(gvk);
    let m = mappingFor(gvk, await entry.resources);
    if (!m && entry === cached) {
      // Cached list predates the kind (new CRD): look again once.
      entry = this.fetch(gvk);
      m = mappingFor(gvk, await entry.resources);
    }
    return m;
  }

  /** The mapping for a resource (plural), e.g. for a watch registered by GVR. */
  async resolveResource(gvr: Gvr): Promise<ResourceMapping | undefined> {
    const probe: Gvk = { group: gvr.group, version: gvr.version, kind: '' };
    const gv = formatApiVersion(gvr);
    let entry = this.cache.get(gv) ?? this.fetch(probe);
    let r = (await entry.resources)?.find((x) => x.name === gvr.resource);
    if (!r && this.cache.get(gv) === entry) {
      entry = this.fetch(probe);
      r = (await entry.resources)?.find((x) => x.name === gvr.resource);
    }
    return r ? mappingFor({ ...probe, kind: r.kind }, await entry.resources) : undefined;
  }

  /** Forget one group-version, or everything. */
  invalidate(gv?: { group: string; version: string }): void {
    if (gv) this.cache.delete(formatApiVersion(gv));
    else this.cache.clear();
  }

  /** Forget every version of a group (a CRD changed). */
  invalidateGroup(group: string): void {
    for (const key of [...this.cache.keys()]) {
      if (group === '' ? !key.includes('/') : key.startsWith(`${group}/`)) this.cache.delete(key);
    }
  }

  private fetch(gv: { group: string; version: string }): Entry {
    const key = formatApiVersion(gv);
    const resources = this.client
      .request<{ resources?: ApiResource[] }>({ method: 'GET', path: groupVersionPath(gv) })
      .then(
        (list) => list.resources ?? [],
        (e: unknown) => {
          if (isNotFound(e)) return undefined;
          this.cache.delete(key); // do not cache transport/server errors
          throw e;
        },
      );
    const entry: Entry = { fetchedAt: this.now(), resources };
    this.cache.set(key, entry);
    return entry;
  }
}

function mappingFor(gvk: Gvk, resources: ApiResource[] | undefined): ResourceMapping | undefined {
  if (!resources) return undefined;
  const main = resources.find((r) => r.kind === gvk.kind && !r.name.includes('/'));
  if (!main) return undefined;
  const prefix = `${main.name}/`;
  return {
    gvk,
    gvr: { group: gvk.group, version: gvk.version, resource: main.name },
    namespaced: main.namespaced,
    verbs: main.verbs ?? [],
    subresources: resources.filter((r) => r.name.startsWith(prefix)).map((r) => r.name.slice(prefix.length)),
  };
}

export async function getServerVersion(client: KubeClient): Promise<ServerVersion> {
  return client.request<ServerVersion>({ method: 'GET', path: '/version' });
}
