// SimpleSchema → OpenAPI v3: the `spec` part of an instance CRD's schema (spec 02 §2–7).
// Pure; never throws for user input. Returns every issue found, each carrying the RGD path of
// the field it is about and kro's message (`field a: field b: <leaf>`, `building schema for T: …`).
// Output is plain JSON with sorted, de-duplicated `required` lists; custom types are inlined.

import type { OpenApiSchema } from '../api/openapi.js';
import type { Issue } from '../lib/issue.js';
import { issue } from '../lib/issue.js';
import { isPlainObject } from '../lib/json.js';
import type { Result } from '../lib/result.js';
import { err, ok } from '../lib/result.js';
import type { BuildContext } from './build-field.js';
import { ISSUE_CODE, buildObject, goTypeName } from './build-field.js';
import { TYPES_PATH, loadCustomTypes } from './custom-types.js';

export const SPEC_PATH = 'spec.schema.spec';

export function buildSpecSchema(input: { spec?: unknown; types?: unknown }): Result<OpenApiSchema, Issue[]> {
  const issues: Issue[] = [];
  const types = asMap(input.types, TYPES_PATH, issues);
  const spec = asMap(input.spec, SPEC_PATH, issues);
  const loaded = loadCustomTypes(types, issues);
  const ctx: BuildContext = { ...loaded, issues };
  const built = buildObject(ctx, spec, { path: SPEC_PATH, prefix: '' });
  if (issues.length > 0 || built.schema === undefined) return err(issues);
  return ok(built.schema);
}

function asMap(v: unknown, path: string, issues: Issue[]): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (isPlainObject(v)) return v;
  // The RGD CRD declares both blocks as objects, so only offline input can get here.
  issues.push(issue({ code: ISSUE_CODE, path, message: `expected a map, got: ${goTypeName(v)}` }));
  return {};
}
