// Walks an OpenAPI schema's sub-schemas (not its default/enum values), so that normalisation
// such as sorting `required` never touches user data that merely looks like a schema.

import type { OpenApiSchema } from '../api/openapi.js';

export function forEachSubSchema(schema: OpenApiSchema, fn: (s: OpenApiSchema) => void): void {
  fn(schema);
  for (const child of Object.values(schema.properties ?? {})) forEachSubSchema(child, fn);
  if (schema.items) forEachSubSchema(schema.items, fn);
  if (typeof schema.additionalProperties === 'object') forEachSubSchema(schema.additionalProperties, fn);
  for (const list of [schema.allOf, schema.anyOf, schema.oneOf]) {
    for (const child of list ?? []) forEachSubSchema(child, fn);
  }
  if (schema.not) forEachSubSchema(schema.not, fn);
}

/** Sorts and de-duplicates every `required` list in place; drops empty ones. */
export function sortRequiredDeep(schema: OpenApiSchema): void {
  forEachSubSchema(schema, (s) => {
    if (s.required === undefined) return;
    const sorted = [...new Set(s.required)].sort();
    if (sorted.length > 0) s.required = sorted;
    else delete s.required;
  });
}
