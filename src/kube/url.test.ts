import { describe, expect, it } from 'vitest';
import { formatLabelSelector, groupVersionPath, queryString, resourcePath } from './url.js';

const cm = { group: '', version: 'v1', resource: 'configmaps' };
const deploy = { group: 'apps', version: 'v1', resource: 'deployments' };
const crd = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

describe('resourcePath', () => {
  it.each([
    [{ gvr: cm, namespaced: true }, '/api/v1/configmaps'],
    [{ gvr: cm, namespaced: true, namespace: 'ns' }, '/api/v1/namespaces/ns/configmaps'],
    [{ gvr: cm, namespaced: true, namespace: 'ns', name: 'a' }, '/api/v1/namespaces/ns/configmaps/a'],
    [
      { gvr: deploy, namespaced: true, namespace: 'ns', name: 'd', subresource: 'status' },
      '/apis/apps/v1/namespaces/ns/deployments/d/status',
    ],
    [
      { gvr: crd, namespaced: false, name: 'x.example.com' },
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.example.com',
    ],
    // Cluster-scoped kinds ignore a namespace.
    [
      { gvr: crd, namespaced: false, namespace: 'ns' },
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    ],
    [
      { gvr: cm, namespaced: true, namespace: 'n s', name: 'a/b' },
      '/api/v1/namespaces/n%20s/configmaps/a%2Fb',
    ],
  ])('%o → %s', (p, want) => {
    expect(resourcePath(p)).toBe(want);
  });

  it('refuses ambiguous addresses', () => {
    expect(() => resourcePath({ gvr: cm, namespaced: true, name: 'a' })).toThrow(/namespace is required/);
    expect(() => resourcePath({ gvr: cm, namespaced: true, namespace: 'ns', name: '' })).toThrow(/empty/);
    expect(() => resourcePath({ gvr: cm, namespaced: true, namespace: 'ns', subresource: 'status' })).toThrow(
      /name/,
    );
  });

  it('core group lives under /api', () => {
    expect(groupVersionPath({ group: '', version: 'v1' })).toBe('/api/v1');
    expect(groupVersionPath({ group: 'kro.run', version: 'v1alpha1' })).toBe('/apis/kro.run/v1alpha1');
  });
});

describe('queryString', () => {
  it('skips undefined and encodes', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: undefined })).toBe('');
    expect(queryString({ fieldManager: 'kro.run/applyset', force: true, limit: 500, x: undefined })).toBe(
      '?fieldManager=kro.run%2Fapplyset&force=true&limit=500',
    );
    expect(queryString({ labelSelector: 'a=b,c in (x,y)' })).toBe('?labelSelector=a%3Db%2Cc+in+%28x%2Cy%29');
  });
});

describe('formatLabelSelector', () => {
  it('renders every operator, sorted', () => {
    expect(
      formatLabelSelector({
        matchLabels: { z: '1', a: '2' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'tier', operator: 'NotIn', values: ['x'] },
          { key: 'has', operator: 'Exists' },
          { key: 'not', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('a=2,z=1,env in (dev,prod),tier notin (x),has,!not');
    expect(formatLabelSelector({})).toBe('');
  });
  it('rejects unknown operators', () => {
    expect(() => formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' }] })).toThrow(/Gt/);
  });
});
