// Turns a /openapi/v3 group-version document's component schemas into self-contained schemas.
// Kubernetes documents wrap refs as `allOf: [{$ref}]` next to `default`/`description`; both forms
// are inlined. Recursive types (JSONSchemaProps, some CRDs) are cut at the point of recursion with
// a preserve-unknown object, which type-checks as dyn: precise enough, and always finite.

import type { OpenApiSchema } from '../api/openapi.js';
import { isPlainObject } from '../lib/json.js';

export type ComponentSchemas = Readonly<Record<string, unknown>>;

const RECURSION_CUT: OpenApiSchema = Object.freeze({
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
});

const DROPPED_KEYS = new Set(['description', 'example', 'externalDocs', 'x-kubernetes-group-version-kind']);

export interface InlineOptions {
  /** Keep descriptions (the bundler strips them to stay small; the live resolver drops them too). */
  readonly keepDescriptions?: boolean;
}

/** A resolver for one document: memoises each component so shared types are built once. */
export class RefInliner {
  private readonly memo = new Map<string, OpenApiSchema>();
  private readonly stack = new Set<string>();

  constructor(
    private readonly components: ComponentSchemas,
    private readonly options: InlineOptions = {},
  ) {}

  /** Inlines the named component (`io.k8s.api.apps.v1.Deployment`); undefined when absent. */
  component(name: string): OpenApiSchema | undefined {
    const cached = this.memo.get(name);
    if (cached) return cached;
    const raw = this.components[name];
    if (!isPlainObject(raw)) return undefined;
    if (this.stack.has(name)) return RECURSION_CUT;
    this.stack.add(name);
    const out = deepFreeze(this.inline(raw));
    this.stack.delete(name);
    this.memo.set(name, out);
    return out;
  }

  /** Inlines an arbitrary schema that may contain refs into this document's components. */
  inline(raw: Record<string, unknown>): OpenApiSchema {
    const ref = refTarget(raw);
    if (ref !== undefined) return this.mergeRef(raw, ref);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === '$ref' || (!this.options.keepDescriptions && DROPPED_KEYS.has(k))) continue;
      out[k] = this.inlineKeyword(k, v);
    }
    return normalizeIntOrString(out) as OpenApiSchema;
  }

  private inlineKeyword(key: string, v: unknown): unknown {
    if (key === 'properties' && isPlainObject(v)) {
      const props: Record<string, OpenApiSchema> = {};
      for (const [name, p] of Object.entries(v)) if (isPlainObject(p)) props[name] = this.inline(p);
      return props;
    }
    if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isPlainObject(v)) {
      return this.inline(v);
    }
    if ((key === 'allOf' || key === 'oneOf' || key === 'anyOf') && Array.isArray(v)) {
      return v.map((s) => (isPlainObject(s) ? this.inline(s) : s));
    }
    return v;
  }

  /** `{$ref}` or `{allOf: [{$ref}], default, ...}`: the target plus the sibling keywords. */
  private mergeRef(raw: Record<string, unknown>, ref: string): OpenApiSchema {
    const target = this.component(ref) ?? RECURSION_CUT;
    const siblings: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === '$ref' || k === 'allOf' || (!this.options.keepDescriptions && DROPPED_KEYS.has(k))) continue;
      siblings[k] = this.inlineKeyword(k, v);
    }
    return Object.keys(siblings).length === 0 ? target : ({ ...target, ...siblings } as OpenApiSchema);
  }
}

/**
 * Built-in kinds publish IntOrString as `type: string, format: int-or-string`; CRDs use the
 * `x-kubernetes-int-or-string` marker. One spelling downstream: the marker, without a type.
 */
function normalizeIntOrString(s: Record<string, unknown>): Record<string, unknown> {
  if (s['format'] !== 'int-or-string') return s;
  const { type: _type, format: _format, ...rest } = s;
  return { ...rest, 'x-kubernetes-int-or-string': true };
}

function refTarget(raw: Record<string, unknown>): string | undefined {
  const direct = raw['$ref'];
  if (typeof direct === 'string') return refName(direct);
  const allOf = raw['allOf'];
  if (Array.isArray(allOf) && allOf.length === 1 && isPlainObject(allOf[0])) {
    const inner = allOf[0]['$ref'];
    if (typeof inner === 'string' && Object.keys(allOf[0]).length === 1) return refName(inner);
  }
  return undefined;
}

function refName(ref: string): string {
  const i = ref.lastIndexOf('/');
  return i < 0 ? ref : ref.slice(i + 1);
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}
