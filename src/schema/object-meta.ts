// ObjectMeta as the API server publishes it (io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta),
// for schemas that do not carry it: CRD schemas (the server adds metadata when it publishes them)
// and the instance's `schema` variable (spec/03 §2). managedFields is left untyped on purpose.

import type { OpenApiSchema } from '../api/openapi.js';
import { deepFreeze } from './inline-refs.js';

const stringMap: OpenApiSchema = { type: 'object', additionalProperties: { type: 'string' } };
const timestamp: OpenApiSchema = { type: 'string', format: 'date-time' };

export const OBJECT_META_SCHEMA: OpenApiSchema = deepFreeze({
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer', format: 'int64' },
    creationTimestamp: timestamp,
    deletionTimestamp: timestamp,
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
    },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
});

/** ObjectMeta without `namespace`, for cluster-scoped kinds (spec/03 §2). */
export const CLUSTER_OBJECT_META_SCHEMA: OpenApiSchema = deepFreeze({
  ...OBJECT_META_SCHEMA,
  properties: Object.fromEntries(
    Object.entries(OBJECT_META_SCHEMA.properties ?? {}).filter(([k]) => k !== 'namespace'),
  ),
});

/** Adds apiVersion, kind and metadata to an object schema that lacks them (CRD schemas). */
export function withObjectEnvelope(schema: OpenApiSchema): OpenApiSchema {
  const props = { ...(schema.properties ?? {}) };
  props['apiVersion'] ??= { type: 'string' };
  props['kind'] ??= { type: 'string' };
  const meta = props['metadata'];
  if (!meta || !meta.properties) props['metadata'] = OBJECT_META_SCHEMA;
  return { ...schema, type: 'object', properties: props };
}
