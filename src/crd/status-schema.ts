// The instance status shape, declared once: the user's inferred fields plus the fields kro-ts
// writes itself (spec 02 §8). The CRD's status schema, the status builder's list of its own fields
// (controller/instance/status-builder.ts) and the kro-vs-kro-ts CRD check (diff.ts) all derive
// from the two field tables below. A field the RGD declares under the same name belongs to the
// author and wins.

import type { OpenApiSchema } from '../api/openapi.js';
import { deepClone } from '../lib/json.js';

const str = (): OpenApiSchema => ({ type: 'string' });

/** kro's `state` and `conditions` (kro's exact shapes, pkg/graph/crd/defaults.go). */
export function kroStatusFields(): Record<string, OpenApiSchema> {
  return {
    state: str(),
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: str(),
          status: str(),
          reason: str(),
          message: str(),
          lastTransitionTime: str(),
          observedGeneration: { type: 'integer' },
        },
      },
    },
  };
}

/** Beyond kro: observedGeneration and managedResources (spec 02 §8, 04 §12.3). */
export function kroTsStatusFields(): Record<string, OpenApiSchema> {
  return {
    observedGeneration: { type: 'integer', format: 'int64' },
    managedResources: {
      type: 'array',
      'x-kubernetes-list-type': 'atomic',
      items: {
        type: 'object',
        properties: {
          id: str(),
          apiVersion: str(),
          kind: str(),
          namespace: str(),
          name: str(),
          state: str(),
          reason: str(),
          message: str(),
        },
      },
    },
  };
}

/** The fields kro writes on every instance status. */
export const KRO_STATUS_FIELDS: readonly string[] = Object.freeze(Object.keys(kroStatusFields()));
/** The fields kro-ts writes beside kro's (kro's own CRDs never carry them). */
export const KRO_TS_STATUS_FIELDS: readonly string[] = Object.freeze(Object.keys(kroTsStatusFields()));
/** Every status field the controller owns (unless the RGD declares it itself). */
export const OWN_STATUS_FIELDS: readonly string[] = Object.freeze([
  ...KRO_STATUS_FIELDS,
  ...KRO_TS_STATUS_FIELDS,
]);

export function buildStatusSchema(inferred: OpenApiSchema): OpenApiSchema {
  const status = deepClone(inferred);
  status.type = 'object';
  const properties = { ...(status.properties ?? {}) };
  for (const [name, schema] of Object.entries({ ...kroStatusFields(), ...kroTsStatusFields() })) {
    if (!(name in properties)) properties[name] = schema;
  }
  status.properties = properties;
  return status;
}
