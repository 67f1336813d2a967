// Verbs on objects of any kind, addressed by apiVersion/kind (discovery supplies plural and
// scope). Bodies go out and come back as raw JSON. Server-side apply is the write path kro-ts
// uses for children; merge patch is for finalizers and labels; status has its own verbs because
// the status subresource ignores everything else.

import type { KubeClient, KubeRequest } from './client.js';
import { ContentTypes } from './client.js';
import type { Discovery, ResourceMapping } from './discovery.js';
import { isNotFound } from './errors.js';
import type { Gvk } from './gvk.js';
import { formatApiVersion, gvkFromApiVersion, gvkOf } from './gvk.js';
import type { KubeObject, ObjectList, ObjectRef } from './types.js';
import { refOf } from './types.js';
import { resourcePath } from './url.js';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface ListOptions {
  readonly apiVersion: string;
  readonly kind: string;
  /** Omit for all namespaces (or for cluster-scoped kinds). */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Page size; every page is fetched. Default 500. */
  readonly pageSize?: number;
  /** Ask for PartialObjectMetadata: items carry metadata only. */
  readonly metadataOnly?: boolean;
  /** `0` lets the server answer from its cache; with `resourceVersionMatch: 'Exact'` reads history. */
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan' | undefined;
}

export interface WriteOptions {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
}

export interface ApplyOptions {
  readonly fieldManager: string;
  /** Take over fields owned by other managers instead of failing with 409. */
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

export interface ApplyResult {
  readonly object: KubeObject;
  /** True when the apply created the object (the server answered 201). */
  readonly created: boolean;
}

export interface DeleteOptions {
  /** Precondition: delete only the object with this UID (409 Conflict otherwise). */
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly propagationPolicy?: PropagationPolicy;
  readonly gracePeriodSeconds?: number;
}

export const METADATA_ONLY_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
export const METADATA_ONLY_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

export class Resources {
  constructor(
    readonly client: KubeClient,
    readonly discovery: Discovery,
  ) {}

  /** Plural and scope of a kind (NoKindMatchError when not served). */
  mapping(gvk: Gvk): Promise<ResourceMapping> {
    return this.discovery.resolve(gvk);
  }

  async get(ref: ObjectRef): Promise<KubeObject> {
    return this.send(ref, { method: 'GET', verb: 'get' });
  }

  /** Like get, but undefined instead of NotFoundError. */
  async tryGet(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.get(ref);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(opts: ListOptions): Promise<ObjectList> {
    const gvk = gvkFromApiVersion(opts.apiVersion, opts.kind);
    const m = await this.mapping(gvk);
    const path = resourcePath({ gvr: m.gvr, namespaced: m.namespaced, namespace: opts.namespace });
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.client.request<RawList>({
        method: 'GET',
        path,
        query: {
          labelSelector: opts.labelSelector || undefined,
          fieldSelector: opts.fieldSelector || undefined,
          limit: opts.pageSize ?? 500,
          continue: cont,
          // The continue token carries the version for later pages.
          resourceVersion: cont ? undefined : opts.resourceVersion,
          resourceVersionMatch: cont ? undefined : opts.resourceVersionMatch,
        },
        ...(opts.metadataOnly ? { accept: METADATA_ONLY_LIST_ACCEPT } : {}),
        target: { verb: 'list', gvk, ...(opts.namespace ? { namespace: opts.namespace } : {}) },
      });
      for (const it of page.items ?? []) items.push(fillTypeMeta(it, gvk, opts.metadataOnly));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  async create(obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const ref = refOfNew(obj);
    return this.send(ref, {
      method: 'POST',
      verb: 'create',
      collection: true,
      body: obj,
      query: writeQuery(opts),
    });
  }

  /** PUT: replaces the object; metadata.resourceVersion, when set, is an optimistic lock. */
  async replace(obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.send(refOf(obj), { method: 'PUT', verb: 'update', body: obj, query: writeQuery(opts) });
  }

  /**
   * Server-side apply. `obj` is sent verbatim: only the fields it sets are claimed by
   * `fieldManager`; fields it no longer sets are released.
   */
  async apply(obj: KubeObject, opts: ApplyOptions): Promise<KubeObject> {
    return this.send(refOf(obj), {
      method: 'PATCH',
      verb: 'apply',
      body: obj,
      contentType: ContentTypes.apply,
      query: applyQuery(opts),
    });
  }

  /** Server-side apply that also says whether the object was created (HTTP 201) or existed. */
  async applyDetailed(obj: KubeObject, opts: ApplyOptions): Promise<ApplyResult> {
    const { status, body } = await this.client.exchange<KubeObject>(
      await this.buildRequest(refOf(obj), {
        method: 'PATCH',
        verb: 'apply',
        body: obj,
        contentType: ContentTypes.apply,
        query: applyQuery(opts),
      }),
    );
    return { object: body, created: status === 201 };
  }

  /** JSON merge patch (RFC 7386): `null` deletes a key; lists are replaced whole. */
  async mergePatch(ref: ObjectRef, patch: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.send(ref, {
      method: 'PATCH',
      verb: 'patch',
      body: patch,
      contentType: ContentTypes.mergePatch,
      query: writeQuery(opts),
    });
  }

  /** Deletes; resolves with the server's answer (the object while finalizers hold it, else a Status). */
  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<unknown> {
    const pre = {
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {}),
    };
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
      ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
      ...(Object.keys(pre).length > 0 ? { preconditions: pre } : {}),
    };
    return this.send(ref, { method: 'DELETE', verb: 'delete', body });
  }

