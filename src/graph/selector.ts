// externalRef `metadata.selector` (kro v0.9.4): schemaless, either a literal LabelSelector or a
// `${...}` CEL expression (for the whole selector or inside it). The build checks its shape; a
// selector with no expression is validated as Kubernetes validates a LabelSelector, the rest at
// reconcile time (decodeSelector, strict: an unknown field such as `matchLabel` fails instead of
// silently matching everything).

import type { OpenApiSchema } from '../api/openapi.js';
import { mayContainExpression, scanString } from '../expr/scan.js';
import { isPlainObject } from '../lib/json.js';

export const SELECTOR_SHAPE =
  'selector must be a Kubernetes LabelSelector object or a CEL expression that resolves to one';

const STRING: OpenApiSchema = { type: 'string' };
const DYN: OpenApiSchema = { 'x-kubernetes-preserve-unknown-fields': true };

/**
 * Types an expression in an external collection's selector must have (kro's selectorFieldType):
 * intentionally loose (dyn values) so `selector: ${schema.spec.selector}` accepts a loosely typed
 * spec field; the shape is checked when the value is known.
 */
export function selectorExpectedType(relativePath: string): OpenApiSchema | undefined {
  if (relativePath === 'metadata.selector') return { type: 'object', additionalProperties: DYN };
  if (relativePath === 'metadata.selector.matchLabels')
    return { type: 'object', additionalProperties: STRING };
  if (relativePath.startsWith('metadata.selector.matchLabels.')) return STRING;
  if (relativePath === 'metadata.selector.matchExpressions') return { type: 'array', items: DYN };
  return undefined;
}

/** True when the selector is set (kro's HasSelector: present and not null). */
export function hasSelector(metadata: Record<string, unknown>): boolean {
  return metadata['selector'] !== undefined && metadata['selector'] !== null;
}

/** True when the name is set (kro's HasName: a non-blank string). */
export function hasName(metadata: Record<string, unknown>): boolean {
  const name = metadata['name'];
  return name !== undefined && name !== null && String(name).trim() !== '';
}

/** Build-time check of a selector as written in the RGD; undefined when fine. */
export function checkSelector(selector: unknown): string | undefined {
  if (typeof selector === 'string') {
    const scanned = scanString(selector);
    if (!scanned.ok) return `invalid selector expression: ${scanned.error.message}`;
    return scanned.value.standalone ? undefined : SELECTOR_SHAPE;
  }
  if (!isPlainObject(selector)) return SELECTOR_SHAPE;
  const shape = checkShape(selector, 'metadata.selector');
  if (shape !== undefined) return shape;
  if (containsExpression(selector)) return undefined;
  const errors = validateLabelSelector(selector, 'metadata.selector');
  return errors.length === 0 ? undefined : `invalid label selector: [${errors.join(', ')}]`;
}

/**
 * The rendered selector as a LabelSelector, strictly: unknown fields and wrong types are errors.
 * Returns the error text (kro: `failed to convert selector for <id>: ...`).
 */
export function decodeSelector(
  value: unknown,
): { ok: true; value: LabelSelectorValue } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (!isPlainObject(value))
    return {
      ok: false,
      error: `json: cannot unmarshal ${jsonKind(value)} into Go value of type v1.LabelSelector`,
    };
  for (const key of Object.keys(value)) {
    if (key !== 'matchLabels' && key !== 'matchExpressions')
      return { ok: false, error: `json: unknown field "${key}"` };
  }
  const labels = value['matchLabels'];
  if (labels !== undefined && labels !== null) {
    if (!isPlainObject(labels))
      return { ok: false, error: 'json: cannot unmarshal into field LabelSelector.matchLabels' };
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string') {
        return {
          ok: false,
          error: `json: cannot unmarshal ${jsonKind(v)} into Go struct field LabelSelector.matchLabels of type string (key "${k}")`,
        };
      }
    }
  }
  const exprs = value['matchExpressions'];
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs))
      return { ok: false, error: 'json: cannot unmarshal into field LabelSelector.matchExpressions' };
    for (const e of exprs) {
      if (!isPlainObject(e))
        return { ok: false, error: 'json: cannot unmarshal into LabelSelectorRequirement' };
      for (const key of Object.keys(e)) {
        if (key !== 'key' && key !== 'operator' && key !== 'values')
          return { ok: false, error: `json: unknown field "${key}"` };
      }
    }
  }
  const errors = validateLabelSelector(value, 'selector');
  if (errors.length > 0) return { ok: false, error: errors.join(', ') };
  return { ok: true, value: value as LabelSelectorValue };
}

