// Map functions: kro's m.merge(m2) (shallow, keys of m2 win) and, from kro after v0.9.3,
// a.deepMerge(b) (maps merge recursively; anything else, lists included, takes b's value).
import type { Environment } from '@marcbachmann/cel-js';
import { chargeBudget, checkCollectionSize } from './limits.js';
import { buildMap, mapPut } from './maps-util.js';
import { isMap, mapEntries, type CelMap } from './values.js';

export function merge(a: CelMap, b: CelMap): unknown {
  const entries = mapEntries(a);
  for (const [k, v] of mapEntries(b)) mapPut(entries, k, v);
  checkCollectionSize(entries.length);
  chargeBudget(entries.length);
  return buildMap(entries);
}

export function deepMerge(a: unknown, b: unknown): unknown {
  if (!isMap(a) || !isMap(b)) return b;
  const entries = mapEntries(a);
  for (const [k, v] of mapEntries(b)) {
    chargeBudget(1);
    const i = entries.findIndex(([key]) => key === k);
    const existing = i >= 0 ? entries[i] : undefined;
    if (existing) entries[i] = [k, deepMerge(existing[1], v)];
    else mapPut(entries, k, v);
  }
  checkCollectionSize(entries.length);
  return buildMap(entries);
}

export function registerMaps(env: Environment): void {
  // The signature-string form cannot express a `map<K, V>` receiver (no spaces allowed there).
  env.registerFunction({
    name: 'merge',
    receiverType: 'map<K, V>',
    returnType: 'map<K, V>',
    params: [{ name: 'other', type: 'map<K, V>' }],
    handler: (a: CelMap, b: CelMap) => merge(a, b),
  });
  env.registerFunction('dyn.deepMerge(dyn): dyn', deepMerge);
}
