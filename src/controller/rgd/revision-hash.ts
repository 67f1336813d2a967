// The GraphRevision spec hash, byte for byte as kro v0.9.4 computes it (the value of the
// `kro.run/graph-revision-hash` label, and how a revision's snapshot is compared with the current
// spec): FNV-64a over Go's encoding/json of the typed RGD spec after normalisation. Go's
// encoder writes struct fields in declaration order, drops `omitempty` fields that are empty,
// always writes embedded raw objects (`null` when absent), sorts map keys and HTML-escapes
// strings; numbers inside raw objects pass through float64.
//
// Normalisation (kro's): group defaults to kro.run, scope to Namespaced; resources sorted by id;
// readyWhen/includeWhen sorted; raw objects re-encoded canonically. forEach order is kept.

import { DEFAULT_INSTANCE_GROUP } from '../../api/constants.js';
import { goJsonNumber, goJsonString } from '../../cel/lib/go-json.js';
import { isPlainObject } from '../../lib/json.js';
import { fnv64a } from './spec-hash.js';

type Obj = Record<string, unknown>;
type Field = readonly [key: string, encode: (v: unknown) => string | undefined];

const compareBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** An embedded object (runtime.RawExtension): canonical JSON, or `null` when absent. */
function raw(v: unknown): string {
  return v === undefined || v === null ? 'null' : canonical(v);
}

/** Go's encoding of a value decoded into `any`: sorted keys, float64 numbers. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return goJsonNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort(compareBytes);
    return `{${keys.map((k) => `${goJsonString(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return 'null';
}

/** A struct: fields in declaration order; an encoder returning undefined omits the field. */
function struct(v: unknown, fields: readonly Field[]): string {
  const o: Obj = isPlainObject(v) ? v : {};
  const parts: string[] = [];
  for (const [key, encode] of fields) {
    const out = encode(o[key]);
    if (out !== undefined) parts.push(`${goJsonString(key)}:${out}`);
  }
  return `{${parts.join(',')}}`;
}

const str = (v: unknown): string => goJsonString(typeof v === 'string' ? v : '');
const strOmit = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? goJsonString(v) : undefined;
const intOmit = (v: unknown): string | undefined =>
  typeof v === 'number' && v !== 0 ? String(Math.trunc(v)) : undefined;
const listOmit =
  (item: (v: unknown) => string) =>
  (v: unknown): string | undefined =>
    Array.isArray(v) && v.length > 0 ? `[${v.map(item).join(',')}]` : undefined;
const stringMapOmit = (v: unknown): string | undefined => {
  if (!isPlainObject(v) || Object.keys(v).length === 0) return undefined;
  return stringMap(v);
};
const stringMap = (v: unknown): string => {
  const o: Obj = isPlainObject(v) ? v : {};
  const keys = Object.keys(o).sort(compareBytes);
  return `{${keys.map((k) => `${goJsonString(k)}:${str(o[k])}`).join(',')}}`;
};

const printerColumn = (v: unknown): string =>
  struct(v, [
    ['name', str],
    ['type', str],
    ['format', strOmit],
    ['description', strOmit],
    ['priority', intOmit],
    ['jsonPath', str],
  ]);

const schemaFields: readonly Field[] = [
  ['kind', strOmit],
  ['apiVersion', strOmit],
  ['group', strOmit],
  ['spec', raw],
  ['types', raw],
  ['status', raw],
  ['scope', strOmit],
  ['additionalPrinterColumns', listOmit(printerColumn)],
  ['shortNames', listOmit(str)],
  ['categories', listOmit(str)],
  [
    'metadata',
    (v) =>
      isPlainObject(v)
        ? struct(v, [
            ['labels', stringMapOmit],
            ['annotations', stringMapOmit],
          ])
        : undefined,
  ],
];

const externalRef = (v: unknown): string | undefined =>
  isPlainObject(v)
    ? struct(v, [
        ['apiVersion', str],
        ['kind', str],
        [
          'metadata',
          (m) =>
            struct(m, [
              ['name', strOmit],
              ['namespace', strOmit],
              ['selector', raw],
            ]),
        ],
      ])
    : undefined;

const strings =
  (sort: boolean) =>
  (v: unknown): string | undefined => {
    if (!Array.isArray(v) || v.length === 0) return undefined;
    const items = v.map((x) => (typeof x === 'string' ? x : ''));
    if (sort) items.sort(compareBytes);
    return `[${items.map(goJsonString).join(',')}]`;
  };

const resource =
  (sort: boolean) =>
  (v: unknown): string =>
    isPlainObject(v)
      ? struct(v, [
          ['id', strOmit],
          ['template', raw],
          ['externalRef', externalRef],
          ['readyWhen', strings(sort)],
          ['includeWhen', strings(sort)],
          ['forEach', listOmit(stringMap)],
        ])
      : 'null';

/**
 * The spec as kro's json.Marshal writes it: normalised for the hash (default), or as kro's typed
 * decode-and-encode leaves it (`normalise: false`, what kro copies into a revision's snapshot).
 */
export function kroSpecJson(spec: unknown, opts: { normalise?: boolean } = {}): string {
  const normalise = opts.normalise ?? true;
  const s: Obj = isPlainObject(spec) ? spec : {};
  const resources = Array.isArray(s['resources']) ? [...s['resources']] : [];
  if (normalise) resources.sort((a, b) => compareBytes(idOf(a), idOf(b)));
  return struct({ ...s, resources }, [
    [
      'schema',
      (v) => (isPlainObject(v) ? struct(normalise ? normaliseSchema(v) : v, schemaFields) : undefined),
    ],
    ['resources', listOmit(resource(normalise))],
  ]);
}

/**
 * The RGD spec as kro stores it in a GraphRevision snapshot: only the API's fields, empty
 * optional ones dropped (absent embedded objects are dropped too; the API server prunes the
 * nulls kro sends for them).
 */
export function snapshotSpec(spec: unknown): Record<string, unknown> {
  const out = JSON.parse(kroSpecJson(spec, { normalise: false })) as Obj;
  const dropNulls = (o: unknown, keys: readonly string[]): void => {
    if (!isPlainObject(o)) return;
    for (const k of keys) if (o[k] === null) delete o[k];
  };
  dropNulls(out['schema'], ['spec', 'types', 'status']);
  for (const r of Array.isArray(out['resources']) ? out['resources'] : []) {
    dropNulls(r, ['template']);
    if (isPlainObject(r)) dropNulls((r['externalRef'] as Obj | undefined)?.['metadata'], ['selector']);
  }
  return out;
}

function idOf(r: unknown): string {
  return isPlainObject(r) && typeof r['id'] === 'string' ? r['id'] : '';
}

function normaliseSchema(schema: Obj): Obj {
  const group =
    typeof schema['group'] === 'string' && schema['group'] !== '' ? schema['group'] : DEFAULT_INSTANCE_GROUP;
  const scope =
    typeof schema['scope'] === 'string' && schema['scope'] !== '' ? schema['scope'] : 'Namespaced';
  return { ...schema, group, scope };
}

/** kro's `graph-revision-hash`: 16 lower-case hex digits. */
export function graphRevisionHash(spec: unknown): string {
  return fnv64a(kroSpecJson(spec));
}
