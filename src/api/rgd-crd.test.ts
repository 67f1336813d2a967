/* eslint-disable @typescript-eslint/no-explicit-any -- tests walk generated CRDs as untyped JSON */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RGD_CRD_FILE, renderRgdCrdYaml, rgdCrd } from './rgd-crd.js';

const committed = (): string => readFileSync(new URL(`../../${RGD_CRD_FILE}`, import.meta.url), 'utf8');

type Schema = Record<string, any>;

describe('RGD CRD', () => {
  it('crds/ is generated from src/api/rgd-crd.ts (run `npx tsx hack/gen-crds.ts` when this fails)', () => {
    expect(committed()).toBe(renderRgdCrdYaml());
  });

  it('keeps kro v0.9.4 names, scope and validation rules', () => {
    const crd = parse(committed()) as Schema;
    expect(crd['metadata']['name']).toBe('resourcegraphdefinitions.kro.run');
    expect(crd['spec']['names']).toEqual({
      kind: 'ResourceGraphDefinition',
      listKind: 'ResourceGraphDefinitionList',
      plural: 'resourcegraphdefinitions',
      shortNames: ['rgd'],
      singular: 'resourcegraphdefinition',
    });
    expect(crd['spec']['scope']).toBe('Cluster');
    const v = crd['spec']['versions'][0];
    expect(v.subresources).toEqual({ status: {} });
    const spec = v.schema.openAPIV3Schema.properties.spec;
    const s = spec.properties.schema.properties;
    expect(s.apiVersion.pattern).toBe('^v[0-9]+(alpha[0-9]+|beta[0-9]+)?$');
    expect(s.kind.pattern).toBe('^[A-Z][a-zA-Z0-9]{0,62}$');
    expect(s.group.default).toBe('kro.run');
    expect(s.scope).toMatchObject({ default: 'Namespaced', enum: ['Namespaced', 'Cluster'] });
    for (const [field, message] of [
      ['apiVersion', 'apiVersion is immutable'],
      ['kind', 'kind is immutable'],
      ['group', 'group is immutable'],
      ['scope', 'scope is immutable'],
    ] as const) {
      expect(s[field]['x-kubernetes-validations']).toEqual([{ message, rule: 'self == oldSelf' }]);
    }
    for (const list of [s.shortNames, s.categories]) {
      expect(list).toMatchObject({ maxItems: 32, 'x-kubernetes-list-type': 'set' });
      expect(list.items).toEqual({ maxLength: 63, pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', type: 'string' });
    }
    const resource = spec.properties.resources.items;
    expect(resource['x-kubernetes-validations'][0].message).toBe(
      'exactly one of template or externalRef must be provided',
    );
    // v0.9.4: the selector is schemaless (a LabelSelector or a CEL expression) and "exactly one of
    // name or selector" moved from a CRD rule to the build (spec 01 §5).
    const refMeta = resource.properties.externalRef.properties.metadata;
    expect(refMeta['x-kubernetes-validations']).toBeUndefined();
    expect(refMeta.properties.selector).toMatchObject({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(Object.keys(refMeta.properties.selector).sort()).toEqual([
      'description',
      'x-kubernetes-preserve-unknown-fields',
    ]);
    expect(resource.properties.forEach.items).toMatchObject({ minProperties: 1, maxProperties: 1 });
    expect(v.additionalPrinterColumns.map((c: Schema) => [c['name'], c['priority'] ?? 0])).toEqual([
      ['APIVERSION', 0],
      ['KIND', 0],
      ['STATE', 0],
      ['READY', 0],
      ['TOPOLOGICALORDER', 1],
      ['AGE', 0],
    ]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(rgdCrd())).toBe(JSON.stringify(rgdCrd()));
  });
});
