// What kube-apiserver does to a custom resource before validation, for structural schemas:
// pruning of unknown fields (reported, like kubectl's `unknown field` warnings) and OpenAPI
// defaulting (defaults of absent properties, recursively, so `default: {}` on an object lets the
// defaults of its children apply; a null in a non-nullable field with a default is defaulted).
// Values are plain JSON except that integers read from YAML may be bigint (see validate-value.ts).

import type { OpenApiSchema } from '../api/openapi.js';
import { isPlainObject } from '../lib/json.js';

/** Removes fields the schema does not know; returns their paths (`spec.values.foo`). */
export function pruneUnknown(value: unknown, schema: OpenApiSchema, path: string): string[] {
  const pruned: string[] = [];
  walkPrune(value, schema, path, pruned);
  return pruned;
}

function walkPrune(value: unknown, schema: OpenApiSchema, path: string, pruned: string[]): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true && !schema.properties) return;
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((v, i) => walkPrune(v, schema.items as OpenApiSchema, `${path}[${i}]`, pruned));
    return;
  }
  if (!isPlainObject(value)) return;
  const addl = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    const child = schema.properties?.[key] ?? addl;
    const childPath = path === '' ? key : `${path}.${key}`;
    if (child) walkPrune(value[key], child, childPath, pruned);
    else if (
      schema.additionalProperties !== true &&
      schema['x-kubernetes-preserve-unknown-fields'] !== true
    ) {
      pruned.push(childPath);
      delete value[key];
    }
  }
}

/** Applies defaults in place, the way the API server's structural defaulting does. */
export function applyDefaults(value: unknown, schema: OpenApiSchema): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const v of value) applyDefaults(v, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.default === undefined) continue;
    const current = value[key];
    if (current === undefined || (current === null && prop.nullable !== true))
      value[key] = structuredClone(prop.default);
  }
  const addl = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [key, v] of Object.entries(value)) {
    const child = schema.properties?.[key] ?? addl;
    if (child) applyDefaults(v, child);
  }
}