export interface LabelSelectorValue {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function containsExpression(v: unknown): boolean {
  if (typeof v === 'string') return mayContainExpression(v);
  if (Array.isArray(v)) return v.some(containsExpression);
  if (isPlainObject(v)) return Object.values(v).some(containsExpression);
  return false;
}

// The LabelSelector schema walk of kro's parser: unknown fields and wrong JSON types.
function checkShape(selector: Record<string, unknown>, path: string): string | undefined {
  const noSchema = (field: string): string =>
    `error getting field schema for path ${path}.${field}: schema not found for field ${field}`;
  const isExpr = (v: unknown): boolean => typeof v === 'string' && mayContainExpression(v);
  for (const [key, value] of Object.entries(selector)) {
    if (key === 'matchLabels') {
      if (isExpr(value) || value === null) continue;
      if (!isPlainObject(value))
        return `expected object type for path ${path}.matchLabels, got ${goKind(value)}`;
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string')
          return `expected string type for path ${path}.matchLabels.${k}, got ${goKind(v)}`;
      }
    } else if (key === 'matchExpressions') {
      if (isExpr(value) || value === null) continue;
      if (!Array.isArray(value))
        return `expected array type for path ${path}.matchExpressions, got ${goKind(value)}`;
      for (const [i, e] of value.entries()) {
        const problem = checkRequirement(e, `${path}.matchExpressions[${i}]`);
        if (problem !== undefined) return problem;
      }
    } else {
      return noSchema(key);
    }
  }
  return undefined;
}

function checkRequirement(e: unknown, at: string): string | undefined {
  if (typeof e === 'string' && mayContainExpression(e)) return undefined;
  if (!isPlainObject(e)) return `expected object type for path ${at}, got ${goKind(e)}`;
  for (const [k, v] of Object.entries(e)) {
    if (k === 'key' || k === 'operator') {
      if (typeof v !== 'string') return `expected string type for path ${at}.${k}, got ${goKind(v)}`;
    } else if (k !== 'values') {
      return `error getting field schema for path ${at}.${k}: schema not found for field ${k}`;
    } else if (!(typeof v === 'string' && mayContainExpression(v)) && v !== null) {
      if (!Array.isArray(v)) return `expected array type for path ${at}.values, got ${goKind(v)}`;
      const bad = v.findIndex((x) => typeof x !== 'string');
      if (bad >= 0) return `expected string type for path ${at}.values[${bad}], got ${goKind(v[bad])}`;
    }
  }
  return undefined;
}

function goKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (typeof v === 'number') return 'number';
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return 'object';
}

// ---- apimachinery's ValidateLabelSelector (label keys and values, operators, values) ----

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function labelKeyErrors(key: string, path: string): string[] {
  const parts = key.split('/');
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const problems: string[] = [];
  if (parts.length > 2) {
    problems.push(
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
  } else {
    if (prefix !== undefined && (prefix === '' || !DNS1123_SUBDOMAIN.test(prefix) || prefix.length > 253)) {
      problems.push('prefix part must be a valid DNS-1123 subdomain');
    }
    if (name === '') problems.push('name part must be non-empty');
    else if (name.length > 63) problems.push('name part must be no more than 63 characters');
    else if (!QUALIFIED_NAME.test(name)) {
      problems.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      );
    }
  }
  return problems.map((p) => `${path}: Invalid value: ${JSON.stringify(key)}: ${p}`);
}

function labelValueErrors(value: string, path: string): string[] {
  const out: string[] = [];
  if (value.length > 63)
    out.push(`${path}: Invalid value: ${JSON.stringify(value)}: must be no more than 63 characters`);
  if (!LABEL_VALUE.test(value)) {
    out.push(
      `${path}: Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
  return out;
}

function validateLabelSelector(sel: Record<string, unknown>, path: string): string[] {
  const out: string[] = [];
  const exprs = Array.isArray(sel['matchExpressions']) ? sel['matchExpressions'] : [];
  exprs.forEach((e: unknown, i) => {
    if (!isPlainObject(e)) return;
    const at = `${path}.matchExpressions[${i}]`;
    const op = String(e['operator'] ?? '');
    const values = Array.isArray(e['values']) ? (e['values'] as unknown[]) : [];
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0)
        out.push(`${at}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`);
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0)
        out.push(
          `${at}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
        );
    } else if (!OPERATORS.includes(op)) {
      out.push(`${at}.operator: Invalid value: ${JSON.stringify(op)}: not a valid selector operator`);
    }
    out.push(...labelKeyErrors(String(e['key'] ?? ''), `${at}.key`));
  });
  const labels = isPlainObject(sel['matchLabels']) ? sel['matchLabels'] : {};
  for (const [k, v] of Object.entries(labels)) {
    out.push(...labelKeyErrors(k, `${path}.matchLabels`));
    out.push(...labelValueErrors(String(v), `${path}.matchLabels`));
  }
  return out;
}
