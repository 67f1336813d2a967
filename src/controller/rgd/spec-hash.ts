// The RGD spec hash (spec 01 §8 step 2): FNV-64a over a normalised JSON form, so edits that do
// not change meaning (key order, defaulted group/scope, absent vs empty lists, readyWhen /
// includeWhen order, resource order) keep the hash. forEach order is significant (it names items).

import type { ResourceGraphDefinition } from '../../api/rgd.js';
import { DEFAULT_INSTANCE_GROUP } from '../../api/constants.js';
import { isPlainObject, stableStringify } from '../../lib/json.js';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

export function fnv64a(text: string): string {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK;
  }
  return h.toString(16).padStart(16, '0');
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const sortedStrings = (v: unknown): unknown[] =>
  [...list(v)].sort((a, b) => String(a).localeCompare(String(b)));

function normaliseResource(r: unknown): unknown {
  if (!isPlainObject(r)) return r;
  return {
    ...r,
    readyWhen: sortedStrings(r['readyWhen']),
    includeWhen: sortedStrings(r['includeWhen']),
    forEach: list(r['forEach']),
  };
}

export function normaliseSpec(rgd: Pick<ResourceGraphDefinition, 'spec'>): unknown {
  const spec: Record<string, unknown> = isPlainObject(rgd.spec) ? { ...rgd.spec } : {};
  const schema: Record<string, unknown> = isPlainObject(spec['schema']) ? { ...spec['schema'] } : {};
  schema['group'] =
    typeof schema['group'] === 'string' && schema['group'] !== '' ? schema['group'] : DEFAULT_INSTANCE_GROUP;
  schema['scope'] =
    typeof schema['scope'] === 'string' && schema['scope'] !== '' ? schema['scope'] : 'Namespaced';
  for (const key of ['additionalPrinterColumns', 'shortNames', 'categories']) schema[key] = list(schema[key]);
  const resources = list(spec['resources']).map(normaliseResource);
  resources.sort((a, b) => {
    const ia = isPlainObject(a) ? String(a['id'] ?? '') : '';
    const ib = isPlainObject(b) ? String(b['id'] ?? '') : '';
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  return { ...spec, schema, resources };
}

/** 16 hex digits. */
export function specHash(rgd: Pick<ResourceGraphDefinition, 'spec'>): string {
  return fnv64a(stableStringify(normaliseSpec(rgd)));
}
