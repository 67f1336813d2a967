// Check 14 (spec/03 §6.2): walks a template against its kind's schema. Unknown fields and literal
// scalars of the wrong type are issues; preserve-unknown subtrees are not checked; int-or-string
// accepts both; oneOf/anyOf accept any listed type. For each standalone expression it records the
// schema expected at that path, which the type checker compares the expression's output with.

import type { OpenApiSchema } from '../api/openapi.js';
import type { FieldDescriptor } from '../expr/field-descriptors.js';
import { appendSegment } from '../expr/path.js';
import { isPlainObject } from '../lib/json.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';

const ANY = ['any'];
export const DYN_SCHEMA: OpenApiSchema = Object.freeze({ 'x-kubernetes-preserve-unknown-fields': true });

export interface TemplateCheckContext {
  readonly nodeId: string;
  /** RGD path of the template root. */
  readonly basePath: string;
  /** Descriptors of the template by relativePath. */
  readonly fields: ReadonlyMap<string, FieldDescriptor>;
  readonly issues: IssueList;
}

export interface TemplateCheckResult {
  /** Expected schema of every standalone expression field, by relativePath. */
  readonly expected: Map<string, OpenApiSchema>;
  /** relativePaths already reported (unknown field, wrong type): their expressions are not compiled. */
  readonly rejected: Set<string>;
}

export function checkTemplateAgainstSchema(
  template: unknown,
  schema: OpenApiSchema,
  ctx: TemplateCheckContext,
): TemplateCheckResult {
  const out: TemplateCheckResult = { expected: new Map(), rejected: new Set() };
  walk(template, schema, '', { ...ctx, ...out });
  return out;
}

type WalkCtx = TemplateCheckContext & TemplateCheckResult;

function walk(value: unknown, schema: OpenApiSchema, path: string, ctx: WalkCtx): void {
  if (isPreserveUnknown(schema)) {
    recordDyn(path, ctx);
    return;
  }
  const types = expectedTypes(schema);
  if (typeof value === 'string') return checkString(value, schema, { path, types }, ctx);
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (!accepts(types, 'array')) return report(ctx, path, msg.expectedType(types, path, 'array'));
    const items = schema.items ?? DYN_SCHEMA;
    value.forEach((v, i) => walk(v, items, appendSegment(path, i), ctx));
    return;
  }
  if (isPlainObject(value)) {
    const open = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
    if (!accepts(types, 'object') && !open) return report(ctx, path, msg.expectedType(types, path, 'object'));
    for (const [k, v] of Object.entries(value)) {
      const child = fieldSchema(schema, k);
      if (!child) {
        report(ctx, appendSegment(path, k), msg.schemaNotFound(k), Codes.unknownField);
        continue;
      }
      walk(v, child, appendSegment(path, k), ctx);
    }
    return;
  }
  const got = scalarType(value);
  if (!scalarAccepted(types, value)) report(ctx, path, msg.expectedType(types, path, got));
}

function checkString(
  value: string,
  schema: OpenApiSchema,
  at: { path: string; types: readonly string[] },
  ctx: WalkCtx,
): void {
  const field = ctx.fields.get(at.path);
  if (field?.standalone) {
    ctx.expected.set(at.path, schema);
    return;
  }
  // `${` without a descriptor: the scanner already reported a syntax error here.
  if (!field && value.includes('${')) return;
  if (!accepts(at.types, 'string')) report(ctx, at.path, msg.expectedType(at.types, at.path, 'string'));
}

/** Inside preserve-unknown subtrees every standalone expression may take any type. */
function recordDyn(path: string, ctx: WalkCtx): void {
  for (const [rel, f] of ctx.fields) {
    if (
      f.standalone &&
      (rel === path || path === '' || rel.startsWith(`${path}.`) || rel.startsWith(`${path}[`))
    ) {
      ctx.expected.set(rel, DYN_SCHEMA);
    }
  }
}

function report(ctx: WalkCtx, path: string, message: string, code: string = Codes.literalType): void {
  const rgdPath =
    path === '' ? ctx.basePath : path.startsWith('[') ? ctx.basePath + path : `${ctx.basePath}.${path}`;
  ctx.issues.add({ code, path: rgdPath, nodeId: ctx.nodeId, message, expression: expressionAt(ctx, path) });
  ctx.rejected.add(path);
}

/** The expression(s) written at a path, so an issue about the field also quotes them. */
function expressionAt(ctx: WalkCtx, path: string): string | undefined {
  const d = ctx.fields.get(path);
  if (!d) return undefined;
  return d.expressions.length === 1 ? d.expressions[0] : d.expressions.join(', ');
}

export function isPreserveUnknown(s: OpenApiSchema): boolean {
  return s['x-kubernetes-preserve-unknown-fields'] === true;
}

/** kro's getExpectedTypes: markers, then oneOf/anyOf, then type, then open maps; else anything. */
export function expectedTypes(s: OpenApiSchema): readonly string[] {
  if (isPreserveUnknown(s)) return ANY;
  if (s['x-kubernetes-int-or-string']) return ['string', 'integer'];
  for (const group of [s.oneOf, s.anyOf]) {
    if (!group || group.length === 0) continue;
    const types: string[] = [];
    for (const sub of group) {
      if ((sub.required?.length ?? 0) > 0 || sub.not) pushUnique(types, 'object');
      if (sub.type) pushUnique(types, sub.type);
    }
    if (types.length > 0) return types;
  }
  if (s.type) return [s.type];
  // No type at all (an empty schema, an open map): kro-ts accepts anything rather than failing.
  return ANY;
}

function pushUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

function accepts(types: readonly string[], t: string): boolean {
  return types.includes(t) || types.includes('any');
}

function fieldSchema(schema: OpenApiSchema, key: string): OpenApiSchema | undefined {
  const p = schema.properties;
  if (p && Object.hasOwn(p, key)) return p[key];
  const ap = schema.additionalProperties;
  if (ap === true) return DYN_SCHEMA;
  if (isPlainObject(ap)) return ap;
  return undefined;
}

/** kro's names for literal scalars: Go's `integer` for whole numbers, `float64` otherwise. */
function scalarType(v: unknown): string {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') {
    return typeof v === 'bigint' || Number.isInteger(v) ? 'integer' : 'float64';
  }
  return typeof v;
}

function scalarAccepted(types: readonly string[], v: unknown): boolean {
  if (types.includes('any')) return true;
  const t = scalarType(v);
  if (t === 'boolean') return types.includes('boolean');
  if (t === 'integer') return types.includes('integer') || types.includes('number');
  if (t === 'float64') return types.includes('number');
  return false;
}