  async getStatus(ref: ObjectRef): Promise<KubeObject> {
    return this.send(ref, { method: 'GET', verb: 'get', subresource: 'status' });
  }

  /** PUT /status: replaces status (metadata.resourceVersion is the lock; 409 on a stale one). */
  async replaceStatus(obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.send(refOf(obj), {
      method: 'PUT',
      verb: 'update',
      subresource: 'status',
      body: obj,
      query: writeQuery(opts),
    });
  }

  async mergePatchStatus(ref: ObjectRef, patch: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.send(ref, {
      method: 'PATCH',
      verb: 'patch',
      subresource: 'status',
      body: patch,
      contentType: ContentTypes.mergePatch,
      query: writeQuery(opts),
    });
  }

  async applyStatus(obj: KubeObject, opts: ApplyOptions): Promise<KubeObject> {
    return this.send(refOf(obj), {
      method: 'PATCH',
      verb: 'apply',
      subresource: 'status',
      body: obj,
      contentType: ContentTypes.apply,
      query: applyQuery(opts),
    });
  }

  private async send(ref: ObjectRef, req: SendSpec): Promise<KubeObject> {
    return this.client.request<KubeObject>(await this.buildRequest(ref, req));
  }

  private async buildRequest(ref: ObjectRef, req: SendSpec): Promise<KubeRequest> {
    const gvk = gvkFromApiVersion(ref.apiVersion, ref.kind);
    const m = await this.mapping(gvk);
    const namespace = m.namespaced ? ref.namespace || undefined : undefined;
    if (m.namespaced && !namespace) {
      throw new TypeError(`${ref.kind} ${ref.name} is namespaced: a namespace is required`);
    }
    const path = resourcePath({
      gvr: m.gvr,
      namespaced: m.namespaced,
      namespace,
      name: req.collection ? undefined : ref.name,
      subresource: req.subresource,
    });
    const r: KubeRequest = {
      method: req.method,
      path,
      ...(req.query ? { query: req.query } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(req.contentType ? { contentType: req.contentType } : {}),
      target: { verb: req.verb, gvk, name: ref.name, ...(namespace ? { namespace } : {}) },
    };
    return r;
  }
}

interface SendSpec {
  method: KubeRequest['method'];
  verb: string;
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | boolean | undefined>;
  subresource?: string;
  /** POST to the collection (create). */
  collection?: boolean;
}

interface RawList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

function writeQuery(o: WriteOptions): Record<string, string | undefined> {
  return { fieldManager: o.fieldManager, dryRun: o.dryRun ? 'All' : undefined };
}

function applyQuery(o: ApplyOptions): Record<string, string | boolean | undefined> {
  return {
    fieldManager: o.fieldManager,
    force: o.force ? true : undefined,
    dryRun: o.dryRun ? 'All' : undefined,
  };
}

/** A ref for create: the name may be absent when generateName is used. */
function refOfNew(obj: KubeObject): ObjectRef {
  gvkOf(obj);
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name ?? '',
    namespace: obj.metadata.namespace,
  };
}

function fillTypeMeta(item: KubeObject, gvk: Gvk, metadataOnly: boolean | undefined): KubeObject {
  if (metadataOnly) return item;
  // Built-in kinds come back without apiVersion/kind in lists; callers expect whole objects.
  return { ...item, apiVersion: item.apiVersion || formatApiVersion(gvk), kind: item.kind || gvk.kind };
}
