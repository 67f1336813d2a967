// Builds a GroupVersionDocument from what the API server serves: the group-version's /openapi/v3
// document (components.schemas, each kind tagged with x-kubernetes-group-version-kind) and the
// discovery APIResourceList (plural and scope per kind). Shared by the live resolver and the
// bundle generator so both read the server the same way.

import { isPlainObject } from '../lib/json.js';
import type { GroupVersionDocument, KindEntry } from './document.js';

export interface BuildDocumentOptions {
  /** Drop descriptions and examples (the bundle does, to stay small). */
  readonly stripDocs?: boolean;
}

export function documentFromServer(
  groupVersion: string,
  openapi: unknown,
  discovery: unknown,
  options: BuildDocumentOptions = {},
): GroupVersionDocument {
  const components =
    isPlainObject(openapi) && isPlainObject(openapi['components']) ? openapi['components'] : {};
  const rawSchemas = isPlainObject(components['schemas']) ? components['schemas'] : {};
  const byKind = componentsByKind(groupVersion, rawSchemas);
  const resources: KindEntry[] = [];
  for (const r of discoveryResources(discovery)) {
    const schema = byKind.get(r.kind);
    if (schema !== undefined && !resources.some((e) => e.kind === r.kind)) resources.push({ ...r, schema });
  }
  resources.sort((a, b) => a.kind.localeCompare(b.kind));
  const schemas: Record<string, unknown> = {};
  for (const name of Object.keys(rawSchemas).sort()) {
    const s = rawSchemas[name];
    schemas[name] = options.stripDocs ? stripDocs(s) : s;
  }
  return { groupVersion, resources, schemas };
}

/** Component name per kind of this group-version, from x-kubernetes-group-version-kind. */
export function componentsByKind(
  groupVersion: string,
  schemas: Record<string, unknown>,
): Map<string, string> {
  const [g, v] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  const out = new Map<string, string>();
  for (const [name, s] of Object.entries(schemas)) {
    const tags = isPlainObject(s) ? s['x-kubernetes-group-version-kind'] : undefined;
    if (!Array.isArray(tags)) continue;
    for (const t of tags) {
      if (isPlainObject(t) && t['group'] === g && t['version'] === v && typeof t['kind'] === 'string') {
        out.set(t['kind'], name);
      }
    }
  }
  return out;
}

/** Top-level resources of an APIResourceList (subresources such as `deployments/scale` skipped). */
export function discoveryResources(
  discovery: unknown,
): { kind: string; plural: string; namespaced: boolean }[] {
  const list =
    isPlainObject(discovery) && Array.isArray(discovery['resources']) ? discovery['resources'] : [];
  const out: { kind: string; plural: string; namespaced: boolean }[] = [];
  for (const r of list) {
    if (!isPlainObject(r) || typeof r['name'] !== 'string' || typeof r['kind'] !== 'string') continue;
    if (r['name'].includes('/')) continue;
    out.push({ kind: r['kind'], plural: r['name'], namespaced: r['namespaced'] === true });
  }
  return out;
}

const DOC_KEYS = new Set(['description', 'example', 'externalDocs']);
const SCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_KEYS = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_LIST_KEYS = new Set(['allOf', 'oneOf', 'anyOf']);

/** Removes documentation keywords from a schema tree, never a property that happens to be named so. */
export function stripDocs(schema: unknown): unknown {
  if (!isPlainObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (DOC_KEYS.has(k)) continue;
    if (SCHEMA_MAP_KEYS.has(k) && isPlainObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, stripDocs(s)]));
    } else if (SCHEMA_KEYS.has(k)) out[k] = stripDocs(v);
    else if (SCHEMA_LIST_KEYS.has(k) && Array.isArray(v)) out[k] = v.map(stripDocs);
    else out[k] = v;
  }
  return out;
}
