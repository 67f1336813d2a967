// What kube-apiserver checks when a CustomResourceDefinition is created (apiextensions-apiserver
// v0.36: apis/apiextensions/validation, apiserver/schema/validation.go, complete.go and
// defaulting/validation.go), for the parts a generated instance CRD can get wrong: the structural
// schema rules, the OpenAPI keywords a CRD may not use, x-kubernetes-* placement, defaults (valid
// against their schema, pruned, not in metadata) and printer columns. Errors use the API server's
// field paths and wording (`<path>: Forbidden: must be empty to be structural`), so the CLI refuses
// what `kubectl create` would, at the same place. CEL rules (x-kubernetes-validations) are only
// checked for placement, not compiled.

import type { OpenApiSchema } from '../api/openapi.js';
import { deepEqual, isPlainObject } from '../lib/json.js';
import { pruneUnknown } from './structural.js';
import { validateValue } from './validate-value.js';

/** One refusal: the field path and the whole line as kube-apiserver prints it. */
export interface CrdError {
  readonly path: string;
  readonly message: string;
}

type Schema = OpenApiSchema & Record<string, unknown>;
type Level = 'root' | 'item' | 'field';

const required = (path: string, detail: string): CrdError => ({
  path,
  message: `${path}: Required value${detail ? `: ${detail}` : ''}`,
});
const forbidden = (path: string, detail: string): CrdError => ({
  path,
  message: `${path}: Forbidden: ${detail}`,
});
const invalid = (path: string, value: unknown, detail: string): CrdError => ({
  path,
  message: `${path}: Invalid value: ${goValue(value)}: ${detail}`,
});
const unsupported = (path: string, value: string, supported: readonly string[]): CrdError => ({
  path,
  message: `${path}: Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const prop = (path: string, key: string): string => `${path}.properties[${key}]`;

/** Every error kube-apiserver would report for this CRD's versions (sorted as it sorts them). */
export function checkCrd(crd: unknown): CrdError[] {
  const out: CrdError[] = [];
  const versions = isPlainObject(crd) && isPlainObject(crd['spec']) ? crd['spec']['versions'] : undefined;
  if (!Array.isArray(versions) || versions.length === 0) return out;
  const list = versions.map((v: unknown) => (isPlainObject(v) ? v : {}));
  const schemaOf = (v: Record<string, unknown>): unknown =>
    isPlainObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
  // kube-apiserver validates the internal form, where a schema (or printer columns) shared by every
  // version is hoisted to spec.validation (spec.additionalPrinterColumns): errors name that path.
  const first = list[0] ?? {};
  const sharedSchema = list.every((v) => deepEqual(schemaOf(v), schemaOf(first)));
  const sharedColumns = list.every((v) =>
    deepEqual(v['additionalPrinterColumns'], first['additionalPrinterColumns']),
  );
  list.forEach((version, i) => {
    const base = `spec.versions[${i}]`;
    const schema = schemaOf(version);
    if (isPlainObject(schema) && (!sharedSchema || i === 0)) {
      const root = sharedSchema ? 'spec.validation.openAPIV3Schema' : `${base}.schema.openAPIV3Schema`;
      out.push(...checkSchema(schema as Schema, root));
    }
    const columns = version['additionalPrinterColumns'];
    if (Array.isArray(columns) && (!sharedColumns || i === 0)) {
      const at = sharedColumns ? 'spec.additionalPrinterColumns' : `${base}.additionalPrinterColumns`;
      columns.forEach((c: unknown, j) => out.push(...checkColumn(c, `${at}[${j}]`)));
    }
  });
  return out;
}

/** The openAPIV3Schema rules, in kube-apiserver's order of reporting. */
export function checkSchema(schema: Schema, path: string): CrdError[] {
  const structural = [...invariants(schema, 'root', path), ...completeness(schema, path)];
  structural.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  // Defaults are only validated once the schema is structural (an else-if chain in the API server).
  const defaults = structural.length === 0 ? checkDefaults(schema, path, { root: true, inMeta: false }) : [];
  return [...structural, ...defaults, ...openApiRules(schema, path, { root: true, inMeta: false })];
}

// ---- structural invariants (apiserver/schema/validation.go) ----

function invariants(s: Schema, level: Level, path: string): CrdError[] {
  const out: CrdError[] = [];
  const type = typeof s.type === 'string' ? s.type : '';
  if (type === 'array' && !isPlainObject(s.items)) out.push(required(`${path}.items`, 'must be specified'));
  if (isPlainObject(s.items)) out.push(...invariants(s.items as Schema, 'item', `${path}.items`));
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (isPlainObject(v)) out.push(...invariants(v as Schema, 'field', prop(path, k)));
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    if (level === 'root') out.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (isPlainObject(s.additionalProperties)) {
      out.push(...invariants(s.additionalProperties as Schema, 'field', `${path}.additionalProperties`));
    }
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) {
    out.push(
      invalid(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  if (intOrString && embedded) {
    out.push(
      invalid(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  out.push(...valueValidation(s, isIntOrStringAnyOf(s.anyOf), isIntOrStringAnyOf(firstAllOfAnyOf(s)), path));
  if (embedded && type !== 'object') {
    out.push(
      type === ''
        ? required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true')
        : invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true'),
    );
  } else if (type === '' && !intOrString && !preserve) {
    const detail = {
      root: 'must not be empty at the root',
      item: 'must not be empty for specified array items',
      field: 'must not be empty for specified object fields',
    }[level];
    out.push(required(`${path}.type`, detail));
  }
  if (embedded && s.additionalProperties !== undefined) {
    out.push(
      forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'),
    );
  }
  if (level === 'root' && type !== '' && type !== 'object') {
    out.push(invalid(`${path}.type`, type, 'must be object at the root'));
  }
  const checkMeta = level === 'root' || embedded;
  const props = s.properties ?? {};
  for (const key of ['kind', 'apiVersion']) {
    const p = props[key];
    if (p && checkMeta && p.type !== 'string') {
      out.push(invalid(`${prop(path, key)}.type`, p.type ?? '', 'must be string'));
    }
  }
  const metadata = props['metadata'] as Schema | undefined;
  if (metadata) {
    const mpath = prop(path, 'metadata');
    if (checkMeta && metadata.type !== 'object')
      out.push(invalid(`${mpath}.type`, metadata.type ?? '', 'must be object'));
    if (level === 'root' && !onlyNameAndGenerateName(metadata)) {
      out.push(
        forbidden(
          mpath,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
    }
  }
  if (embedded && !preserve && Object.keys(props).length === 0) {
    out.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
  return out;
}

function onlyNameAndGenerateName(metadata: Schema): boolean {
  const rest: Record<string, unknown> = { ...metadata };
  delete rest['type'];
  delete rest['default'];
  const props = rest['properties'];
  if (isPlainObject(props)) {
    const keys = Object.keys(props);
    if (keys.every((k) => k === 'name' || k === 'generateName') && keys.length <= 2)
      delete rest['properties'];
  }
  return Object.values(rest).every((v) => v === undefined);
}

const INT_OR_STRING_ANY_OF = [{ type: 'integer' }, { type: 'string' }];

function isIntOrStringAnyOf(anyOf: unknown): boolean {
  return deepEqual(anyOf, INT_OR_STRING_ANY_OF);
}

function firstAllOfAnyOf(s: Schema): unknown {
  const first = Array.isArray(s.allOf) ? (s.allOf[0] as Schema | undefined) : undefined;
  return first?.anyOf;
}

/** anyOf/allOf/oneOf/not of a node: only value validations may appear inside them. */
function valueValidation(
  s: Schema,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
  path: string,
): CrdError[] {
  const out: CrdError[] = [];
  if (!skipAnyOf) junctor(s.anyOf, `${path}.anyOf`, (n, p) => out.push(...nested(n, false, p)));
  junctor(s.allOf, `${path}.allOf`, (n, p, i) => out.push(...nested(n, skipFirstAllOfAnyOf && i === 0, p)));
  junctor(s.oneOf, `${path}.oneOf`, (n, p) => out.push(...nested(n, false, p)));
  if (isPlainObject(s['not'])) out.push(...nested(s['not'] as Schema, false, `${path}.not`));
  if (typeof s.pattern === 'string') {
    try {
      new RegExp(s.pattern, 'u');
    } catch (e) {
      out.push(
        invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${String(e)}`),
      );
    }
  }
  return out;
}

