// The type part of a SimpleSchema field string ("[]map[string]Port"), parsed into a small tree.
// Parsing never looks at `types`; names that are not built in are custom-type references,
// resolved later so that types can be declared in any order.

import type { Result } from '../lib/result.js';
import { err, ok } from '../lib/result.js';
import { goQuote } from '../lib/go-strconv.js';

export type TypeExpr =
  | { readonly kind: 'atomic'; readonly name: 'string' | 'integer' | 'boolean' | 'float' }
  | { readonly kind: 'object' }
  | { readonly kind: 'slice'; readonly elem: TypeExpr }
  | { readonly kind: 'map'; readonly value: TypeExpr }
  | { readonly kind: 'custom'; readonly name: string };

/** kro's guard against pathological input such as `[][][]…string`. */
export const MAX_TYPE_NESTING_DEPTH = 16;

const ATOMICS = new Set(['string', 'integer', 'boolean', 'float']);

/** Splits a field string at the first `|`: the type text (trimmed) and the marker text, if any. */
export function splitFieldString(s: string): { typeText: string; markerText: string | undefined } {
  const bar = s.indexOf('|');
  if (bar < 0) return { typeText: s.trim(), markerText: undefined };
  return { typeText: s.slice(0, bar).trim(), markerText: s.slice(bar + 1) };
}

/** Parses a trimmed type expression. Errors are kro's leaf messages. */
export function parseTypeExpression(typeText: string): Result<TypeExpr, string> {
  if (typeText === '') return err('empty type');
  return parseAtDepth(typeText, 0);
}

function parseAtDepth(raw: string, depth: number): Result<TypeExpr, string> {
  // kro checks the depth before trimming and quotes what is left at that depth.
  if (depth > MAX_TYPE_NESTING_DEPTH) {
    return err(`type nesting too deep (max ${MAX_TYPE_NESTING_DEPTH}): ${goQuote(raw)}`);
  }
  const s = raw.trim();
  if (ATOMICS.has(s)) return ok({ kind: 'atomic', name: s as 'string' | 'integer' | 'boolean' | 'float' });
  if (s === 'object') return ok({ kind: 'object' });
  if (s.startsWith('[]')) {
    const elem = s.slice(2);
    if (elem === '') return err('empty slice element type');
    const inner = parseAtDepth(elem, depth + 1);
    return inner.ok ? ok({ kind: 'slice', elem: inner.value }) : inner;
  }
  if (s.startsWith('map[')) {
    if (!s.startsWith('map[string]')) return err('map key must be string');
    const rest = s.slice('map[string]'.length).trim();
    if (rest === '') return err('map value type is required');
    const inner = parseAtDepth(rest, depth + 1);
    return inner.ok ? ok({ kind: 'map', value: inner.value }) : inner;
  }
  return ok({ kind: 'custom', name: s });
}

/** Custom type names a type expression refers to (for dependency ordering of `types`). */
export function typeDependencies(t: TypeExpr): string[] {
  switch (t.kind) {
    case 'custom':
      return [t.name];
    case 'slice':
      return typeDependencies(t.elem);
    case 'map':
      return typeDependencies(t.value);
    default:
      return [];
  }
}
