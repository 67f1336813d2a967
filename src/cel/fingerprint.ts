// Structural fingerprints of OpenAPI schemas, as cache keys for typed environments. Callers may
// build fresh schema objects for every compile (a `{type: 'array', items}` wrapper for a
// collection, a resolver returning copies); keying by identity would then rebuild the
// declarations of hundreds of object types for every expression. Only what decides the CEL type
// is fingerprinted (type, format, properties, items, additionalProperties, the two
// x-kubernetes markers), so descriptions or validations never split the cache.
import { createHash } from 'node:crypto';
import type { OpenApiSchema } from '../api/openapi.js';

const memo = new WeakMap<OpenApiSchema, string>();

function describe(s: OpenApiSchema, stack: OpenApiSchema[]): string {
  const cached = memo.get(s);
  if (cached !== undefined) return cached;
  const back = stack.indexOf(s);
  // A recursive reference: name the ancestor by its distance, which is structural too.
  if (back >= 0) return `^${stack.length - back}`;
  stack.push(s);
  let out = `{${s.type ?? ''}|${s.format ?? ''}`;
  if (s['x-kubernetes-preserve-unknown-fields']) out += '|P';
  if (s['x-kubernetes-int-or-string']) out += '|I';
  if (s.properties) {
    out += '|p(';
    for (const k of Object.keys(s.properties).sort()) {
      const child = s.properties[k];
      out += `${JSON.stringify(k)}:${child ? describe(child, stack) : '-'},`;
    }
    out += ')';
  }
  if (s.items) out += `|i${describe(s.items, stack)}`;
  const ap = s.additionalProperties;
  if (ap !== undefined) out += `|a${typeof ap === 'object' ? describe(ap, stack) : String(ap)}`;
  out += '}';
  stack.pop();
  // Inside a cycle the text depends on where the walk entered, so only acyclic parts are memoized.
  if (!out.includes('^')) memo.set(s, out);
  return out;
}

const digests = new WeakMap<OpenApiSchema, string>();

/** A short structural fingerprint of `schema` (undefined → `-`). */
export function schemaFingerprint(schema: OpenApiSchema | undefined): string {
  if (schema === undefined) return '-';
  let d = digests.get(schema);
  if (d === undefined) {
    d = createHash('sha256').update(describe(schema, [])).digest('base64url').slice(0, 22);
    digests.set(schema, d);
  }
  return d;
}