function junctor(list: unknown, path: string, f: (n: Schema, p: string, i: number) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((n: unknown, i) => {
    if (isPlainObject(n)) f(n as Schema, `${path}[${i}]`, i);
  });
}

function nested(v: Schema, skipAnyOf: boolean, path: string): CrdError[] {
  const out = valueValidation(v, skipAnyOf, false, path);
  if (isPlainObject(v.items)) out.push(...nested(v.items as Schema, false, `${path}.items`));
  for (const [k, p] of Object.entries(v.properties ?? {})) {
    if (isPlainObject(p)) out.push(...nested(p as Schema, false, prop(path, k)));
  }
  const f = (key: string, detail: string): void => void out.push(forbidden(`${path}.${key}`, detail));
  if (typeof v.type === 'string' && String(v.type) !== '') f('type', 'must be empty to be structural');
  if (v.additionalProperties !== undefined) f('additionalProperties', 'must be undefined to be structural');
  if (v.default !== undefined) f('default', 'must be undefined to be structural');
  if (typeof v['title'] === 'string' && v['title'] !== '') f('title', 'must be empty to be structural');
  if (typeof v.description === 'string' && v.description !== '')
    f('description', 'must be empty to be structural');
  if (v.nullable === true) f('nullable', 'must be false to be structural');
  if (v['x-kubernetes-preserve-unknown-fields'] === true) {
    f('x-kubernetes-preserve-unknown-fields', 'must be false to be structural');
  }
  if (v['x-kubernetes-embedded-resource'] === true)
    f('x-kubernetes-embedded-resource', 'must be false to be structural');
  if (v['x-kubernetes-int-or-string'] === true)
    f('x-kubernetes-int-or-string', 'must be false to be structural');
  if ((v['x-kubernetes-list-map-keys'] ?? []).length > 0)
    f('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (v['x-kubernetes-list-type'] !== undefined)
    f('x-kubernetes-list-type', 'must be undefined to be structural');
  if (v['x-kubernetes-map-type'] !== undefined)
    f('x-kubernetes-map-type', 'must be undefined to be structural');
  if ((v['x-kubernetes-validations'] ?? []).length > 0)
    f('x-kubernetes-validations', 'must be empty to be structural');
  if (v.properties && 'metadata' in v.properties) {
    out.push(forbidden(prop(path, 'metadata'), 'must not be specified in a nested context'));
  }
  return out;
}

// ---- completeness (apiserver/schema/complete.go) ----

function completeness(s: Schema, path: string): CrdError[] {
  const out: CrdError[] = [];
  const each = (v: Schema, vPath: string): void => void out.push(...nestedCompleteness(v, s, path, vPath));
  junctor(s.allOf, `${path}.allOf`, each);
  junctor(s.anyOf, `${path}.anyOf`, each);
  junctor(s.oneOf, `${path}.oneOf`, each);
  if (isPlainObject(s['not'])) each(s['not'] as Schema, `${path}.not`);
  return out;
}

function nestedCompleteness(v: Schema, s: Schema | undefined, sPath: string, vPath: string): CrdError[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const out: CrdError[] = [];
  const each = (n: Schema, p: string): void => void out.push(...nestedCompleteness(n, s, sPath, p));
  junctor(v.allOf, `${vPath}.allOf`, each);
  junctor(v.anyOf, `${vPath}.anyOf`, each);
  junctor(v.oneOf, `${vPath}.oneOf`, each);
  if (isPlainObject(v['not'])) each(v['not'] as Schema, `${vPath}.not`);
  if (isPlainObject(v.items)) {
    out.push(
      ...nestedCompleteness(
        v.items as Schema,
        s.items as Schema | undefined,
        `${sPath}.items`,
        `${vPath}.items`,
      ),
    );
  }
  for (const [k, p] of Object.entries(v.properties ?? {})) {
    const sp = s.properties?.[k] as Schema | undefined;
    if (!sp) out.push(required(prop(sPath, k), `because it is defined in ${prop(vPath, k)}`));
    else out.push(...nestedCompleteness(p as Schema, sp, prop(sPath, k), prop(vPath, k)));
  }
  return out;
}

// ---- defaults (apiserver/schema/defaulting/validation.go) ----

interface DefaultCtx {
  readonly root: boolean;
  readonly inMeta: boolean;
}

function checkDefaults(s: Schema, path: string, ctx: DefaultCtx): CrdError[] {
  const out: CrdError[] = [];
  if (s.default !== undefined && !ctx.inMeta) {
    const value = structuredClone(s.default);
    if (pruneUnknown(value, s, '').length > 0) {
      out.push(invalid(`${path}.default`, s.default, 'must not have unknown fields'));
    }
    for (const e of validateValue(s.default, s, `${path}.default`)) out.push(e);
  }
  if (isPlainObject(s.items))
    out.push(...checkDefaults(s.items as Schema, `${path}.items`, { root: false, inMeta: ctx.inMeta }));
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (!isPlainObject(p)) continue;
    const inMeta =
      ctx.inMeta || ((ctx.root || embedded) && (k === 'metadata' || k === 'apiVersion' || k === 'kind'));
    out.push(...checkDefaults(p as Schema, prop(path, k), { root: false, inMeta }));
  }
  return out;
}

