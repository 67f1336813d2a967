// The instance status schema: the user's inferred fields plus the fields kro-ts writes itself
// (spec 02 §8). A field the RGD declares under the same name belongs to the author and wins.

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
