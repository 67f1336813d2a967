// Discovery on the real API server: plural and scope of built-in kinds, misses, server version.

import { describe, expect, it } from 'vitest';
import { getServerVersion, NoKindMatchError } from '../../../src/kube/index.js';
import { getKube } from '../../harness/index.js';

describe('discovery', () => {
  it.each([
    [{ group: '', version: 'v1', kind: 'ConfigMap' }, 'configmaps', true],
    [{ group: '', version: 'v1', kind: 'Namespace' }, 'namespaces', false],
    [{ group: 'apps', version: 'v1', kind: 'Deployment' }, 'deployments', true],
    [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' }, 'clusterroles', false],
    [
      { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
      'customresourcedefinitions',
      false,
    ],
  ])('%o → %s (namespaced %s)', async (gvk, plural, namespaced) => {
    const { discovery } = await getKube();
    const m = await discovery.resolve(gvk);
    expect(m.gvr).toEqual({ group: gvk.group, version: gvk.version, resource: plural });
    expect(m.namespaced).toBe(namespaced);
    expect(m.verbs).toContain('get');
  });

  it('lists subresources and maps a resource back to its kind', async () => {
    const { discovery } = await getKube();
    const m = await discovery.resolve({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(m.subresources).toEqual(expect.arrayContaining(['status', 'scale']));
    const back = await discovery.resolveResource({ group: 'apps', version: 'v1', resource: 'deployments' });
    expect(back?.gvk.kind).toBe('Deployment');
  });

  it('reports unknown kinds and unknown group-versions as NoKindMatch', async () => {
    const { discovery } = await getKube();
    await expect(discovery.resolve({ group: 'apps', version: 'v1', kind: 'Nope' })).rejects.toBeInstanceOf(
      NoKindMatchError,
    );
    const e = await discovery
      .resolve({ group: 'nope.kro-ts.test', version: 'v9', kind: 'Nope' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NoKindMatchError);
    expect((e as Error).message).toBe('no matches for kind "Nope" in version "nope.kro-ts.test/v9"');
    expect(await discovery.tryResolve({ group: 'apps', version: 'v1', kind: 'Nope' })).toBeUndefined();
  });

  it('reads the server version', async () => {
    const { client } = await getKube();
    const v = await getServerVersion(client);
    expect(v.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(v.major).toBe('1');
  });
});
