/* eslint-disable @typescript-eslint/no-explicit-any -- tests walk generated CRDs as untyped JSON */
import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from '../api/openapi.js';
import type { ResourceGraphDefinition, RgdSchema } from '../api/rgd.js';
import type { JsonObject } from '../lib/json.js';
import { buildSpecSchema } from '../simpleschema/index.js';
import { diffCrds, summarize } from './diff.js';
import { makeChange } from './changes.js';
import { synthesizeCrd } from './synthesize.js';

function crd(spec: JsonObject, extra: Partial<RgdSchema> = {}): any {
  const s = buildSpecSchema({ spec });
  if (!s.ok) throw new Error('bad spec');
  const rgd: ResourceGraphDefinition = {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'r', uid: 'u' },
    spec: { schema: { apiVersion: 'v1alpha1', kind: 'Thing', ...extra } },
  };
  return synthesizeCrd({ rgd, specSchema: s.value, statusSchema: { type: 'object' } as OpenApiSchema });
}

describe('diffCrds', () => {
  it('summary lists three breaking changes, then "and <n> more changes"', () => {
    const d = diffCrds(crd({ a: 'string', b: 'string', c: 'string', d: 'string', e: 'string' }), crd({}));
    expect(d.summary).toBe(
      'Property a was removed; Property b was removed; Property c was removed; and 2 more changes',
    );
    expect(d.hasBreakingChanges).toBe(true);
    expect(d.needsUpdate).toBe(true);
  });

  it('no difference: no write, "no breaking changes"', () => {
    const d = diffCrds(crd({ a: 'string' }), crd({ a: 'string' }));
    expect(d).toEqual({
      breaking: [],
      nonBreaking: [],
      summary: 'no breaking changes',
      hasBreakingChanges: false,
      needsUpdate: false,
    });
  });

  it('writes for differences kro ignores, all non-breaking (spec 01 §7.1)', () => {
    const base = crd({ a: 'string' });
    const cases: [string, any][] = [
      ['validation marker', crd({ a: 'string | immutable=true' })],
      [
        'printer columns',
        crd(
          { a: 'string' },
          { additionalPrinterColumns: [{ name: 'A', type: 'string', jsonPath: '.spec.a' }] },
        ),
      ],
      ['CRD labels', crd({ a: 'string' }, { metadata: { labels: { team: 'x' } } })],
      ['CRD annotations', crd({ a: 'string' }, { metadata: { annotations: { note: 'x' } } })],
      ['shortNames', crd({ a: 'string' }, { shortNames: ['th'] })],
      ['enum added where none', crd({ a: 'string | enum=x' })],
    ];
    for (const [what, desired] of cases) {
      const d = diffCrds(base, desired);
      expect(d.needsUpdate, what).toBe(true);
      expect(d.breaking, what).toEqual([]);
      expect(d.nonBreaking.length, what).toBeGreaterThan(0);
    }
  });

  it('labels added on the server by others do not cause a write', () => {
    const existing = crd({ a: 'string' });
    existing.metadata.labels['someone.else/label'] = 'x';
    existing.status = { acceptedNames: {} };
    expect(diffCrds(existing, crd({ a: 'string' })).needsUpdate).toBe(false);
  });

  it('version rename, served=false and a removed status subresource are breaking', () => {
    const renamed = crd({ a: 'string' }, { apiVersion: 'v2' });
    expect(diffCrds(crd({ a: 'string' }), renamed).summary).toBe('Type changed from v1alpha1 to v2');
    const unserved = crd({ a: 'string' });
    unserved.spec.versions[0].served = false;
    delete unserved.spec.versions[0].subresources;
    expect(diffCrds(crd({ a: 'string' }), unserved).breaking.map((c) => c.description)).toEqual([
      'Type changed from true to false',
      'Property status was removed',
    ]);
  });

  it('a hand-added property is a PROPERTY_REMOVED when reverting (spec 01 §7.3)', () => {
    const edited = crd({ a: 'string' });
    edited.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.extra = { type: 'string' };
    expect(diffCrds(edited, crd({ a: 'string' })).summary).toBe('Property extra was removed');
  });

  it("reports kro's error when a CRD does not have exactly one version", () => {
    const two = crd({ a: 'string' });
    two.spec.versions.push({ ...two.spec.versions[0], name: 'v2' });
    const d = diffCrds(two, crd({ a: 'string' }));
    expect(d.error).toBe('expected exactly one version in each CRD, got 2 old and 1 new versions');
    expect(d.needsUpdate).toBe(true);
  });

  it('formats constraints like Go and status fields count too', () => {
    const d = diffCrds(crd({ a: 'float | maximum=1e21' }), crd({ a: 'float | maximum=0.0000001' }));
    expect(d.summary).toBe('Maximum was decreased from 1000000000000000000000 to 0.0000001');
    expect(summarize([makeChange('.x', 'PROPERTY_ADDED', 'required=false', 'required=true')])).toBe(
      'Required property x was added',
    );
  });
});

describe('diffCrds adopting the CRD kro generated for the same RGD', () => {
  // What kro v0.9.4 writes for `status: {startedAt: ${job.status.startTime}, delay: ${duration(...)}}`:
  // kro's own spellings (a timestamp with a description, a duration as preserve-unknown), its
  // `state`/`conditions`, and none of kro-ts's fields.
  const kroStatus: OpenApiSchema = {
    type: 'object',
    properties: {
      startedAt: {
        type: 'string',
        format: 'date-time',
        description: 'Timestamp representing a creation time',
      },
      delay: {
        description: 'unknown CEL type: google.protobuf.Duration',
        'x-kubernetes-preserve-unknown-fields': true,
      },
      conditions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' } } } },
    },
  };
  const kroCrd = (): any => {
    const c = crd({ a: 'string' });
    c.spec.versions[0].schema.openAPIV3Schema.properties.status = kroStatus;
    return c;
  };
  const ours = (): any => {
    const c = crd({ a: 'string' });
    const status = c.spec.versions[0].schema.openAPIV3Schema.properties.status;
    status.properties.startedAt = { type: 'string', format: 'date-time' };
    status.properties.delay = { type: 'string' };
    return c;
  };

  it('treats status differences as non-breaking and still updates', () => {
    const d = diffCrds(kroCrd(), ours());
    expect(d.hasBreakingChanges).toBe(false);
    expect(d.needsUpdate).toBe(true);
    expect(d.nonBreaking.map((c) => c.description)).toContain('Type changed from  to string');
  });

  it('keeps spec changes breaking', () => {
    const desired = ours();
    delete desired.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.a;
    const d = diffCrds(kroCrd(), desired);
    expect(d.hasBreakingChanges).toBe(true);
    expect(d.summary).toBe('Property a was removed');
  });

  it("keeps kro's classification once kro-ts has written the CRD", () => {
    const before = ours();
    const after = ours();
    after.spec.versions[0].schema.openAPIV3Schema.properties.status.properties.delay = { type: 'integer' };
    const d = diffCrds(before, after);
    expect(d.hasBreakingChanges).toBe(true);
    expect(d.summary).toBe('Type changed from string to integer');
  });
});
