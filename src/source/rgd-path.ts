// Parses the RGD paths issues carry (`spec.resources[2].template.metadata.labels["a.b/c"]`, the
// format of expr/path.ts) back into segments, so they can be looked up in the YAML document.

export type Segment = string | number;

export function parseRgdPath(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let name = '';
  const flush = (): void => {
    if (name !== '') out.push(name);
    name = '';
  };
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const end = bracketEnd(path, i);
      const inner = path.slice(i + 1, end);
      out.push(inner.startsWith('"') ? parseQuoted(inner) : Number(inner));
      i = end + 1;
    } else {
      name += c;
      i++;
    }
  }
  flush();
  return out;
}

function bracketEnd(path: string, start: number): number {
  if (path[start + 1] !== '"') {
    const e = path.indexOf(']', start);
    return e < 0 ? path.length : e;
  }
  let j = start + 2;
  while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
  const e = path.indexOf(']', j);
  return e < 0 ? path.length : e;
}

function parseQuoted(s: string): string {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'string' ? v : s;
  } catch {
    return s.slice(1, -1);
  }
}
