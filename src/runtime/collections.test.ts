import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResourceGraphDefinition } from '../api/rgd.js';
import { buildGraph } from '../graph/build-graph.js';
import type { CompiledGraph } from '../graph/types.js';
import { loadDocuments } from '../schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../schema/static-resolver.js';
import { collectionOutcome, InstanceContext, managedResources, planNode } from './index.js';
import type { NodeState } from '../api/constants.js';
import type { InstanceObject, ItemReport, ItemResult, NodeReport, RuntimeObject } from './index.js';

const resolver = new StaticSchemaResolver(
  loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url))),
);
const OPTIONS = {
  timeoutMs: 0,
  maxCollectionSize: 100,
  ownerReferences: 'auto',
  kroVersion: '0.1.0',
} as const;

function rgd(resources: unknown[]): ResourceGraphDefinition {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'x' },
    spec: {
      schema: { apiVersion: 'v1alpha1', kind: 'Thing', spec: { xs: '[]string', ys: '[]string' } },
      resources,
    },
  } as unknown as ResourceGraphDefinition;
}

const cm = (name: string, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

async function compile(resources: unknown[]): Promise<CompiledGraph> {
  const r = await buildGraph(rgd(resources), { resolver });
  if (!r.ok) throw new Error(r.error.map((i) => i.message).join('\n'));
  return r.value;
}

function context(g: CompiledGraph, spec: Record<string, unknown>): InstanceContext {
  const instance = {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'Thing',
    metadata: { name: 'inst', namespace: 'ns1', uid: 'uid-1' },
    spec,
  } as InstanceObject;
  return new InstanceContext(g, instance, OPTIONS);
}

const observed = (name: string, data: Record<string, string> = {}): ItemResult => ({
  kind: 'observed',
  object: { ...cm(name, 'ns1'), data } as RuntimeObject,
});

describe('forEach identity', () => {
  it('rejects at build time an iterator that does not shape metadata.name or namespace', async () => {
    const r = await buildGraph(
      rgd([
        {
          id: 'cms',
          forEach: [{ x: '${schema.spec.xs}' }, { y: '${schema.spec.ys}' }],
          template: cm('${x}'),
        },
      ]),
      { resolver },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((i) => i.message)).toContain(
      'node "cms": all forEach dimensions must be used to produce a unique resource identity, missing: [y]',
    );
  });

  it('accepts iterators split between name and namespace, and places items per namespace', async () => {
    const g = await compile([
      {
        id: 'cms',
        forEach: [{ x: '${schema.spec.xs}' }, { y: '${schema.spec.ys}' }],
        template: cm('${x}', '${y}'),
      },
    ]);
    const p = planNode(context(g, { xs: ['a'], ys: ['n1', 'n2'] }), {
      node: g.nodesById.get('cms')!,
      applySetId: 'applyset-x-v1',
      stateOf: () => undefined,
    });
    if (p.kind !== 'apply') throw new Error(`expected apply, got ${JSON.stringify(p)}`);
    expect(p.objects.map((o) => `${o.object.metadata.namespace}/${o.object.metadata.name}`)).toEqual([
      'n1/a',
      'n2/a',
    ]);
  });

  it('gives an empty dimension no items', async () => {
    const g = await compile([
      {
        id: 'cms',
        forEach: [{ x: '${schema.spec.xs}' }, { y: '${schema.spec.ys}' }],
        template: cm('${x}-${y}'),
      },
    ]);
    const p = planNode(context(g, { xs: ['a', 'b'], ys: [] }), {
      node: g.nodesById.get('cms')!,
      applySetId: 'applyset-x-v1',
      stateOf: () => undefined,
    });
    expect(p).toEqual({ kind: 'apply', objects: [] });
  });
});

describe('collection readiness', () => {
  const ready = '${each.data.?ready.orValue("") == "true"}';

  async function setup(readyWhen: string[] = [ready]) {
    const g = await compile([
      { id: 'cms', forEach: [{ x: '${schema.spec.xs}' }], readyWhen, template: cm('${x}') },
    ]);
    return { ctx: context(g, { xs: [] }), node: g.nodesById.get('cms')! };
  }

  it('an empty collection is ready', async () => {
    const { ctx, node } = await setup();
    expect(collectionOutcome(ctx, node, { results: [], desired: 0 }).outcome).toEqual({
      state: 'SYNCED',
      reason: 'Ready',
      message: '0/0 items ready',
    });
  });

  it('counts ready items and names the first that is not', async () => {
    const { ctx, node } = await setup();
    const r = collectionOutcome(ctx, node, {
      results: [
        observed('a', { ready: 'true' }),
        observed('b', { ready: 'no' }),
        observed('c', { ready: 'no' }),
      ],
      desired: 3,
    });
    expect(r.outcome).toEqual({
      state: 'WAITING_FOR_READINESS',
      reason: 'ItemsNotReady',
      message: `1/3 items ready; ns1/b: readyWhen[0] "${ready}" is false`,
    });
    expect(r.items.map((i) => [i.name, i.state])).toEqual([
      ['a', 'SYNCED'],
      ['b', 'WAITING_FOR_READINESS'],
      ['c', 'WAITING_FOR_READINESS'],
    ]);
    const all = collectionOutcome(ctx, node, {
      results: [observed('a', { ready: 'true' }), observed('b', { ready: 'true' })],
      desired: 2,
    });
    expect(all.outcome).toEqual({ state: 'SYNCED', reason: 'Ready', message: '2/2 items ready' });
  });

  it('waits for desired items not observed, and lets failed items decide the node state', async () => {
    const { ctx, node } = await setup([]);
    expect(collectionOutcome(ctx, node, { results: [observed('a')], desired: 3 }).outcome).toEqual({
      state: 'WAITING_FOR_READINESS',
      reason: 'ItemsNotReady',
      message: '1/3 items ready; 2 not observed yet',
    });
    const failed = (
      name: string,
      state: 'ERROR' | 'DELETING' | 'IN_PROGRESS',
      reason: string,
    ): ItemResult => ({
      kind: 'failed',
      report: { state, reason, message: `${reason} ${name}`, namespace: 'ns1', name },
    });
    const mixed = collectionOutcome(ctx, node, {
      results: [
        observed('a'),
        failed('b', 'DELETING', 'ResourceTerminating'),
        failed('c', 'ERROR', 'ApplyFailed'),
      ],
      desired: 3,
    });
    expect(mixed.outcome).toEqual({ state: 'ERROR', reason: 'ApplyFailed', message: 'ApplyFailed c' });
    expect(mixed.items.map((i) => i.state)).toEqual(['SYNCED', 'DELETING', 'ERROR']);
    const deleting = collectionOutcome(ctx, node, {
      results: [observed('a'), failed('b', 'DELETING', 'ResourceTerminating')],
      desired: 2,
    });
    expect(deleting.outcome).toEqual({
      state: 'DELETING',
      reason: 'ResourceTerminating',
      message: '1/2 items ready; ns1/b: ResourceTerminating b',
    });
  });
});

describe('managedResources for collections', () => {
  it('lists the node entry then its items, capped with SYNCED items dropped first, then non-errors', async () => {
    const g = await compile([
      { id: 'one', template: cm('one') },
      { id: 'cms', forEach: [{ x: '${schema.spec.xs}' }], template: cm('${x}') },
    ]);
    const item = (name: string, state: NodeState): ItemReport => ({
      state,
      reason: state,
      message: '',
      namespace: 'ns1',
      name,
    });
    const reports = new Map<string, NodeReport>([
      ['one', { id: 'one', state: 'SYNCED', reason: 'Ready', message: '', namespace: 'ns1', name: 'one' }],
      [
        'cms',
        {
          id: 'cms',
          state: 'ERROR',
          reason: 'ApplyFailed',
          message: 'boom',
          items: [
            item('a', 'SYNCED'),
            item('b', 'WAITING_FOR_READINESS'),
            item('c', 'SYNCED'),
            item('d', 'ERROR'),
            item('e', 'WAITING_FOR_READINESS'),
          ],
        },
      ],
    ]);
    const full = managedResources(g, reports, 500);
    expect(full.map((e) => e.name ?? `<${e.id}>`)).toEqual(['one', '<cms>', 'a', 'b', 'c', 'd', 'e']);
    expect(full[1]).toEqual({
      id: 'cms',
      apiVersion: 'v1',
      kind: 'ConfigMap',
      state: 'ERROR',
      reason: 'ApplyFailed',
      message: 'boom',
    });

    const capped = managedResources(g, reports, 5);
    expect(capped.map((e) => e.name ?? `<${e.id}>`)).toEqual(['one', '<cms>', 'b', 'd', 'e']);
    expect(capped[1]?.message).toBe('boom (3 of 5 items listed)');

    const tight = managedResources(g, reports, 3);
    expect(tight.map((e) => e.name ?? `<${e.id}>`)).toEqual(['one', '<cms>', 'd']);
    expect(tight[1]?.message).toBe('boom (1 of 5 items listed)');
  });
});
