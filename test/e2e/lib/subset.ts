// Partial-object matching for scenario assertions: every field of `expected` must be present in
// `actual` with an equal value; objects match recursively; an expected array matches when each
// of its elements matches a different element of the actual array, in any order (conditions and
// managedResources have no guaranteed order). Two escapes, as one-key objects:
//   { $absent: true }     the field must be missing
//   { $match: "<regex>" } a string matching the regular expression
// Returns the first mismatch as a readable path and reason, or undefined when `expected` matches.

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: Json): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function matchEscape(expected: Record<string, Json>, actual: Json, path: string): string | undefined | null {
  const keys = Object.keys(expected);
  if (keys.length !== 1) return null;
  if (keys[0] === '$absent')
    return actual === undefined ? undefined : `${path}: expected absent, got ${show(actual)}`;
  if (keys[0] === '$match') {
    const re = new RegExp(String(expected['$match']));
    return typeof actual === 'string' && re.test(actual)
      ? undefined
      : `${path}: expected to match /${re.source}/, got ${show(actual)}`;
  }
  return null;
}

function matchArray(expected: Json[], actual: Json, path: string): string | undefined {
  if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
  const used = new Set<number>();
  for (const [i, e] of expected.entries()) {
    const hit = actual.findIndex((a, j) => !used.has(j) && findMismatch(e, a, '') === undefined);
    if (hit < 0) return `${path}[${i}]: no element matches ${show(e)}; actual ${show(actual)}`;
    used.add(hit);
  }
  return undefined;
}

export function findMismatch(expected: Json, actual: Json, path = ''): string | undefined {
  if (isObject(expected)) {
    const escape = matchEscape(expected, actual, path || '.');
    if (escape !== null) return escape;
    if (!isObject(actual)) return `${path || '.'}: expected an object, got ${show(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const m = findMismatch(v, actual[k], `${path}.${k}`);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  if (Array.isArray(expected)) return matchArray(expected, actual, path || '.');
  return expected === actual ? undefined : `${path || '.'}: expected ${show(expected)}, got ${show(actual)}`;
}
