// What an apply changed on an existing child, for its event (spec 05 §9): the fields kro-ts sets
// (the leaves of the applied body) whose value differs between the object read before the apply
// and the apply's response. A changed field that another field manager owned in the object read
// before is a drift kro-ts reverted; otherwise the desired value itself changed (an update).

type Json = unknown;
export type PathSegment = string | number;

export interface FieldChange {
  readonly path: readonly PathSegment[];
  readonly before: Json;
  readonly after: Json;
}

const IGNORED_METADATA = new Set([
  'resourceVersion',
  'generation',
  'managedFields',
  'uid',
  'creationTimestamp',
]);

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaves of `desired` whose value differs between `before` and `after`. */
export function changedFields(desired: Json, before: Json, after: Json): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (d: Json, b: Json, a: Json, path: PathSegment[]): void => {
    if (isObject(d)) {
      for (const [k, v] of Object.entries(d)) {
        if (path.length === 1 && path[0] === 'metadata' && IGNORED_METADATA.has(k)) continue;
        if (path.length === 0 && (k === 'status' || k === 'apiVersion' || k === 'kind')) continue;
        walk(v, isObject(b) ? b[k] : undefined, isObject(a) ? a[k] : undefined, [...path, k]);
      }
      return;
    }
    if (Array.isArray(d)) {
      const bl = Array.isArray(b) ? b : [];
      const al = Array.isArray(a) ? a : [];
      if (bl.length !== al.length) {
        out.push({ path, before: `${bl.length} items`, after: `${al.length} items` });
        return;
      }
      d.forEach((v, i) => walk(v, bl[i], al[i], [...path, i]));
      return;
    }
    if (JSON.stringify(b) !== JSON.stringify(a)) out.push({ path, before: b, after: a });
  };
  walk(desired, before, after, []);
  return out;
}

/** `spec.template.spec.containers[0].image` */
export function formatPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

function formatValue(v: Json): string {
  if (v === undefined) return '(unset)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s.length <= 80 ? s : `${s.slice(0, 77)}...`;
}

/** `a.b: "x" -> "y"; c: 1 -> 2 (and 3 more)` */
export function describeChanges(changes: readonly FieldChange[], max = 3): string {
  const shown = changes
    .slice(0, max)
    .map((c) => `${formatPath(c.path)}: ${formatValue(c.before)} -> ${formatValue(c.after)}`);
  const more = changes.length > max ? ` (and ${changes.length - max} more)` : '';
  return `${shown.join('; ')}${more}`;
}

interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly subresource?: string;
  readonly fieldsV1?: Json;
}

/**
 * True when a field manager other than `self` (status writers excluded) owns `path` in `live`,
 * per its managedFields (fieldsV1: `f:<name>` for fields, `k:{...}` / `v:<json>` / `i:<n>` for
 * list elements, matched against the element of `live` at that index).
 */
export function ownedByOthers(live: Json, path: readonly PathSegment[], self: string): boolean {
  const entries = (isObject(live) && isObject(live['metadata']) ? live['metadata']['managedFields'] : []) as
    ManagedFieldsEntry[] | undefined;
  for (const e of entries ?? []) {
    if (e.manager === self || e.subresource === 'status') continue;
    if (owns(e.fieldsV1, live, path)) return true;
  }
  return false;
}

function owns(fields: Json, live: Json, path: readonly PathSegment[]): boolean {
  let node = fields;
  let value = live;
  for (const seg of path) {
    if (!isObject(node)) return false;
    if (typeof seg === 'string') {
      node = node[`f:${seg}`];
      value = isObject(value) ? value[seg] : undefined;
      continue;
    }
    const element = Array.isArray(value) ? (value[seg] as Json) : undefined;
    const key = Object.keys(node).find((k) => elementMatches(k, element, seg));
    if (key === undefined) return false;
    node = node[key];
    value = element;
  }
  return node !== undefined;
}

function elementMatches(key: string, element: Json, index: number): boolean {
  if (key === `i:${index}`) return true;
  try {
    if (key.startsWith('v:')) return JSON.stringify(JSON.parse(key.slice(2))) === JSON.stringify(element);
    if (key.startsWith('k:') && isObject(element)) {
      const want = JSON.parse(key.slice(2)) as Record<string, Json>;
      return Object.entries(want).every(([k, v]) => JSON.stringify(element[k]) === JSON.stringify(v));
    }
  } catch {
    return false;
  }
  return false;
}
