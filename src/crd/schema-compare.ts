// Recursive comparison of two OpenAPI schemas with kro's classification (spec 01 §7.2,
// kro pkg/graph/crd/compat). Properties, required entries and enum values are visited in sorted
// order so the report, and so the summary, is deterministic (kro's follows Go map order).
// Differences kro does not look at are reported as non-breaking OTHER_CHANGED (spec 01 §7.1).

import type { OpenApiSchema } from '../api/openapi.js';
import { deepEqual, stableStringify } from '../lib/json.js';
import type { ChangeType, CrdChange } from './changes.js';
import { BREAKING_CHANGE_TYPES, formatFloat, makeChange } from './changes.js';

export interface Report {
  readonly breaking: CrdChange[];
  readonly nonBreaking: CrdChange[];
}

const BREAKING: ReadonlySet<ChangeType> = new Set(BREAKING_CHANGE_TYPES);

/** Keys kro compares; anything else that differs is an OTHER_CHANGED. */
const KRO_KEYS = new Set([
  'description',
  'default',
  'type',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'enum',
  'items',
]);

export function newReport(): Report {
  return { breaking: [], nonBreaking: [] };
}

/** Files a change by its type; PROPERTY_ADDED alone depends on context (`breaking` given). */
export function addChange(r: Report, change: CrdChange, breaking = BREAKING.has(change.type)): void {
  (breaking ? r.breaking : r.nonBreaking).push(change);
}

const hasDefault = (s: OpenApiSchema | undefined): boolean => s?.default !== undefined;
const renderDefault = (s: OpenApiSchema): string =>
  s.default === undefined ? '' : stableStringify(s.default);

export function compareSchemas(r: Report, path: string, oldS?: OpenApiSchema, newS?: OpenApiSchema): void {
  if (oldS === undefined && newS === undefined) return;
  if (oldS === undefined) return addChange(r, makeChange(path, 'PROPERTY_ADDED'));
  if (newS === undefined) return addChange(r, makeChange(path, 'PROPERTY_REMOVED'));

  if ((oldS.description ?? '') !== (newS.description ?? '')) {
    addChange(
      r,
      makeChange(
        `${path}.description`,
        'DESCRIPTION_CHANGED',
        oldS.description ?? '',
        newS.description ?? '',
      ),
    );
  }
  if (!deepEqual(oldS.default, newS.default)) {
    addChange(r, makeChange(`${path}.default`, 'DEFAULT_CHANGED', renderDefault(oldS), renderDefault(newS)));
  }
  if ((oldS.type ?? '') !== (newS.type ?? '')) {
    // Nothing below a type change is comparable.
    return addChange(r, makeChange(`${path}.type`, 'TYPE_CHANGED', oldS.type ?? '', newS.type ?? ''));
  }
  comparePattern(r, path, oldS.pattern ?? '', newS.pattern ?? '');
  for (const bound of BOUNDS) compareBound(r, path, bound, [oldS[bound.key], newS[bound.key]]);
  compareProperties(r, path, oldS, newS);
  compareRequired(r, path, oldS, newS);
  compareEnum(r, path, oldS, newS);
  compareItems(r, path, oldS, newS);
  compareOthers(r, path, oldS, newS);
}

function comparePattern(r: Report, path: string, o: string, n: string): void {
  if (o === n) return;
  if (o === '') addChange(r, makeChange(`${path}.pattern`, 'PATTERN_ADDED', '', n));
  else if (n === '') addChange(r, makeChange(`${path}.pattern`, 'PATTERN_REMOVED', o, ''));
  else addChange(r, makeChange(`${path}.pattern`, 'PATTERN_CHANGED', o, n));
}

type Prefix = 'MINIMUM' | 'MAXIMUM' | 'MIN_LENGTH' | 'MAX_LENGTH' | 'MIN_ITEMS' | 'MAX_ITEMS';

interface Bound {
  readonly key: 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems';
  readonly prefix: Prefix;
  readonly fmt: (v: number) => string;
}

const BOUNDS: readonly Bound[] = [
  { key: 'minimum', prefix: 'MINIMUM', fmt: formatFloat },
  { key: 'maximum', prefix: 'MAXIMUM', fmt: formatFloat },
  { key: 'minLength', prefix: 'MIN_LENGTH', fmt: String },
  { key: 'maxLength', prefix: 'MAX_LENGTH', fmt: String },
  { key: 'minItems', prefix: 'MIN_ITEMS', fmt: String },
  { key: 'maxItems', prefix: 'MAX_ITEMS', fmt: String },
];

