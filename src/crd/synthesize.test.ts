/* eslint-disable @typescript-eslint/no-explicit-any -- tests walk generated CRDs as untyped JSON */
// Golden CRDs for full RGDs (test/fixtures/simpleschema/golden/*.yaml) plus the rules of
// spec 02 §9. Regenerate the goldens with UPDATE_GOLDEN=1 after an intended change.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { OpenApiSchema } from '../api/openapi.js';
import type { ResourceGraphDefinition, RgdSchema } from '../api/rgd.js';
import type { JsonObject } from '../lib/json.js';
import { buildSpecSchema } from '../simpleschema/index.js';
import { crdNamesFor, synthesizeCrd } from './synthesize.js';

const GOLDEN = new URL('../../test/fixtures/simpleschema/golden/', import.meta.url);

function rgdOf(schema: RgdSchema): ResourceGraphDefinition {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: `${schema.kind.toLowerCase()}-rgd`, uid: '7d3c1f4e-0000-4000-8000-000000000001' },
    spec: { schema },
  };
}

function crdOf(schema: RgdSchema, statusSchema: OpenApiSchema = { type: 'object' }): JsonObject {
  const spec = buildSpecSchema({ spec: schema.spec, types: schema.types });
  if (!spec.ok) throw new Error(spec.error.map((i) => i.message).join('\n'));
  return synthesizeCrd({
    rgd: rgdOf(schema),
    specSchema: spec.value,
    statusSchema,
    kroVersion: '0.1.0+dirty',
  });
}

const goldenCases: Record<string, RgdSchema> = {
  'user-frontend': parse(readFileSync(new URL('user-frontend.rgd-schema.yaml', GOLDEN), 'utf8')) as RgdSchema,
  webapp: parse(readFileSync(new URL('webapp.rgd-schema.yaml', GOLDEN), 'utf8')) as RgdSchema,
  'every-marker': parse(readFileSync(new URL('every-marker.rgd-schema.yaml', GOLDEN), 'utf8')) as RgdSchema,
};

describe('golden instance CRDs', () => {
  for (const [name, schema] of Object.entries(goldenCases)) {
    it(name, () => {
      const status: OpenApiSchema =
        name === 'webapp'
          ? {
              type: 'object',
              properties: { availableReplicas: { type: 'integer' }, url: { type: 'string' } },
            }
          : { type: 'object' };
      const text = stringify(crdOf(schema, status), { lineWidth: 0 });
      const file = new URL(`${name}.crd.yaml`, GOLDEN);
      if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) writeFileSync(file, text);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
});

describe('synthesizeCrd rules (spec 02 §9)', () => {
  const base: RgdSchema = { apiVersion: 'v1alpha1', kind: 'Policy', spec: { a: 'string' } };

  it('is byte-for-byte deterministic, keys sorted at every level', () => {
    const a = JSON.stringify(crdOf(base));
    expect(JSON.stringify(crdOf({ ...base, spec: { a: 'string' } }))).toBe(a);
    const keys = Object.keys(crdOf(base));
    expect(keys).toEqual([...keys].sort());
  });

  it('names: plural per flect, listKind, singular, group default kro.run', () => {
    const crd = crdOf(base) as any;
    expect(crd.metadata.name).toBe('policies.kro.run');
    expect(crd.spec.names).toEqual({
      kind: 'Policy',
      listKind: 'PolicyList',
      plural: 'policies',
      singular: 'policy',
    });
    expect(crd.spec.scope).toBe('Namespaced');
    for (const [kind, plural] of [
      ['WebApp', 'webapps'],
      ['Database', 'databases'],
      ['Ingress', 'ingresses'],
      ['Proxy', 'proxies'],
      ['Status', 'statuses'],
      ['Gateway', 'gateways'],
      ['Redis', 'redis'],
      ['Person', 'people'],
      ['Index', 'indices'],
      ['Bus', 'buses'],
      ['Quiz', 'quizzes'],
    ] as const) {
      expect(crdNamesFor(kind).plural).toBe(plural);
    }
  });

  it('labels: user labels, then kro ownership labels winning; annotations omitted when empty', () => {
    const crd = crdOf({ ...base, metadata: { labels: { team: 'a', 'kro.run/owned': 'no' } } }) as any;
    expect(crd.metadata.labels).toEqual({
      team: 'a',
      'kro.run/owned': 'true',
      'kro.run/kro-version': '0.1.0-dirty',
      'kro.run/resource-graph-definition-id': '7d3c1f4e-0000-4000-8000-000000000001',
      'kro.run/resource-graph-definition-name': 'policy-rgd',
    });
    expect(crd.metadata.annotations).toBeUndefined();
    expect(crd.metadata.ownerReferences).toBeUndefined();
  });

  it('shortNames and categories only when given; custom printer columns replace the defaults', () => {
    const crd = crdOf({
      ...base,
      shortNames: ['pol'],
      categories: ['kro'],
      additionalPrinterColumns: [{ name: 'A', type: 'string', jsonPath: '.spec.a', priority: 0 }],
    }) as any;
    expect(crd.spec.names.shortNames).toEqual(['pol']);
    expect(crd.spec.names.categories).toEqual(['kro']);
    expect(crd.spec.versions[0].additionalPrinterColumns).toEqual([
      { jsonPath: '.spec.a', name: 'A', type: 'string' },
    ]);
    expect((crdOf(base) as any).spec.versions[0].additionalPrinterColumns.map((c: any) => c.name)).toEqual([
      'State',
      'Ready',
      'Age',
    ]);
  });

  it('status gets state, conditions, observedGeneration, managedResources unless declared', () => {
    const status = (
      crdOf(base, {
        type: 'object',
        properties: { state: { type: 'integer' }, url: { type: 'string' } },
      }) as any
    ).spec.versions[0].schema.openAPIV3Schema.properties.status;
    expect(Object.keys(status.properties)).toEqual([
      'conditions',
      'managedResources',
      'observedGeneration',
      'state',
      'url',
    ]);
    expect(status.properties.state).toEqual({ type: 'integer' });
    expect(status.properties.observedGeneration).toEqual({ format: 'int64', type: 'integer' });
    expect(status.properties.managedResources['x-kubernetes-list-type']).toBe('atomic');
  });

  it('one served, storage version with a status subresource and no root required', () => {
    const v = (crdOf(base) as any).spec.versions;
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({
      name: 'v1alpha1',
      served: true,
      storage: true,
      subresources: { status: {} },
    });
    expect(v[0].schema.openAPIV3Schema.required).toBeUndefined();
  });

  it('sorts required lists coming from the status schema without touching default values', () => {
    const crd = crdOf(base, {
      type: 'object',
      properties: { o: { type: 'object', required: ['b', 'a', 'b'], default: { required: ['z', 'y'] } } },
    }) as any;
    const o = crd.spec.versions[0].schema.openAPIV3Schema.properties.status.properties.o;
    expect(o.required).toEqual(['a', 'b']);
    expect(o.default).toEqual({ required: ['z', 'y'] });
  });
});
