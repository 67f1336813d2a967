// REST paths and query strings for any resource. Pure, so the URL rules (core group under /api,
// namespaced vs cluster paths, subresources, encoding) are unit-tested without a server.

import type { Gvr } from './gvk.js';

export interface ResourcePath {
  readonly gvr: Gvr;
  readonly namespaced: boolean;
  /** Omit (or '') for "all namespaces" on list/watch; required for namespaced objects. */
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly subresource?: string | undefined;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(gv: { group: string; version: string }): string {
  return gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
}

export function resourcePath(p: ResourcePath): string {
  let path = groupVersionPath(p.gvr);
  if (p.namespaced && p.namespace) path += `/namespaces/${encodeURIComponent(p.namespace)}`;
  if (p.namespaced && !p.namespace && p.name) {
    throw new TypeError(`${p.gvr.resource} is namespaced: a namespace is required to address ${p.name}`);
  }
  path += `/${p.gvr.resource}`;
  if (p.name !== undefined) {
    if (p.name === '') throw new TypeError('empty object name');
    path += `/${encodeURIComponent(p.name)}`;
  }
  if (p.subresource) {
    if (p.name === undefined) throw new TypeError('a subresource needs an object name');
    path += `/${p.subresource}`;
  }
  return path;
}

export type QueryValue = string | number | boolean | undefined;

/** `?a=1&b=x` from defined values only, in insertion order; '' when nothing is set. */
export function queryString(params: Readonly<Record<string, QueryValue>>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    sp.append(k, String(v));
  }
  const s = sp.toString();
  return s === '' ? '' : `?${s}`;
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * metav1.LabelSelector → the string form the API accepts (`a=b,c in (x,y),!d`). Values are
 * sorted so equal selectors produce equal strings (useful as cache keys).
 */
export function formatLabelSelector(sel: LabelSelectorLike): string {
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels?.[k] ?? ''}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${vals})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${vals})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
      default:
        throw new TypeError(`unsupported label selector operator "${e.operator}"`);
    }
  }
  return parts.join(',');
}