function compareBound(
  r: Report,
  base: string,
  b: Bound,
  [o, n]: [number | undefined, number | undefined],
): void {
  const path = `${base}.${b.key}`;
  if (o === undefined && n === undefined) return;
  if (o === undefined && n !== undefined)
    return addChange(r, makeChange(path, `${b.prefix}_ADDED`, '', b.fmt(n)));
  if (o !== undefined && n === undefined)
    return addChange(r, makeChange(path, `${b.prefix}_REMOVED`, b.fmt(o), ''));
  if (o === undefined || n === undefined || o === n) return;
  const moved = n > o ? 'INCREASED' : 'DECREASED';
  addChange(r, makeChange(path, `${b.prefix}_${moved}`, b.fmt(o), b.fmt(n)));
}

function compareProperties(r: Report, path: string, oldS: OpenApiSchema, newS: OpenApiSchema): void {
  const oldProps = oldS.properties ?? {};
  const newProps = newS.properties ?? {};
  for (const name of Object.keys(oldProps).sort()) {
    const p = `${path}.properties.${name}`;
    if (!(name in newProps)) addChange(r, makeChange(p, 'PROPERTY_REMOVED'));
    else compareSchemas(r, p, oldProps[name], newProps[name]);
  }
  const newRequired = new Set(newS.required ?? []);
  for (const name of Object.keys(newProps).sort()) {
    if (name in oldProps) continue;
    const p = `${path}.properties.${name}`;
    if (newRequired.has(name) && !hasDefault(newProps[name])) {
      // A required property without a default breaks existing instances.
      addChange(r, makeChange(p, 'PROPERTY_ADDED', 'required=false', 'required=true'), true);
    } else {
      addChange(r, makeChange(p, 'PROPERTY_ADDED'));
    }
  }
}

function compareRequired(r: Report, path: string, oldS: OpenApiSchema, newS: OpenApiSchema): void {
  const oldReq = new Set(oldS.required ?? []);
  const newReq = new Set(newS.required ?? []);
  if (oldReq.size === 0 && newReq.size === 0) return;
  const existing = oldS.properties ?? {};
  for (const name of [...newReq].sort()) {
    if (name in existing && !oldReq.has(name))
      addChange(r, makeChange(`${path}.required`, 'REQUIRED_ADDED', '', name));
  }
  for (const name of [...oldReq].sort()) {
    if (!newReq.has(name)) addChange(r, makeChange(`${path}.required`, 'REQUIRED_REMOVED', name, ''));
  }
  for (const name of [...newReq].sort()) {
    if (!(name in existing) || !oldReq.has(name)) continue;
    if (hasDefault(existing[name]) && !hasDefault(newS.properties?.[name])) {
      addChange(r, makeChange(`${path}.required`, 'REQUIRED_DEFAULT_REMOVED', name, ''));
    }
  }
}

function compareEnum(r: Report, path: string, oldS: OpenApiSchema, newS: OpenApiSchema): void {
  const oldE = new Set((oldS.enum ?? []).map((v) => stableStringify(v)));
  const newE = new Set((newS.enum ?? []).map((v) => stableStringify(v)));
  if (oldE.size === 0 || newE.size === 0) {
    // kro ignores an enum added or dropped entirely; kro-ts still writes it.
    if (oldE.size !== newE.size) addChange(r, makeChange(`${path}.enum`, 'OTHER_CHANGED'));
    return;
  }
  for (const v of [...oldE].sort())
    if (!newE.has(v)) addChange(r, makeChange(`${path}.enum`, 'ENUM_RESTRICTED', v, ''));
  for (const v of [...newE].sort())
    if (!oldE.has(v)) addChange(r, makeChange(`${path}.enum`, 'ENUM_EXPANDED', '', v));
}

function compareItems(r: Report, path: string, oldS: OpenApiSchema, newS: OpenApiSchema): void {
  if (oldS.type !== 'array' || newS.type !== 'array') {
    if (!deepEqual(oldS.items, newS.items)) addChange(r, makeChange(`${path}.items`, 'OTHER_CHANGED'));
    return;
  }
  if (oldS.items && newS.items) compareSchemas(r, `${path}.items`, oldS.items, newS.items);
  else if (oldS.items) addChange(r, makeChange(`${path}.items`, 'PROPERTY_REMOVED'));
  else if (newS.items) addChange(r, makeChange(`${path}.items`, 'PROPERTY_ADDED'));
}

function compareOthers(r: Report, path: string, oldS: OpenApiSchema, newS: OpenApiSchema): void {
  const o = oldS as Record<string, unknown>;
  const n = newS as Record<string, unknown>;
  const keys = new Set([...Object.keys(o), ...Object.keys(n)].filter((k) => !KRO_KEYS.has(k)));
  for (const key of [...keys].sort()) {
    if (!deepEqual(o[key], n[key])) addChange(r, makeChange(`${path}.${key}`, 'OTHER_CHANGED'));
  }
}
