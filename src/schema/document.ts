// The on-disk shape of one group-version's schemas, shared by the bundled data (written by
// hack/gen-bundled-schemas.ts), the unit-test fixtures and the live resolver's cache: the
// document's component schemas kept with their refs (compact), plus the REST mapping of each kind.

import { isPlainObject } from '../lib/json.js';
import { RefInliner } from './inline-refs.js';
import type { ResolvedKind } from './types.js';

export interface KindEntry {
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Component name in `schemas`, e.g. `io.k8s.api.apps.v1.Deployment`. */
  readonly schema: string;
}

export interface GroupVersionDocument {
  /** `v1` for the core group, `apps/v1` otherwise. */
  readonly groupVersion: string;
  readonly resources: readonly KindEntry[];
  readonly schemas: Readonly<Record<string, unknown>>;
}

export function isGroupVersionDocument(v: unknown): v is GroupVersionDocument {
  return (
    isPlainObject(v) &&
    typeof v['groupVersion'] === 'string' &&
    Array.isArray(v['resources']) &&
    isPlainObject(v['schemas'])
  );
}

/** Lazily resolves the kinds of one document; each kind is inlined once, then shared. */
export class DocumentKinds {
  private readonly inliner: RefInliner;
  private readonly byKind = new Map<string, KindEntry>();
  private readonly resolved = new Map<string, ResolvedKind>();

  constructor(readonly document: GroupVersionDocument) {
    this.inliner = new RefInliner(document.schemas);
    for (const r of document.resources) this.byKind.set(r.kind, r);
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  /** The kind's mapping and inlined schema; a string cause when absent. */
  resolve(kind: string): ResolvedKind | string {
    const cached = this.resolved.get(kind);
    if (cached) return cached;
    const entry = this.byKind.get(kind);
    if (!entry) return `no matches for kind "${kind}" in version "${this.document.groupVersion}"`;
    const schema = this.inliner.component(entry.schema);
    if (!schema)
      return `schema ${entry.schema} not found in /openapi/v3 document of ${this.document.groupVersion}`;
    const out = Object.freeze({ schema, plural: entry.plural, namespaced: entry.namespaced });
    this.resolved.set(kind, out);
    return out;
  }
}