// ---- OpenAPI keyword rules (apis/apiextensions/validation/validation.go) ----

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

interface RuleCtx {
  readonly root: boolean;
  readonly inMeta: boolean;
  readonly defaultsForbidden?: string;
}

function openApiRules(s: Schema, path: string, ctx: RuleCtx): CrdError[] {
  const out: CrdError[] = [];
  const type: string = typeof s.type === 'string' ? s.type : '';
  if (type !== '' && !OPENAPI_TYPES.includes(type)) {
    out.push(
      type === 'null'
        ? forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative')
        : unsupported(`${path}.type`, type, OPENAPI_TYPES),
    );
  }
  if (s.default !== undefined && ctx.defaultsForbidden !== undefined) {
    out.push(forbidden(`${path}.default`, `must not be set ${ctx.defaultsForbidden}`));
  }
  const keywordNotSupported: [string, string][] = [
    ['id', 'id is not supported'],
    ['additionalItems', 'additionalItems is not supported'],
    ['patternProperties', 'patternProperties is not supported'],
    ['definitions', 'definitions is not supported'],
    ['dependencies', 'dependencies is not supported'],
    ['$ref', '$ref is not supported'],
  ];
  for (const [key, detail] of keywordNotSupported)
    if (s[key] !== undefined) out.push(forbidden(`${path}.${key}`, detail));
  if (Array.isArray(s.items))
    out.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (ctx.inMeta && s['x-kubernetes-embedded-resource'] === true) {
    out.push(forbidden(`${path}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta'));
  }
  if (s['uniqueItems'] === true) {
    out.push(
      forbidden(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  }
  const ap = s.additionalProperties;
  if (ap !== undefined && Object.keys(s.properties ?? {}).length > 0 && ap !== true) {
    out.push(
      forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'),
    );
  }
  if (isPlainObject(ap)) {
    const sub = ctx.inMeta
      ? { ...ctx, root: false, defaultsForbidden: 'inside additionalProperties applying to object metadata' }
      : { ...ctx, root: false };
    out.push(...openApiRules(ap as Schema, `${path}.additionalProperties`, sub));
  }
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (!isPlainObject(p)) continue;
    let sub: RuleCtx = {
      root: false,
      inMeta: ctx.inMeta,
      ...(ctx.defaultsForbidden !== undefined ? { defaultsForbidden: ctx.defaultsForbidden } : {}),
    };
    if ((ctx.root || embedded) && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) {
      sub = { ...sub, inMeta: true, ...(ctx.root ? { defaultsForbidden: `in top-level ${k}` } : {}) };
    }
    out.push(...openApiRules(p as Schema, prop(path, k), sub));
  }
  const child = { ...ctx, root: false };
  if (isPlainObject(s['not'])) out.push(...openApiRules(s['not'] as Schema, `${path}.not`, child));
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    junctor(s[key], `${path}.${key}`, (n, p) => out.push(...openApiRules(n, p, child)));
  }
  if (isPlainObject(s.items)) out.push(...openApiRules(s.items as Schema, `${path}.items`, child));
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    out.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  }
  out.push(...listAndMapTypes(s, path, type));
  return out;
}

function listAndMapTypes(s: Schema, path: string, type: string): CrdError[] {
  const out: CrdError[] = [];
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    if (type !== 'object') {
      out.push(
        type === ''
          ? required(`${path}.type`, 'must be object if x-kubernetes-map-type is specified')
          : invalid(`${path}.type`, type, 'must be object if x-kubernetes-map-type is specified'),
      );
    }
    if (mapType !== 'atomic' && mapType !== 'granular') {
      out.push(unsupported(`${path}.x-kubernetes-map-type`, String(mapType), ['atomic', 'granular']));
    }
  }
  const listType = s['x-kubernetes-list-type'];
  const items = isPlainObject(s.items) ? (s.items as Schema) : undefined;
  if (listType !== undefined) {
    if (type !== 'array') {
      out.push(
        type === ''
          ? required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified')
          : invalid(`${path}.type`, type, 'must be array if x-kubernetes-list-type is specified'),
      );
    } else if (listType === 'set' && items) {
      if (items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
        out.push(
          invalid(
            `${path}.items.x-kubernetes-list-type`,
            items['x-kubernetes-list-type'],
            'must be atomic as item of a list with x-kubernetes-list-type=set',
          ),
        );
      }
      if (items['x-kubernetes-map-type'] !== undefined && items['x-kubernetes-map-type'] !== 'atomic') {
        out.push(
          invalid(
            `${path}.items.x-kubernetes-map-type`,
            items['x-kubernetes-list-type'] ?? null,
            'must be atomic as item of a list with x-kubernetes-list-type=set',
          ),
        );
      }
    }
    if (!['atomic', 'set', 'map'].includes(String(listType))) {
      out.push(unsupported(`${path}.x-kubernetes-list-type`, String(listType), ['atomic', 'set', 'map']));
    }
  }
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (keys.length > 0 && listType !== 'map') {
    out.push(
      listType === undefined
        ? required(`${path}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty')
        : invalid(
            `${path}.x-kubernetes-list-type`,
            listType,
            'must be map if x-kubernetes-list-map-keys is non-empty',
          ),
    );
  }
  if (listType === 'map') {
    if (keys.length === 0)
      out.push(
        required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'),
      );
    if (!items) out.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    else if (items.type !== 'object') {
      out.push(
        invalid(
          `${path}.items.type`,
          items.type ?? '',
          "must be object if parent array's x-kubernetes-list-type is map",
        ),
      );
    } else if (keys.some((k) => !items.properties?.[k])) {
      out.push(
        invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'entries must all be names of item properties'),
      );
    } else if (new Set(keys).size !== keys.length) {
      out.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'must not contain duplicate entries'));
    } else {
      for (const k of keys) {
        const p = items.properties?.[k];
        if (p && !(items.required ?? []).includes(k) && p.default === undefined) {
          out.push(
            required(
              `${path}.items.properties[${k}].default`,
              'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
            ),
          );
        }
      }
    }
  }
  return out;
}

// ---- printer columns ----

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'name', 'password'];

function checkColumn(c: unknown, path: string): CrdError[] {
  if (!isPlainObject(c)) return [];
  const out: CrdError[] = [];
  if (typeof c['name'] !== 'string' || c['name'] === '') out.push(required(`${path}.name`, ''));
  const type = c['type'];
  if (typeof type !== 'string' || type === '') {
    out.push(required(`${path}.type`, `must be one of ${COLUMN_TYPES.join(',')}`));
  } else if (!COLUMN_TYPES.includes(type)) {
    out.push(invalid(`${path}.type`, type, `must be one of ${COLUMN_TYPES.join(',')}`));
  }
  const format = c['format'];
  if (typeof format === 'string' && format !== '' && !COLUMN_FORMATS.includes(format)) {
    out.push(invalid(`${path}.format`, format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  }
  const jsonPath = c['jsonPath'];
  if (typeof jsonPath !== 'string' || jsonPath === '') out.push(required(`${path}.JSONPath`, ''));
  else if (!jsonPath.startsWith('.'))
    out.push(invalid(`${path}.jsonPath`, jsonPath, 'must be a simple json path starting with .'));
  return out;
}
