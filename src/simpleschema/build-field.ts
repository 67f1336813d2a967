// Builds the OpenAPI schema of one SimpleSchema field or nested object, collecting issues.
// Shared by the spec builder and the custom-type loader; both hand in a context that knows the
// already-resolved custom types.

import type { OpenApiSchema } from '../api/openapi.js';
import type { Issue } from '../lib/issue.js';
import { issue } from '../lib/issue.js';
import { deepClone, isPlainObject } from '../lib/json.js';
import type { Result } from '../lib/result.js';
import { err, ok } from '../lib/result.js';
import { lexMarkers } from './marker-lexer.js';
import { applyMarkers } from './markers.js';
import type { TypeExpr } from './type-expr.js';
import { parseTypeExpression, splitFieldString } from './type-expr.js';

export const ISSUE_CODE = 'SimpleSchema';

export interface ResolvedType {
  readonly schema: OpenApiSchema;
  /** An alias declared with `required=true`: every field of this type is required. */
  readonly required: boolean;
}

export interface BuildContext {
  /** Custom types built so far. */
  readonly types: ReadonlyMap<string, ResolvedType>;
  /** Declared custom types that failed; fields using them are skipped without a second issue. */
  readonly failed: ReadonlySet<string>;
  /** Every declared custom type name (resolved, failed or pending). */
  readonly declared: ReadonlySet<string>;
  readonly issues: Issue[];
}

/** Where a field sits: its RGD path and kro's message prefix (`field a: field b: `). */
export interface FieldLocation {
  readonly path: string;
  readonly prefix: string;
}

/** A schema, plus whether it is complete (no issue and no skipped field below it). */
export interface Built {
  readonly schema: OpenApiSchema | undefined;
  readonly complete: boolean;
}

const HINTS: Readonly<Record<string, string>> = {
  number: 'float',
  double: 'float',
  int: 'integer',
  bool: 'boolean',
};

/** What Go's `%T` prints for a value decoded from YAML/JSON: kro's `unexpected type` wording. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return '[]interface {}';
  if (isPlainObject(v)) return 'map[string]interface {}';
  return typeof v;
}

export function report(ctx: BuildContext, at: FieldLocation, message: string): void {
  ctx.issues.push(issue({ code: ISSUE_CODE, path: at.path, message: at.prefix + message }));
}

/** Builds a nested object (or a struct type): properties, sorted required, default propagation. */
export function buildObject(ctx: BuildContext, spec: Record<string, unknown>, at: FieldLocation): Built {
  const properties: Record<string, OpenApiSchema> = {};
  const required: string[] = [];
  let complete = true;
  let childHasDefault = false;
  for (const [name, value] of Object.entries(spec)) {
    const child = buildField(ctx, {
      name,
      value,
      parentRequired: required,
      at: { path: `${at.path}.${name}`, prefix: `${at.prefix}field ${name}: ` },
    });
    if (!child.complete || child.schema === undefined) complete = false;
    if (child.schema === undefined) continue;
    properties[name] = child.schema;
    if (child.schema.default !== undefined) childHasDefault = true;
  }
  const schema: OpenApiSchema = { type: 'object' };
  if (Object.keys(properties).length > 0) schema.properties = properties;
  const uniqueRequired = [...new Set(required)].sort();
  if (uniqueRequired.length > 0) schema.required = uniqueRequired;
  // spec 02 §7: an object with no required child and a defaulted child defaults to {}, so the
  // API server fills nested defaults even when the user omits the object.
  if (uniqueRequired.length === 0 && childHasDefault) schema.default = {};
  return { schema, complete };
}

interface FieldInput {
  readonly name: string;
  readonly value: unknown;
  readonly parentRequired: string[];
  readonly at: FieldLocation;
}

export function buildField(ctx: BuildContext, field: FieldInput): Built {
  if (typeof field.value === 'string') return buildFieldFromString(ctx, field, field.value);
  if (isPlainObject(field.value)) {
    // The prefix for a nested object's children already names this field.
    return buildObject(ctx, field.value, { path: field.at.path, prefix: field.at.prefix });
  }
  report(ctx, field.at, `unexpected type: ${goTypeName(field.value)}`);
  return { schema: undefined, complete: false };
}

function buildFieldFromString(ctx: BuildContext, field: FieldInput, text: string): Built {
  const { typeText, markerText } = splitFieldString(text);
  const parsed = parseTypeExpression(typeText);
  if (!parsed.ok) {
    report(ctx, field.at, parsed.error);
    return { schema: undefined, complete: false };
  }
  const markers = markerText === undefined ? { ok: true as const, value: [] } : lexMarkers(markerText);
  if (!markers.ok) report(ctx, field.at, markers.error);

  const resolved = resolveType(ctx, parsed.value);
  if (resolved === 'skip') return { schema: undefined, complete: false };
  if (!resolved.ok) {
    report(ctx, field.at, resolved.error);
    return { schema: undefined, complete: false };
  }
  if (!markers.ok) return { schema: undefined, complete: false };

  const schema = resolved.value;
  if (parsed.value.kind === 'custom' && ctx.types.get(parsed.value.name)?.required === true) {
    field.parentRequired.push(field.name);
  }
  const errors = applyMarkers(
    { schema, name: field.name, parentRequired: field.parentRequired },
    markers.value,
  );
  for (const e of errors) report(ctx, field.at, e);
  return { schema: errors.length === 0 ? schema : undefined, complete: errors.length === 0 };
}

/** The OpenAPI schema of a type expression; custom types are deep copies, never `$ref`s. */
export function resolveType(ctx: BuildContext, t: TypeExpr): Result<OpenApiSchema, string> | 'skip' {
  switch (t.kind) {
    case 'atomic':
      // OpenAPI has no "float", and CEL only knows "number".
      return ok({ type: t.name === 'float' ? 'number' : t.name });
    case 'object':
      return ok({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    case 'slice': {
      const items = resolveType(ctx, t.elem);
      return items === 'skip' || !items.ok ? items : ok({ type: 'array', items: items.value });
    }
    case 'map': {
      const value = resolveType(ctx, t.value);
      return value === 'skip' || !value.ok
        ? value
        : ok({ type: 'object', additionalProperties: value.value });
    }
    case 'custom': {
      const found = ctx.types.get(t.name);
      if (found !== undefined) return ok(deepClone(found.schema));
      if (ctx.failed.has(t.name)) return 'skip';
      const hint = ctx.declared.has(t.name) ? undefined : HINTS[t.name];
      return err(hint === undefined ? `unknown type: ${t.name}` : `unknown type: ${t.name} (use ${hint})`);
    }
  }
}
