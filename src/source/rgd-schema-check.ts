// `kro-ts validate` also checks each RGD the way the API server admits it (issue 14): against the
// RGD CRD's own OpenAPI schema (src/api/rgd-crd.ts), with the API server's wording, so that what
// validate accepts, `kubectl apply` accepts too. Kept apart from validate.ts on purpose.
//   - apiVersion must be one the CRD serves (kro.run/v1alpha1): otherwise kubectl answers
//     `no matches for kind "ResourceGraphDefinition" in version "kro.run/v9"`;
//   - unknown fields are errors, as with kubectl's default strict field validation:
//     `strict decoding error: unknown field "spec.resourcess"`;
//   - types, required fields, enums, patterns and bounds: `spec.resources: Invalid value: …`.

import type { OpenApiSchema } from '../api/openapi.js';
import { RGD_OPENAPI_SCHEMA } from '../api/rgd-crd.js';
import type { Issue } from '../lib/issue.js';
import { isPlainObject } from '../lib/json.js';
import { applyDefaults, pruneUnknown } from './structural.js';
import { validateValue } from './validate-value.js';

export const RGD_SERVED_API_VERSION = 'kro.run/v1alpha1';
const CODE = 'RgdSchema';

export function checkRgdAgainstCrd(rgd: unknown): Issue[] {
  if (!isPlainObject(rgd)) return [{ code: CODE, path: '', message: 'the document is not an object' }];
  const issues: Issue[] = [];
  const apiVersion = rgd['apiVersion'];
  if (apiVersion !== RGD_SERVED_API_VERSION) {
    issues.push({
      code: CODE,
      path: 'apiVersion',
      message: `no matches for kind "ResourceGraphDefinition" in version "${String(apiVersion)}" (the RGD CRD serves ${RGD_SERVED_API_VERSION})`,
    });
  }
  const schema = RGD_OPENAPI_SCHEMA as unknown as OpenApiSchema;
  const copy = structuredClone(rgd);
  // metadata is validated by the API server's ObjectMeta rules, not the CRD schema.
  delete copy['metadata'];
  const unknown = pruneUnknown(copy, schema, '');
  // The API server defaults before it validates (spec.schema.scope, …).
  applyDefaults(copy, schema);
  const invalid: Issue[] = [];
  for (const [key, value] of Object.entries(copy)) {
    const child = schema.properties?.[key];
    if (child === undefined) continue;
    for (const e of validateValue(value, child, key))
      invalid.push({ code: CODE, path: e.path, message: e.message });
  }
  // Fields under a value of the wrong type are not "unknown": the type error says it all.
  const wrong = invalid.map((i) => i.path);
  for (const p of unknown) {
    if (wrong.some((w) => p.startsWith(`${w}.`) || p.startsWith(`${w}[`))) continue;
    issues.push({ code: CODE, path: p, message: `strict decoding error: unknown field "${p}"` });
  }
  return [...issues, ...invalid];
}
