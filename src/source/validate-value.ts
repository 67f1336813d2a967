// Validation of a custom resource against its CRD's structural schema with kube-apiserver's
// wording, so `tag: 1.0` fails here exactly as at `kubectl apply`:
//   spec.values.deployment.tag: Invalid value: "integer": spec.values.deployment.tag in body must be of type string: "integer"
// kubectl turns YAML into JSON through float64, so YAML `1.0` reaches the API server as `1`, which
// kube-openapi calls an integer; only a fractional number is reported as "number".

import { RE2JS } from 're2js';
import type { OpenApiSchema } from '../api/openapi.js';
import { deepEqual, isPlainObject } from '../lib/json.js';

/** One field error: its path and the whole line as kube-apiserver prints it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export function validateValue(value: unknown, schema: OpenApiSchema, path: string): FieldError[] {
  const errors: Errors = [];
  walk(value, schema, path, errors);
  return errors.map((message) => ({ path: message.slice(0, message.indexOf(': ')), message }));
}

type Errors = string[];

/** The type name kube-openapi reports for a value. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, number, boolean
}

/** Go's %v / %q of a field error value. */
function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
}

function invalid(path: string, value: unknown, detail: string): string {
  return `${path}: Invalid value: ${goValue(value)}: ${detail}`;
}

function typeMatches(v: unknown, s: OpenApiSchema): boolean {
  if (s['x-kubernetes-int-or-string'] === true) {
    return typeof v === 'string' || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
  }
  switch (s.type) {
    case undefined:
      return true;
    case 'integer':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'number':
      return typeof v === 'bigint' || typeof v === 'number';
    default:
      return typeName(v) === s.type;
  }
}

function walk(v: unknown, s: OpenApiSchema, path: string, errors: string[]): void {
  if (v === null && (s.nullable === true || s['x-kubernetes-preserve-unknown-fields'] === true)) return;
  if (!typeMatches(v, s)) {
    const expected = s['x-kubernetes-int-or-string'] === true ? 'integer,string' : String(s.type);
    const got = typeName(v);
    errors.push(invalid(path, got, `${path} in body must be of type ${expected}: ${JSON.stringify(got)}`));
    return;
  }
  if (s.enum && !s.enum.some((e) => deepEqual(e, typeof v === 'bigint' ? Number(v) : v))) {
    const values = s.enum.map((e) => JSON.stringify(typeof e === 'string' ? e : JSON.stringify(e)));
    errors.push(`${path}: Unsupported value: ${goValue(v)}: supported values: ${values.join(', ')}`);
  }
  if (typeof v === 'string') checkString(v, s, path, errors);
  else if (typeof v === 'number' || typeof v === 'bigint') checkNumber(Number(v), s, path, errors);
  else if (Array.isArray(v)) checkArray(v, s, path, errors);
  else if (isPlainObject(v)) checkObject(v, s, path, errors);
}

function checkString(v: string, s: OpenApiSchema, path: string, errors: string[]): void {
  const length = [...v].length;
  if (s.maxLength !== undefined && length > s.maxLength) {
    errors.push(`${path}: Too long: may not be more than ${s.maxLength} bytes`);
  }
  if (s.minLength !== undefined && length < s.minLength) {
    errors.push(invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`));
  }
  if (s.pattern !== undefined && !RE2JS.compile(s.pattern).matcher(v).find()) {
    errors.push(invalid(path, v, `${path} in body should match '${s.pattern}'`));
  }
}

function checkNumber(v: number, s: OpenApiSchema, path: string, errors: string[]): void {
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
    const rel = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
    errors.push(invalid(path, v, `${path} in body should be ${rel} ${s.minimum}`));
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
    const rel = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
    errors.push(invalid(path, v, `${path} in body should be ${rel} ${s.maximum}`));
  }
}

function checkArray(v: unknown[], s: OpenApiSchema, path: string, errors: string[]): void {
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    errors.push(`${path}: Too many: ${v.length}: must have at most ${s.maxItems} items`);
  }
  if (s.minItems !== undefined && v.length < s.minItems) {
    errors.push(invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`));
  }
  if (s['x-kubernetes-list-type'] === 'set') {
    v.forEach((x, i) => {
      if (v.findIndex((y) => deepEqual(normalize(y), normalize(x))) < i) {
        errors.push(`${path}[${i}]: Duplicate value: ${goValue(x)}`);
      }
    });
  }
  if (s.items) v.forEach((x, i) => walk(x, s.items as OpenApiSchema, `${path}[${i}]`, errors));
}

function checkObject(v: Record<string, unknown>, s: OpenApiSchema, path: string, errors: string[]): void {
  for (const key of s.required ?? []) {
    if (v[key] === undefined) errors.push(`${path}.${key}: Required value`);
  }
  const addl = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  for (const [key, x] of Object.entries(v)) {
    const child = s.properties?.[key] ?? addl;
    if (child) walk(x, child, `${path}.${key}`, errors);
  }
}

/** bigint → number, recursively, so values compare and serialise as JSON. */
export function normalize(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}
