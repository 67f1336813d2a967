import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphRevisionHash, kroSpecJson, snapshotSpec } from './revision-hash.js';

// Hashes printed by kro v0.9.4's own pkg/graph/hash.Spec for the specs in
// testdata/kro-hash-specs.json (a Go program that decodes each spec into kro's typed
// ResourceGraphDefinitionSpec and calls hash.Spec).
const KRO_HASHES = ['1fd3822372a35df8', 'b5391568faaddaf2', 'c31bb2c0a54bb250'];

const specs = JSON.parse(
  readFileSync(new URL('./testdata/kro-hash-specs.json', import.meta.url), 'utf8'),
) as Record<string, unknown>[];

describe('graphRevisionHash', () => {
  it('equals kro v0.9.4 hash.Spec on every recorded spec', () => {
    expect(specs.map(graphRevisionHash)).toEqual(KRO_HASHES);
  });

  it('writes struct fields in Go declaration order with raw objects always present', () => {
    expect(kroSpecJson({ schema: { kind: 'A', apiVersion: 'v1' } })).toBe(
      '{"schema":{"kind":"A","apiVersion":"v1","group":"kro.run","spec":null,"types":null,"status":null,"scope":"Namespaced"}}',
    );
  });

  it('ignores resource order, readyWhen/includeWhen order, defaults and empty lists', () => {
    const [, spec] = specs;
    const s = structuredClone(spec) as {
      resources: Record<string, unknown>[];
      schema: Record<string, unknown>;
    };
    s.resources.reverse();
    for (const r of s.resources) {
      if (Array.isArray(r['readyWhen'])) r['readyWhen'] = [...(r['readyWhen'] as string[])].reverse();
    }
    expect(graphRevisionHash(s)).toBe(KRO_HASHES[1]);
    expect(graphRevisionHash({ ...specs[2], resources: [] })).toBe(KRO_HASHES[2]);
    expect(
      graphRevisionHash({
        ...specs[2],
        schema: { apiVersion: 'v1', kind: 'Empty', group: 'kro.run', scope: 'Namespaced' },
      }),
    ).toBe(KRO_HASHES[2]);
  });

  it('changes with forEach order and with any template value', () => {
    const s = structuredClone(specs[1]) as {
      resources: { forEach?: unknown[]; template?: Record<string, unknown> }[];
    };
    const z = s.resources[0];
    z?.forEach?.reverse();
    expect(graphRevisionHash(s)).not.toBe(KRO_HASHES[1]);
    const t = structuredClone(specs[0]) as { resources: { template: Record<string, unknown> }[] };
    if (t.resources[0]) t.resources[0].template['data'] = { a: 'b' };
    expect(graphRevisionHash(t)).not.toBe(KRO_HASHES[0]);
  });
});

describe('snapshotSpec', () => {
  it('keeps order and values, drops empty optional fields and absent embedded objects', () => {
    const spec = {
      schema: {
        apiVersion: 'v1',
        kind: 'A',
        group: 'kro.run',
        scope: 'Namespaced',
        shortNames: [],
        extra: 1,
      },
      resources: [
        { id: 'b', template: { kind: 'ConfigMap', n: 1.5 }, readyWhen: ['${z}', '${a}'], includeWhen: [] },
        { id: 'a', externalRef: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } } },
      ],
    };
    expect(snapshotSpec(spec)).toEqual({
      schema: { kind: 'A', apiVersion: 'v1', group: 'kro.run', scope: 'Namespaced' },
      resources: [
        { id: 'b', template: { kind: 'ConfigMap', n: 1.5 }, readyWhen: ['${z}', '${a}'] },
        { id: 'a', externalRef: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } } },
      ],
    });
    // The snapshot hashes like the spec it was taken from.
    expect(graphRevisionHash(snapshotSpec(spec))).toBe(graphRevisionHash(spec));
  });
});
