// Applies parsed markers to a field's schema (spec 02 §5), left to right, with kro's messages.
// Unlike kro, which stops at the first failing marker, every failing marker is reported.

import { RE2JS } from 're2js';
import type { OpenApiSchema } from '../api/openapi.js';
import type { JsonValue } from '../lib/json.js';
import { errorMessage } from '../lib/errors.js';
import { parseGoBool, parseGoFloat, parseGoInt } from '../lib/go-strconv.js';
import type { Marker } from './marker-lexer.js';
import { parseDefault } from './defaults.js';

export interface MarkerTarget {
  /** The field's schema, changed in place. */
  readonly schema: OpenApiSchema;
  /** Field name, added to `required` when `required=true`. */
  readonly name: string;
  /** The parent's required list, appended to in place. */
  readonly parentRequired: string[];
}

/** Applies all markers; returns the leaf messages of those that failed (empty when all applied). */
export function applyMarkers(target: MarkerTarget, markers: readonly Marker[]): string[] {
  const errors: string[] = [];
  for (const marker of markers) {
    const e = applyMarker(target, marker);
    if (e !== undefined) errors.push(e);
  }
  if (errors.length === 0) {
    const e = checkListMapKeys(target.schema);
    if (e !== undefined) errors.push(e);
  }
  return errors;
}

function checkListMapKeys(schema: OpenApiSchema): string | undefined {
  if ((schema['x-kubernetes-list-map-keys'] ?? []).length === 0) return undefined;
  const listType = schema['x-kubernetes-list-type'];
  if (listType === undefined) return 'listMapKey set while listType is unset, listType must be set to map';
  if (listType !== 'map') {
    return `listMapKey set while listType is set to ${listType}, listType must be set to map`;
  }
  return undefined;
}

type Apply = (target: MarkerTarget, value: string) => string | undefined;

const APPLY: Record<Marker['key'], Apply> = {
  required: ({ name, parentRequired }, value) => {
    const b = parseGoBool(value);
    if (!b.ok) return `failed to parse required marker value: ${b.error}`;
    if (b.value) parentRequired.push(name);
    return undefined;
  },
  default: ({ schema }, value) => {
    const d = parseDefault(schema, value);
    if (!d.ok) return d.error;
    schema.default = d.value;
    return undefined;
  },
  description: ({ schema }, value) => {
    schema.description = value;
    return undefined;
  },
  minimum: ({ schema }, value) => {
    const f = parseBound(value, 'minimum');
    if (typeof f === 'string') return f;
    schema.minimum = f.value;
    return undefined;
  },
  maximum: ({ schema }, value) => {
    const f = parseBound(value, 'maximum');
    if (typeof f === 'string') return f;
    schema.maximum = f.value;
    return undefined;
  },
  validation: ({ schema }, value) => {
    if (value.trim() === '') return 'validation failed';
    schema['x-kubernetes-validations'] = [
      ...(schema['x-kubernetes-validations'] ?? []),
      { rule: value, message: 'validation failed' },
    ];
    return undefined;
  },
  immutable: ({ schema }, value) => {
    const b = parseGoBool(value);
    if (!b.ok) return `failed to parse immutable marker value: ${b.error}`;
    if (b.value) {
      schema['x-kubernetes-validations'] = [
        ...(schema['x-kubernetes-validations'] ?? []),
        { rule: 'self == oldSelf', message: 'field is immutable' },
      ];
    }
    return undefined;
  },
  enum: ({ schema }, value) => applyEnum(schema, value),
  minLength: ({ schema }, value) => applyCount(schema, value, 'minLength', 'string'),
  maxLength: ({ schema }, value) => applyCount(schema, value, 'maxLength', 'string'),
  minItems: ({ schema }, value) => applyCount(schema, value, 'minItems', 'array'),
  maxItems: ({ schema }, value) => applyCount(schema, value, 'maxItems', 'array'),
  pattern: ({ schema }, value) => {
    if (value === '') return 'pattern marker value cannot be empty';
    if (schema.type !== 'string') {
      return `pattern marker is only valid for string types, got type: ${schema.type ?? ''}`;
    }
    try {
      // The API server validates `pattern` with Go's RE2 dialect; re2js speaks the same one.
      RE2JS.compile(value);
    } catch (e) {
      return `invalid pattern regex: ${errorMessage(e)}`;
    }
    schema.pattern = value;
    return undefined;
  },
  uniqueItems: ({ schema }, value) => {
    const b = parseGoBool(value);
    if (!b.ok) return `failed to parse uniqueItems marker value: ${b.error}`;
    if (schema.type !== 'array') {
      return `uniqueItems marker is only valid for array types, got type: ${schema.type ?? ''}`;
    }
    if (b.value) {
      const current = schema['x-kubernetes-list-type'];
      if (current !== undefined && current !== 'set')
        return `cannot set unique when listType is set to ${current}`;
      // Kubernetes forbids `uniqueItems: true` in CRDs; a set list is its equivalent.
      schema['x-kubernetes-list-type'] = 'set';
    }
    return undefined;
  },
  listType: ({ schema }, value) => {
    if (schema.type !== 'array') return 'listType marker only applies to array types';
    if (value !== 'atomic' && value !== 'set' && value !== 'map') {
      return `unsupported value for listType ${value}, needs to be one of atomic, set, or map`;
    }
    const current = schema['x-kubernetes-list-type'];
    if (current !== undefined && current !== value) {
      return (
        `listType attempting to overwrite set type of ${current}, ` +
        'this can happen if you set contradictory markers like unique=true | listType=map'
      );
    }
    schema['x-kubernetes-list-type'] = value;
    return undefined;
  },
  listMapKey: ({ schema }, value) => {
    if (schema.type !== 'array') return 'listMapKey marker only applies to array types';
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    if (keys.includes(value)) return `duplicate listMapKey marker, value ${value}`;
    schema['x-kubernetes-list-map-keys'] = [...keys, value];
    return undefined;
  },
};

function applyMarker(target: MarkerTarget, marker: Marker): string | undefined {
  return APPLY[marker.key](target, marker.value);
}

function parseBound(value: string, which: 'minimum' | 'maximum'): { value: number } | string {
  const f = parseGoFloat(value);
  // kro's wording ("enum value") is kept on purpose: users match on it.
  if (!f.ok) return `failed to parse ${which} enum value: ${f.error}`;
  // Go accepts inf/nan here and then fails to serialise the CRD; refuse them up front.
  if (!Number.isFinite(f.value))
    return `failed to parse ${which} enum value: must be a finite number, got: ${value}`;
  return { value: f.value };
}

function applyCount(
  schema: OpenApiSchema,
  value: string,
  which: 'minLength' | 'maxLength' | 'minItems' | 'maxItems',
  wantType: 'string' | 'array',
): string | undefined {
  if (schema.type !== wantType) {
    return `${which} marker is only valid for ${wantType} types, got type: ${schema.type ?? ''}`;
  }
  const n = parseGoInt(value);
  if (!n.ok) return `failed to parse ${which} value: ${n.error}`;
  schema[which] = Number(n.value);
  return undefined;
}

function applyEnum(schema: OpenApiSchema, value: string): string | undefined {
  const values: JsonValue[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (item === '') return 'empty enum values are not allowed';
    if (schema.type === 'string') {
      values.push(item);
    } else if (schema.type === 'integer') {
      const n = parseGoInt(item);
      if (!n.ok) return `failed to parse integer enum value: ${n.error}`;
      values.push(Number(n.value));
    } else {
      return `enum values only supported for string and integer types, got type: ${schema.type ?? ''}`;
    }
  }
  schema.enum = values;
  return undefined;
}
