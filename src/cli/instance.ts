// The instance as the API server would store it (spec 05 §12 render): unknown fields pruned,
// the generated CRD's defaults applied, then validated against the CRD schema with
// kube-apiserver's messages. Field errors carry the path so they can be located in the YAML.

import type { OpenApiSchema } from '../api/openapi.js';
import type { CompiledGraph } from '../graph/index.js';
import { isPlainObject } from '../lib/json.js';
import { applyDefaults, pruneUnknown } from '../source/structural.js';
import { normalize, validateValue } from '../source/validate-value.js';
import type { FieldError } from '../source/validate-value.js';

/** The instance as JSON (runtime's InstanceObject shape), after pruning and defaulting. */
export interface InstanceJson {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface PreparedInstance {
  readonly object: InstanceJson;
  /** Pruned unknown fields, as kubectl's warnings: `unknown field "spec.foo"`. */
  readonly warnings: readonly string[];
  readonly errors: readonly FieldError[];
}

const ROOT_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

export function crdRootSchema(crd: unknown): OpenApiSchema {
  const spec = isPlainObject(crd) && isPlainObject(crd['spec']) ? crd['spec'] : {};
  const v0: unknown = Array.isArray(spec['versions']) ? spec['versions'][0] : undefined;
  const schema =
    isPlainObject(v0) && isPlainObject(v0['schema']) ? v0['schema']['openAPIV3Schema'] : undefined;
  return isPlainObject(schema) ? (schema as OpenApiSchema) : {};
}

/** `raw` may hold bigint integers (YAML read with intAsBigInt); the result is plain JSON. */
export function prepareInstance(raw: unknown, graph: CompiledGraph): PreparedInstance {
  const obj: Record<string, unknown> = isPlainObject(raw) ? structuredClone(raw) : {};
  const errors: FieldError[] = [];
  const { apiVersion, kind } = graph.instance;
  if (obj['apiVersion'] !== apiVersion || obj['kind'] !== kind) {
    const got = `${String(obj['apiVersion'])}, Kind=${String(obj['kind'])}`;
    errors.push({
      path: 'kind',
      message: `kind: Invalid value: ${JSON.stringify(got)}: the RGD defines ${apiVersion}, Kind=${kind}`,
    });
  }
  const meta = isPlainObject(obj['metadata']) ? obj['metadata'] : {};
  obj['metadata'] = meta;
  if (typeof meta['name'] !== 'string' || meta['name'] === '') {
    errors.push({
      path: 'metadata.name',
      message: 'metadata.name: Required value: name or generateName is required',
    });
  }
  if (graph.instance.scope === 'Namespaced' && typeof meta['namespace'] !== 'string')
    meta['namespace'] = 'default';
  const root = crdRootSchema(graph.crd);
  const warnings: string[] = [];
  for (const key of Object.keys(obj)) {
    if (!ROOT_KEYS.has(key)) {
      warnings.push(`unknown field "${key}"`);
      delete obj[key];
    }
  }
  for (const key of ['spec', 'status'] as const) {
    const schema = root.properties?.[key];
    if (!schema) continue;
    if (obj[key] === undefined && schema.default !== undefined) obj[key] = structuredClone(schema.default);
    if (obj[key] === undefined) {
      if (root.required?.includes(key)) errors.push({ path: key, message: `${key}: Required value` });
      continue;
    }
    warnings.push(...pruneUnknown(obj[key], schema, key).map((p) => `unknown field "${p}"`));
    applyDefaults(obj[key], schema);
    errors.push(...validateValue(obj[key], schema, key));
  }
  return { object: normalize(obj) as InstanceJson, warnings, errors };
}
