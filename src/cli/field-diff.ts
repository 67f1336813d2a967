// Field-level difference of two rendered manifests: leaf paths (`spec.template.spec.containers[0]
// .image`) that were added, removed or changed, in document order.

import { isPlainObject } from '../lib/json.js';

export interface FieldChange {
  readonly path: string;
  readonly op: 'added' | 'removed' | 'changed';
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
}

export function diffFields(a: unknown, b: unknown, path = ''): FieldChange[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    return keys.flatMap((k) => diffFields(a[k], b[k], join(path, k)));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => diffFields(a[i], b[i], `${path}[${i}]`)).flat();
  }
  if (a === undefined && b === undefined) return [];
  if (a === undefined) return [{ path, op: 'added', newValue: b }];
  if (b === undefined) return [{ path, op: 'removed', oldValue: a }];
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ path, op: 'changed', oldValue: a, newValue: b }];
}

function join(path: string, key: string): string {
  const seg = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === '') return seg.startsWith('[') ? seg : seg;
  return seg.startsWith('[') ? path + seg : `${path}.${seg}`;
}

export function formatChange(c: FieldChange): string {
  const v = (x: unknown): string => JSON.stringify(x);
  switch (c.op) {
    case 'added':
      return `+ ${c.path}: ${v(c.newValue)}`;
    case 'removed':
      return `- ${c.path}: ${v(c.oldValue)}`;
    default:
      return `~ ${c.path}: ${v(c.oldValue)} -> ${v(c.newValue)}`;
  }
}
