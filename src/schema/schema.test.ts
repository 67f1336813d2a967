import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BundledSchemaResolver, bundledDir, bundledFileName, loadDocuments } from './bundled-resolver.js';
import { ChainSchemaResolver } from './chain-resolver.js';
import { CrdSchemaResolver } from './crd-resolver.js';
import { documentFromServer, stripDocs } from './from-server.js';
import { RefInliner } from './inline-refs.js';
import { LruTtlCache } from '../lib/lru-cache.js';
import { StaticSchemaResolver } from './static-resolver.js';
import { parseApiVersion } from './types.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url));
const resolver = new StaticSchemaResolver(loadDocuments(fixtures));

describe('StaticSchemaResolver over fixtures', () => {
  it('resolves a Deployment with refs inlined and docs dropped', async () => {
    const r = await resolver.resolve({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.plural).toBe('deployments');
    expect(r.value.namespaced).toBe(true);
    const spec = r.value.schema.properties?.['spec'];
    expect(spec?.properties?.['replicas']).toEqual({ type: 'integer', format: 'int32' });
    const containers = spec?.properties?.['template']?.properties?.['spec']?.properties?.['containers'];
    expect(containers?.items?.properties?.['image']).toEqual({ type: 'string' });
    expect(r.value.schema.description).toBeUndefined();
    expect(JSON.stringify(r.value.schema)).not.toContain('$ref');
    expect(Object.isFrozen(r.value.schema)).toBe(true);
  });

  it('turns int-or-string formats into the marker', async () => {
    const r = await resolver.resolve({ group: '', version: 'v1', kind: 'Service' });
    if (!r.ok) throw new Error(r.error);
    const port = r.value.schema.properties?.['spec']?.properties?.['ports']?.items;
    expect(port?.properties?.['targetPort']).toEqual({
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    });
  });

  it('knows cluster-scoped kinds', async () => {
    const r = await resolver.resolve({ group: '', version: 'v1', kind: 'Namespace' });
    expect(r.ok && r.value.namespaced).toBe(false);
  });

  it('cuts recursive types', async () => {
    const r = await resolver.resolve({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
    });
    if (!r.ok) throw new Error(r.error);
    const props =
      r.value.schema.properties?.['spec']?.properties?.['versions']?.items?.properties?.['schema']
        ?.properties?.['openAPIV3Schema'];
    expect(props?.properties?.['properties']?.additionalProperties).toMatchObject({
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('reports unknown kinds and group-versions', async () => {
    const a = await resolver.resolve({ group: 'apps', version: 'v1', kind: 'Nope' });
    expect(a).toEqual({ ok: false, error: 'no matches for kind "Nope" in version "apps/v1"' });
    const b = await resolver.resolve({ group: 'example.com', version: 'v1', kind: 'Thing' });
    expect(b.ok).toBe(false);
  });
});

describe('RefInliner', () => {
  it('keeps sibling keywords of allOf refs and survives self recursion', () => {
    const inl = new RefInliner({
      A: { type: 'object', properties: { b: { allOf: [{ $ref: '#/components/schemas/B' }], default: {} } } },
      B: { type: 'object', properties: { self: { $ref: '#/components/schemas/B' } } },
    });
    const a = inl.component('A');
    expect(a?.properties?.['b']?.default).toEqual({});
    expect(a?.properties?.['b']?.properties?.['self']).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });
});

describe('CrdSchemaResolver and chaining', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'databases.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Database', plural: 'databases' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
            },
          },
        },
      ],
    },
  };

  it('resolves CRD kinds with apiVersion/kind/metadata added', async () => {
    const chain = new ChainSchemaResolver([new CrdSchemaResolver([crd]), resolver]);
    const r = await chain.resolve({ group: 'example.com', version: 'v1', kind: 'Database' });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.plural).toBe('databases');
    expect(r.value.schema.properties?.['metadata']?.properties?.['name']).toEqual({ type: 'string' });
    const d = await chain.resolve({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(d.ok).toBe(true);
    const missing = await chain.resolve({ group: 'example.com', version: 'v2', kind: 'Database' });
    expect(missing.ok).toBe(false);
  });

  it('rejects objects that are not CRDs', () => {
    expect(new CrdSchemaResolver().addCrd({ kind: 'ConfigMap' }).ok).toBe(false);
  });
});

describe('documentFromServer', () => {
  it('maps kinds through x-kubernetes-group-version-kind and discovery, skipping subresources', () => {
    const doc = documentFromServer(
      'apps/v1',
      {
        components: {
          schemas: {
            D: {
              type: 'object',
              description: 'doc',
              properties: { description: { type: 'string', description: 'x' } },
              'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
            },
          },
        },
      },
      {
        resources: [
          { name: 'deployments', kind: 'Deployment', namespaced: true },
          { name: 'deployments/scale', kind: 'Scale', namespaced: true },
        ],
      },
      { stripDocs: true },
    );
    expect(doc.resources).toEqual([
      { kind: 'Deployment', plural: 'deployments', namespaced: true, schema: 'D' },
    ]);
    expect(doc.schemas['D']).toEqual({
      type: 'object',
      properties: { description: { type: 'string' } },
      'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
    });
    expect(stripDocs(5)).toBe(5);
  });
});

describe('LruTtlCache', () => {
  it('evicts the least recently used entry and expires by TTL', () => {
    let now = 0;
    const c = new LruTtlCache<string, number>({ maxEntries: 2, ttlMs: 100, now: () => now });
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    now = 150;
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(1);
  });
});

describe('parseApiVersion', () => {
  it('splits group and version', () => {
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseApiVersion('a/b/c')).toBeUndefined();
    expect(parseApiVersion('')).toBeUndefined();
  });
});

describe('BundledSchemaResolver', () => {
  it('loads group-version files lazily from a directory', async () => {
    const r = new BundledSchemaResolver(fixtures);
    const ing = await r.resolve({ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' });
    expect(ing.ok && ing.value.plural).toBe('ingresses');
    const missing = await r.resolve({ group: 'batch', version: 'v1', kind: 'Job' });
    expect(missing).toEqual({ ok: false, error: 'no matches for kind "Job" in version "batch/v1"' });
  });

  it('names files after the group-version', () => {
    expect(bundledFileName('v1')).toBe('core_v1.json');
    expect(bundledFileName('apps/v1')).toBe('apps_v1.json');
    expect(bundledFileName('networking.k8s.io/v1')).toBe('networking.k8s.io_v1.json');
  });
});

describe('the committed bundle', () => {
  it('resolves every built-in kind it lists, refs inlined', async () => {
    const dir = bundledDir();
    expect(dir).toBeDefined();
    const r = new BundledSchemaResolver(dir);
    const docs = loadDocuments(dir ?? '');
    expect(docs.length).toBeGreaterThan(15);
    for (const d of docs) {
      const [group, version] = d.groupVersion.includes('/')
        ? d.groupVersion.split('/')
        : ['', d.groupVersion];
      for (const k of d.resources) {
        const out = await r.resolve({ group: group ?? '', version: version ?? '', kind: k.kind });
        if (!out.ok) throw new Error(`${d.groupVersion} ${k.kind}: ${out.error}`);
        expect(out.value.plural).toBe(k.plural);
      }
    }
    const ns = await r.resolve({ group: '', version: 'v1', kind: 'Namespace' });
    expect(ns.ok && ns.value.namespaced).toBe(false);
  });
});
