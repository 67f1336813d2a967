// Follows a reference chain through OpenAPI schemas: `schema` is the instance (spec from the RGD's
// SimpleSchema), a resource id its kind's schema from the resolver (a list for collections).
// Types are named as CEL names them in type-check messages (cel/expectedTypeName).

import type { OpenApiSchema } from '../api/openapi.js';
import { expectedTypeName } from '../cel/index.js';
import type { ChainSegment } from './reference-chain.js';

export type LookupResult =
  | { readonly ok: true; readonly schema: OpenApiSchema }
  /** `at` is the index of the segment that does not exist; `parent` the schema it was looked up in. */
  | { readonly ok: false; readonly at: number; readonly parent: OpenApiSchema };

/** The schema reached from `root` by segments[1..]; dyn (preserve-unknown) absorbs the rest. */
export function lookupChain(root: OpenApiSchema, segments: readonly ChainSegment[]): LookupResult {
  let current = root;
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i] as ChainSegment;
    const next = childSchema(current, seg.name);
    if (next === undefined) return { ok: false, at: i, parent: current };
    current = next;
  }
  return { ok: true, schema: current };
}

const DYN: OpenApiSchema = { 'x-kubernetes-preserve-unknown-fields': true };

export function childSchema(s: OpenApiSchema, name: string | number): OpenApiSchema | undefined {
  if (isDyn(s)) return DYN;
  if (typeof name === 'number') return s.items;
  const prop = s.properties?.[name];
  if (prop) return prop;
  const ap = s.additionalProperties;
  if (ap === true) return DYN;
  if (ap && typeof ap === 'object') return ap;
  return undefined;
}

export function isDyn(s: OpenApiSchema): boolean {
  return s['x-kubernetes-preserve-unknown-fields'] === true && !s.properties;
}

/** Named fields one can select on a value of this schema, sorted. */
export function fieldsOf(s: OpenApiSchema): [string, OpenApiSchema][] {
  return Object.entries(s.properties ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** CEL's spelling, with the internal names a type-check environment gives objects shown as `object`. */
export function typeName(s: OpenApiSchema): string {
  return expectedTypeName(s).replace(/__type_[A-Za-z0-9_.]*/g, 'object');
}

/** One line on the constraints that matter when writing an expression: default, enum, bounds. */
export function constraintsOf(s: OpenApiSchema): string[] {
  const out: string[] = [];
  if (s.default !== undefined) out.push(`default: \`${JSON.stringify(s.default)}\``);
  if (s.enum) out.push(`enum: ${s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (s.minimum !== undefined) out.push(`minimum: ${s.minimum}`);
  if (s.maximum !== undefined) out.push(`maximum: ${s.maximum}`);
  if (s.pattern !== undefined) out.push(`pattern: \`${s.pattern}\``);
  if (s.format !== undefined) out.push(`format: ${s.format}`);
  return out;
}
