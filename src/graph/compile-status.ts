// schema.status (spec/01 §5 check 18, spec/02 §8): every leaf is an expression over `schema` and
// resource ids; its output type becomes the field's schema. status.conditions holds the author's
// condition expressions instead (compile-conditions.ts); the CRD keeps the standard conditions.

import type { OpenApiSchema } from '../api/openapi.js';
import { statusSchemaOfCelType } from '../cel/index.js';
import { findFieldDescriptors } from '../expr/field-descriptors.js';
import { appendSegment } from '../expr/path.js';
import { deepEqual, isPlainObject } from '../lib/json.js';
import type { Variables } from './cel-port.js';
import { compileFields } from './compile-fields.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';
import { DYN_SCHEMA } from './template-schema.js';
import type { CompiledAuthorCondition, CompiledField } from './types.js';
import { compileConditions } from './compile-conditions.js';

export const STATUS_PATH = 'spec.schema.status';

export interface StatusDraft {
  readonly fields: readonly CompiledField[];
  readonly inferredSchema: OpenApiSchema;
  readonly declared: readonly string[];
  readonly conditions: readonly CompiledAuthorCondition[];
}

export function compileStatus(
  status: unknown,
  ctx: { variables: Variables; resourceIds: ReadonlySet<string>; issues: IssueList },
): StatusDraft {
  const { issues } = ctx;
  const block: Record<string, unknown> = isPlainObject(status) ? { ...status } : {};
  let conditions: CompiledAuthorCondition[] = [];
  if ('conditions' in block) {
    conditions = compileConditions(block['conditions'], {
      basePath: STATUS_PATH,
      variables: ctx.variables,
      resourceIds: ctx.resourceIds,
      issues,
    });
    delete block['conditions'];
  }
  const literals = literalLeaves(block, '');
  if (literals.length > 0) {
    issues.add({ code: Codes.statusLiteral, path: STATUS_PATH, message: msg.statusLiterals(literals) });
  }
  const walked = findFieldDescriptors(block, { basePath: STATUS_PATH });
  issues.push(...walked.issues);
  const fields = compileFields(walked.descriptors, {
    context: 'status',
    variables: ctx.variables,
    resourceIds: ctx.resourceIds,
    iterators: new Set(),
    omitEnabled: false,
    wrap: (d, text, message) => msg.statusTypeCheck(text, d.relativePath, message),
    issues,
  });
  for (const f of fields) {
    if (f.references.some((r) => r === 'schema' || ctx.resourceIds.has(r))) continue;
    issues.add({
      code: Codes.statusReference,
      path: f.path,
      expression: f.expressions[0]?.expression,
      message: msg.statusReference(f.relativePath),
    });
  }
  const byPath = new Map(fields.map((f) => [f.relativePath, f]));
  return {
    fields,
    inferredSchema: inferSchema(block, '', byPath),
    declared: Object.keys(block).sort(),
    conditions,
  };
}

/** Relative paths of leaves that hold no expression (plain strings, numbers, booleans, null). */
function literalLeaves(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('${') ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => literalLeaves(v, appendSegment(path, i)));
  if (isPlainObject(value))
    return Object.entries(value).flatMap(([k, v]) => literalLeaves(v, appendSegment(path, k)));
  return [path];
}

function inferSchema(
  value: unknown,
  path: string,
  fields: ReadonlyMap<string, CompiledField>,
): OpenApiSchema {
  if (typeof value === 'string') {
    const f = fields.get(path);
    if (!f) return { ...DYN_SCHEMA };
    if (!f.standalone) return { type: 'string' };
    const c = f.expressions[0];
    return c ? statusSchemaOfCelType(c.outputType) : { ...DYN_SCHEMA };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => inferSchema(v, appendSegment(path, i), fields));
    const first = items[0];
    const common = first !== undefined && items.every((s) => deepEqual(s, first)) ? first : { ...DYN_SCHEMA };
    return { type: 'array', items: common };
  }
  if (isPlainObject(value)) {
    const properties: Record<string, OpenApiSchema> = {};
    for (const [k, v] of Object.entries(value))
      properties[k] = inferSchema(v, appendSegment(path, k), fields);
    return { type: 'object', properties };
  }
  return { ...DYN_SCHEMA };
}
