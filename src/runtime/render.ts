// Rendering a template (or an externalRef body): every compiled field is evaluated and written at
// its path in a copy of the template. Standalone fields keep the CEL type (converted with fromCel,
// spec 03 §5.2); string templates concatenate. `omit()` removes the field.

import { fromCel } from '../cel/index.js';
import { isOmit } from '../cel/lib/index.js';
import type { CompiledField } from '../graph/types.js';
import { errorMessage } from '../lib/errors.js';
import type { JsonObject, JsonValue } from '../lib/json.js';
import { deepClone, isPlainObject } from '../lib/json.js';
import type { InstanceContext } from './context.js';
import { evaluateExpression } from './evaluate.js';

export type RenderResult =
  | { readonly kind: 'object'; readonly object: JsonObject }
  | { readonly kind: 'pending'; readonly message: string }
  | { readonly kind: 'error'; readonly reason: string; readonly message: string };

const OMITTED = Symbol('omitted');

export interface RenderInput {
  readonly nodeId: string;
  readonly template: Readonly<JsonObject>;
  readonly fields: readonly CompiledField[];
  /** Iterator bindings of one collection item. */
  readonly bindings?: Record<string, unknown> | undefined;
  /** Reason for evaluation errors; TemplateError by default. */
  readonly errorReason?: string;
  /** Status fields: evaluated against every observed node, ready or not (not cached). */
  readonly status?: boolean;
}

export function renderTemplate(ctx: InstanceContext, input: RenderInput): RenderResult {
  const out = deepClone(input.template) as JsonObject;
  const activation = input.status ? ctx.statusActivation() : ctx.activation(input.bindings);
  let omitted = false;
  for (const field of input.fields) {
    const r = renderField(ctx, input, field, activation);
    if (r.kind !== 'value') return r;
    if (r.value === OMITTED) omitted = true;
    setAtPath(out, field.segments, r.value);
  }
  return { kind: 'object', object: omitted ? (stripOmitted(out) as JsonObject) : out };
}

type FieldResult = { kind: 'value'; value: unknown } | Exclude<RenderResult, { kind: 'object' }>;

function renderField(
  ctx: InstanceContext,
  input: RenderInput,
  field: CompiledField,
  activation: Record<string, unknown>,
): FieldResult {
  const values: unknown[] = [];
  for (const expr of field.expressions) {
    const o = evaluateExpression(
      expr,
      activation,
      ctx.evaluation,
      field.iterators.length === 0 && !input.status,
    );
    const where = `field "${field.relativePath}" expression "${expr.expression}"`;
    if (o.kind === 'pending') return { kind: 'pending', message: `${where}: ${o.message}` };
    if (o.kind === 'error') {
      const reason = o.budget ? 'ExpressionBudgetExceeded' : (input.errorReason ?? 'TemplateError');
      return { kind: 'error', reason, message: `node "${input.nodeId}" ${where}: ${o.message}` };
    }
    values.push(o.value);
  }
  try {
    return { kind: 'value', value: combine(field, values) };
  } catch (e) {
    const expr = field.expressions.map((x) => x.expression).join(', ');
    return {
      kind: 'error',
      reason: input.errorReason ?? 'TemplateError',
      message: `node "${input.nodeId}" field "${field.relativePath}" expression "${expr}": ${errorMessage(e)}`,
    };
  }
}

function combine(field: CompiledField, values: unknown[]): unknown {
  if (field.standalone) return toJson(values[0]);
  let s = field.literalParts[0] ?? '';
  values.forEach((v, i) => {
    const j = toJson(v);
    s +=
      (typeof j === 'string' ? j : j === OMITTED ? '' : JSON.stringify(j)) +
      (field.literalParts[i + 1] ?? '');
  });
  return s;
}

/** fromCel, with omit() anywhere in the value turned into the OMITTED marker. */
function toJson(v: unknown): unknown {
  if (isOmit(v)) return OMITTED;
  if (Array.isArray(v) && v.some(isOmit)) return v.filter((x) => !isOmit(x)).map(toJson);
  if (v instanceof Map && [...v.values()].some(isOmit)) {
    return fromCel(new Map([...v].filter(([, x]) => !isOmit(x))));
  }
  return fromCel(v);
}

function setAtPath(root: JsonObject, segments: readonly (string | number)[], value: unknown): void {
  let cur: Record<string | number, unknown> = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i] as string | number;
    let next = cur[seg];
    // Status fields have no template: create the parents (a list when the next segment is an index).
    if (next === null || typeof next !== 'object') {
      next = typeof segments[i + 1] === 'number' ? [] : {};
      Object.defineProperty(cur, seg, { value: next, enumerable: true, writable: true, configurable: true });
    }
    cur = next as Record<string | number, unknown>;
  }
  const last = segments[segments.length - 1];
  if (last === undefined) return;
  Object.defineProperty(cur, last, { value, enumerable: true, writable: true, configurable: true });
}

function stripOmitted(v: unknown): JsonValue {
  if (Array.isArray(v)) return v.filter((x) => x !== OMITTED).map(stripOmitted);
  if (isPlainObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== OMITTED) out[k] = stripOmitted(x);
    return out;
  }
  return v as JsonValue;
}
