// Building CEL maps from entries. cel-js reads maps from plain objects (string keys) and from
// `Map` instances (any key); kro-ts builds plain objects when every key is a string, since that
// is what the rest of kro-ts (JSON conversion) expects, and a Map otherwise.
import { celEquals } from './values.js';

/** Sets `key` in an entry list, replacing an existing equal key (CEL equality). */
export function mapPut(entries: [unknown, unknown][], key: unknown, value: unknown): void {
  const hit = entries.findIndex(([k]) => celEquals(k, key));
  if (hit >= 0) entries[hit] = [key, value];
  else entries.push([key, value]);
}

export function buildMap(
  entries: Iterable<[unknown, unknown]>,
): Record<string, unknown> | Map<unknown, unknown> {
  const list = [...entries];
  if (list.every(([k]) => typeof k === 'string')) {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of list) {
      // defineProperty keeps keys such as "__proto__" as data, not as the prototype.
      Object.defineProperty(obj, k as string, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return obj;
  }
  return new Map(list);
}
