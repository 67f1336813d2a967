// The contract between graph/ and whatever knows the schemas of target kinds: the live API
// server, the bundled built-in kinds, or CRD files. Resolved schemas are self-contained ($ref
// inlined) and frozen, so a compiled graph can hold them without copying.

import type { OpenApiSchema } from '../api/openapi.js';
import type { Result } from '../lib/result.js';

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface ResolvedKind {
  /** The kind's schema with every `$ref` inlined (recursion cut to preserve-unknown). */
  readonly schema: OpenApiSchema;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface SchemaResolver {
  /** Resolves a kind; the error is a human-readable cause (`failed to get schema ...: <cause>`). */
  resolve(gvk: Gvk): Promise<Result<ResolvedKind, string>>;
}

export function groupVersionOf(gvk: { group: string; version: string }): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
}

export function formatGvk(gvk: Gvk): string {
  return `${groupVersionOf(gvk)}, Kind=${gvk.kind}`;
}

/** Splits `apps/v1` into group and version; `v1` is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1] };
  return undefined;
}
