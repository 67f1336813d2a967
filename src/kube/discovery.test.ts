import { describe, expect, it } from 'vitest';
import type { KubeClient, KubeRequest } from './client.js';
import { Discovery } from './discovery.js';
import { apiErrorFromResponse, NoKindMatchError } from './errors.js';

/** A KubeClient stand-in that answers discovery paths from a table and counts requests. */
function stubClient(lists: Record<string, unknown[] | undefined>): KubeClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    server: 'https://stub',
    origin: 'flag',
    close: () => undefined,
    stream: () => Promise.reject(new Error('not used')),
    exchange: () => Promise.reject(new Error('not used')),
    request: <T>(req: KubeRequest): Promise<T> => {
      calls.push(req.path);
      const resources = lists[req.path];
      if (!resources) {
        const body = JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' });
        return Promise.reject(apiErrorFromResponse({ status: 404, body }));
      }
      return Promise.resolve({ kind: 'APIResourceList', resources } as T);
    },
  };
}

const deployments = { name: 'deployments', namespaced: true, kind: 'Deployment', verbs: ['get', 'list'] };
const deploymentStatus = { name: 'deployments/status', namespaced: true, kind: 'Deployment', verbs: ['get'] };
const widgets = { name: 'widgets', namespaced: false, kind: 'Widget', verbs: ['get'] };

describe('Discovery', () => {
  it('maps a kind to its resource, scope, verbs and subresources, and caches per group-version', async () => {
    const client = stubClient({ '/apis/apps/v1': [deployments, deploymentStatus] });
    const d = new Discovery(client);
    const m = await d.resolve({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(m).toEqual({
      gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
      gvr: { group: 'apps', version: 'v1', resource: 'deployments' },
      namespaced: true,
      verbs: ['get', 'list'],
      subresources: ['status'],
    });
    await d.resolve({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(client.calls).toEqual(['/apis/apps/v1']);
  });

  it('refetches once when a kind is missing from a cached list (a new CRD)', async () => {
    const lists: Record<string, unknown[] | undefined> = { '/apis/x.test/v1': [] };
    const client = stubClient(lists);
    const d = new Discovery(client);
    expect(await d.tryResolve({ group: 'x.test', version: 'v1', kind: 'Widget' })).toBeUndefined();
    lists['/apis/x.test/v1'] = [widgets];
    const m = await d.resolve({ group: 'x.test', version: 'v1', kind: 'Widget' });
    expect(m.namespaced).toBe(false);
    // A fresh fetch that misses is believed; a cached list that misses is fetched again once.
    expect(client.calls).toEqual(['/apis/x.test/v1', '/apis/x.test/v1']);
  });

  it('treats an unserved group-version as NoKindMatch', async () => {
    const d = new Discovery(stubClient({}));
    await expect(d.resolve({ group: 'nope.test', version: 'v1', kind: 'X' })).rejects.toBeInstanceOf(
      NoKindMatchError,
    );
  });

  it('uses /api/v1 for the core group and honours TTL and invalidation', async () => {
    let now = 0;
    const client = stubClient({ '/api/v1': [{ name: 'configmaps', namespaced: true, kind: 'ConfigMap' }] });
    const d = new Discovery(client, { ttlMs: 1000, now: () => now });
    const cm = { group: '', version: 'v1', kind: 'ConfigMap' };
    await d.resolve(cm);
    now = 500;
    await d.resolve(cm);
    expect(client.calls).toEqual(['/api/v1']);
    now = 1500;
    await d.resolve(cm);
    expect(client.calls).toHaveLength(2);
    d.invalidateGroup('');
    await d.resolve(cm);
    d.invalidate();
    await d.resolve(cm);
    expect(client.calls).toHaveLength(4);
  });

  it('maps a resource back to its kind', async () => {
    const d = new Discovery(stubClient({ '/apis/apps/v1': [deployments, deploymentStatus] }));
    const m = await d.resolveResource({ group: 'apps', version: 'v1', resource: 'deployments' });
    expect(m?.gvk.kind).toBe('Deployment');
    expect(await d.resolveResource({ group: 'apps', version: 'v1', resource: 'nope' })).toBeUndefined();
  });
});
