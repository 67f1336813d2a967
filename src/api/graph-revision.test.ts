/* eslint-disable @typescript-eslint/no-explicit-any -- tests walk generated CRDs as untyped JSON */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GR_CRD_FILE, graphRevisionCrd, renderGraphRevisionCrdYaml } from './graph-revision.js';
import { rgdCrd } from './rgd-crd.js';

const committed = (): string => readFileSync(new URL(`../../${GR_CRD_FILE}`, import.meta.url), 'utf8');

describe('GraphRevision CRD', () => {
  it('crds/ is generated from src/api/graph-revision.ts (run `npx tsx hack/gen-crds.ts` when this fails)', () => {
    expect(committed()).toBe(renderGraphRevisionCrdYaml());
  });

  it('has kro v0.9.4 names, scope, printer columns, selectable field and immutability rule', () => {
    const crd = parse(committed()) as Record<string, any>;
    expect(crd['metadata']['name']).toBe('graphrevisions.internal.kro.run');
    expect(crd['spec']['group']).toBe('internal.kro.run');
    expect(crd['spec']['scope']).toBe('Cluster');
    expect(crd['spec']['names']).toEqual({
      kind: 'GraphRevision',
      listKind: 'GraphRevisionList',
      plural: 'graphrevisions',
      shortNames: ['gr'],
      singular: 'graphrevision',
    });
    const v = crd['spec']['versions'][0];
    expect(v.name).toBe('v1alpha1');
    expect(v.selectableFields).toEqual([{ jsonPath: '.spec.snapshot.name' }]);
    expect(v.subresources).toEqual({ status: {} });
    expect(v.additionalPrinterColumns.map((c: any) => [c.name, c.jsonPath, c.priority ?? 0])).toEqual([
      ['RGD', '.spec.snapshot.name', 1],
      ['REVISION', '.spec.revision', 0],
      ['HASH', '.metadata.labels.kro\\.run/graph-revision-hash', 1],
      ['READY', '.status.conditions[?(@.type=="Ready")].status', 0],
      ['AGE', '.metadata.creationTimestamp', 0],
    ]);
    const spec = v.schema.openAPIV3Schema.properties.spec;
    expect(spec['x-kubernetes-validations']).toEqual([
      { message: 'spec is immutable', rule: 'self == oldSelf' },
    ]);
    expect(spec.required).toEqual(['revision', 'snapshot']);
    expect(spec.properties.revision).toMatchObject({ type: 'integer', format: 'int64', minimum: 1 });
    expect(spec.properties.snapshot.required).toEqual(['generation', 'name', 'spec']);
    expect(Object.keys(v.schema.openAPIV3Schema.properties.status.properties)).toEqual([
      'conditions',
      'resources',
      'topologicalOrder',
    ]);
  });

  it('snapshots the RGD spec with the RGD CRD’s own schema', () => {
    const gr = graphRevisionCrd() as any;
    const rgd = rgdCrd() as any;
    const snap =
      gr.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.snapshot.properties.spec;
    const { description: _a, ...snapRest } = snap;
    const { description: _b, ...rgdRest } = rgd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(snapRest).toEqual(rgdRest);
  });
});
