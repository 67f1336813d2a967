// Field paths as kro writes them: dotted names, `[i]` for list indices, `["k"]` for keys that
// contain a dot or are empty (`metadata.labels["app.kubernetes.io/name"]`), so a path can be
// parsed back without ambiguity.

export type PathSegment = string | number;

export function appendSegment(path: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  if (segment === '' || segment.includes('.')) return `${path}[${JSON.stringify(segment)}]`;
  return path === '' ? segment : `${path}.${segment}`;
}

export function formatPath(segments: readonly PathSegment[], base = ''): string {
  let out = base;
  for (const s of segments) out = appendSegment(out, s);
  return out;
}

/** Joins a base path and a relative path already formatted (`spec.x` + `a.b` → `spec.x.a.b`). */
export function joinPaths(base: string, relative: string): string {
  if (base === '') return relative;
  if (relative === '') return base;
  return relative.startsWith('[') ? base + relative : `${base}.${relative}`;
}
