import { describe, expect, it } from 'vitest';
import { formatApiVersion, formatGvk, gvkOf, parseApiVersion } from './gvk.js';

describe('gvk helpers', () => {
  it('parses and formats apiVersion', () => {
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(formatApiVersion({ group: '', version: 'v1' })).toBe('v1');
    expect(formatApiVersion({ group: 'kro.run', version: 'v1alpha1' })).toBe('kro.run/v1alpha1');
  });
  it('reads the gvk of an object', () => {
    expect(gvkOf({ apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(() => gvkOf({ kind: 'X' })).toThrow(/apiVersion/);
    expect(() => gvkOf({ apiVersion: 'v1' })).toThrow(/kind/);
  });
  it('formats like kubectl', () => {
    expect(formatGvk({ group: '', version: 'v1', kind: 'ConfigMap' })).toBe('ConfigMap.v1');
    expect(formatGvk({ group: 'apps', version: 'v1', kind: 'Deployment' })).toBe('Deployment.v1.apps');
  });
});
