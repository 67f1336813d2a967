import { describe, expect, it } from 'vitest';
import type { ResourceGraphDefinition } from '../../api/rgd.js';
import { fnv64a, specHash } from './spec-hash.js';

const rgd = (spec: unknown): Pick<ResourceGraphDefinition, 'spec'> =>
  ({ spec }) as Pick<ResourceGraphDefinition, 'spec'>;

describe('fnv64a', () => {
  it('matches the reference vectors', () => {
    expect(fnv64a('')).toBe('cbf29ce484222325');
    expect(fnv64a('a')).toBe('af63dc4c8601ec8c');
    expect(fnv64a('foobar')).toBe('85944171f73967e8');
  });
});

describe('specHash', () => {
  const base = {
    schema: { apiVersion: 'v1alpha1', kind: 'App', spec: { name: 'string' } },
    resources: [
      { id: 'b', template: { kind: 'ConfigMap', apiVersion: 'v1' }, readyWhen: ['${x}', '${a}'] },
      { id: 'a', template: { apiVersion: 'v1', kind: 'Secret' } },
    ],
  };

  it('ignores key order, defaults, absent lists, readyWhen order and resource order', () => {
    const same = {
      resources: [
        { template: { apiVersion: 'v1', kind: 'Secret' }, id: 'a', includeWhen: [] },
        { id: 'b', readyWhen: ['${a}', '${x}'], template: { apiVersion: 'v1', kind: 'ConfigMap' } },
      ],
      schema: {
        kind: 'App',
        apiVersion: 'v1alpha1',
        group: 'kro.run',
        scope: 'Namespaced',
        shortNames: [],
        spec: { name: 'string' },
      },
    };
    expect(specHash(rgd(same))).toBe(specHash(rgd(base)));
  });

  it('changes with meaning and keeps forEach order significant', () => {
    const changed = { ...base, schema: { ...base.schema, spec: { name: 'integer' } } };
    expect(specHash(rgd(changed))).not.toBe(specHash(rgd(base)));
    const fe = (order: string[]) =>
      rgd({ ...base, resources: [{ id: 'c', template: {}, forEach: order.map((k) => ({ [k]: '${l}' })) }] });
    expect(specHash(fe(['x', 'y']))).not.toBe(specHash(fe(['y', 'x'])));
  });
});
