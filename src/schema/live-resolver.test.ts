import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDocuments } from './bundled-resolver.js';
import type { GroupVersionDocument } from './document.js';
import { LiveSchemaResolver } from './live-resolver.js';

const docs = loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url)));

/** An in-memory API server answering /openapi/v3 and discovery from group-version documents. */
function fakeServer(initial: GroupVersionDocument[]) {
  const served = new Map(initial.map((d) => [d.groupVersion, d]));
  const calls: string[] = [];
  const pathOf = (gv: string) => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`);
  const getJson = (path: string): Promise<unknown> => {
    calls.push(path);
    if (path === '/openapi/v3') {
      const paths = Object.fromEntries(
        [...served.keys()].map((gv) => [
          pathOf(gv),
          { serverRelativeURL: `/openapi/v3/${pathOf(gv)}?hash=1` },
        ]),
      );
      return Promise.resolve({ paths });
    }
    for (const [gv, d] of served) {
      if (path === `/openapi/v3/${pathOf(gv)}?hash=1`)
        return Promise.resolve({ components: { schemas: d.schemas } });
      if (path === `/${pathOf(gv)}`) {
        return Promise.resolve({
          resources: d.resources.map((r) => ({ name: r.plural, kind: r.kind, namespaced: r.namespaced })),
        });
      }
    }
    return Promise.reject(new Error(`404 ${path}`));
  };
  return { served, calls, client: { getJson } };
}

describe('LiveSchemaResolver', () => {
  const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };

  it('resolves from /openapi/v3 and discovery, then serves from cache', async () => {
    const s = fakeServer(docs);
    const r = new LiveSchemaResolver({ client: s.client });
    const a = await r.resolve(deployment);
    if (!a.ok) throw new Error(a.error);
    expect(a.value.plural).toBe('deployments');
    expect(a.value.namespaced).toBe(true);
    expect(a.value.schema.properties?.['spec']?.properties?.['replicas']?.type).toBe('integer');
    expect(s.calls).toEqual(['/openapi/v3', '/openapi/v3/apis/apps/v1?hash=1', '/apis/apps/v1']);
    const b = await r.resolve(deployment);
    expect(b.ok && b.value).toBe(a.value);
    expect(s.calls).toHaveLength(3);
  });

  it('refreshes once when a kind is missing, finding a newly installed group', async () => {
    const s = fakeServer(docs.filter((d) => d.groupVersion !== 'apps/v1'));
    const r = new LiveSchemaResolver({ client: s.client });
    const missing = await r.resolve(deployment);
    expect(missing).toEqual({ ok: false, error: 'no matches for kind "Deployment" in version "apps/v1"' });
    expect(s.calls.filter((c) => c === '/openapi/v3')).toHaveLength(2);
    const apps = docs.find((d) => d.groupVersion === 'apps/v1');
    if (apps) s.served.set('apps/v1', apps);
    expect((await r.resolve(deployment)).ok).toBe(true);
  });

  it('expires entries after the TTL and on invalidate()', async () => {
    let now = 0;
    const s = fakeServer(docs);
    const r = new LiveSchemaResolver({ client: s.client, ttlMs: 1000, now: () => now });
    await r.resolve(deployment);
    const n = s.calls.length;
    now = 500;
    await r.resolve(deployment);
    expect(s.calls.length).toBe(n);
    now = 2000;
    await r.resolve(deployment);
    expect(s.calls.length).toBe(2 * n);
    r.invalidate('apps/v1');
    await r.resolve(deployment);
    expect(s.calls.length).toBe(3 * n);
  });

  it('uses an injected REST mapper instead of discovery', async () => {
    const s = fakeServer(docs);
    const r = new LiveSchemaResolver({
      client: s.client,
      restMapper: (gvk) => Promise.resolve({ plural: `${gvk.kind.toLowerCase()}s`, namespaced: false }),
    });
    const a = await r.resolve(deployment);
    expect(a.ok && [a.value.plural, a.value.namespaced]).toEqual(['deployments', false]);
    expect(s.calls).not.toContain('/apis/apps/v1');
  });

  it('reports fetch failures without caching them', async () => {
    let fail = true;
    const s = fakeServer(docs);
    const r = new LiveSchemaResolver({
      client: {
        getJson: (p) => (fail ? Promise.reject(new Error('connection refused')) : s.client.getJson(p)),
      },
    });
    const a = await r.resolve(deployment);
    expect(a).toEqual({ ok: false, error: 'failed to fetch schema of apps/v1: connection refused' });
    fail = false;
    expect((await r.resolve(deployment)).ok).toBe(true);
  });
});
