// Plain-JSON object shapes exchanged with the API server. Objects stay untyped JSON beyond the
// envelope: kro-ts applies whatever a template renders, so nothing here may drop a field.

import type { ObjectMeta } from '../api/rgd.js';

export interface KubeObjectMeta extends ObjectMeta {
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  [key: string]: unknown;
}

/** Identifies one object. `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | undefined;
}

export interface ObjectList {
  /** Items with apiVersion and kind filled in (the server omits them for built-in kinds). */
  readonly items: KubeObject[];
  /** The list's resourceVersion: start a watch here to see every later change. */
  readonly resourceVersion: string;
}

export function refOf(obj: KubeObject): ObjectRef {
  const name = obj.metadata.name;
  if (!name) throw new TypeError(`${obj.kind} has no metadata.name`);
  return { apiVersion: obj.apiVersion, kind: obj.kind, name, namespace: obj.metadata.namespace };
}

/** `ns/name` or `name`: the key informers and caches use. */
export function objectKey(obj: {
  metadata?: { namespace?: string | undefined; name?: string | undefined };
}): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}
