import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Condition, ResourceGraphDefinition } from '../api/rgd.js';
import { buildGraph } from '../graph/build-graph.js';
import type { CompiledGraph } from '../graph/types.js';
import { loadDocuments } from '../schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../schema/static-resolver.js';
import { evaluateAuthorConditions, InstanceContext, stampAuthorConditions } from './index.js';
import type { InstanceObject } from './index.js';

const resolver = new StaticSchemaResolver(
  loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url))),
);

async function compile(conditions: string[]): Promise<CompiledGraph> {
  const r = await buildGraph(
    {
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: 'x' },
      spec: {
        schema: {
          apiVersion: 'v1alpha1',
          kind: 'App',
          spec: { on: 'boolean', items: '[]string' },
          status: { conditions },
        },
        resources: [{ id: 'cm', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } }],
      },
    } as unknown as ResourceGraphDefinition,
    { resolver },
  );
  if (!r.ok) throw new Error(r.error.map((i) => i.message).join('\n'));
  return r.value;
}

const instance = (spec: Record<string, unknown>): InstanceObject =>
  ({
    apiVersion: 'kro.run/v1alpha1',
    kind: 'App',
    metadata: { name: 'i', namespace: 'n', uid: 'u', generation: 4 },
    spec,
    status: { conditions: [{ type: 'Stale', status: 'True' }] },
  }) as InstanceObject;

const OPTIONS = { timeoutMs: 0, maxCollectionSize: 10, ownerReferences: 'auto', kroVersion: '0' } as const;
const BUILTINS: Condition[] = [
  { type: 'InstanceManaged', status: 'True', reason: 'Managed', message: 'm' },
  { type: 'ResourcesReady', status: 'False', reason: 'NotReady', message: 'waiting for cm' },
  { type: 'Ready', status: 'False', reason: 'NotReady', message: 'waiting for cm' },
];

describe('evaluateAuthorConditions', () => {
  it('evaluates in declaration order, flattens lists, reads built-ins through runtime.condition', async () => {
    const g = await compile([
      "${runtime.newCondition({type: 'On', status: schema.spec.on ? 'True' : 'False', reason: 'Flag'})}",
      "${schema.spec.items.map(i, runtime.newCondition({type: 'Item-' + i, status: 'Unknown', message: i}))}",
      "${runtime.newCondition({type: 'Ready', status: runtime.condition(schema, 'ResourcesReady').status, message: runtime.condition(schema, 'ResourcesReady').message})}",
      "${runtime.newCondition({type: 'Old', status: runtime.condition(schema, 'St' + 'ale').status == '' ? 'True' : 'False'})}",
    ]);
    const ctx = new InstanceContext(g, instance({ on: true, items: ['a', 'b'] }), OPTIONS);
    const r = evaluateAuthorConditions(ctx, BUILTINS);
    expect(r).toEqual({
      incomplete: false,
      conditions: [
        { type: 'On', status: 'True', reason: 'Flag', message: '' },
        { type: 'Item-a', status: 'Unknown', reason: '', message: 'a' },
        { type: 'Item-b', status: 'Unknown', reason: '', message: 'b' },
        { type: 'Ready', status: 'False', reason: '', message: 'waiting for cm' },
        // schema carries only the built-ins, never what the instance had stored.
        { type: 'Old', status: 'True', reason: '', message: '' },
      ],
    });
  });

  it('skips pending data, degrades on errors and drops every copy of a duplicated type', async () => {
    const g = await compile([
      "${runtime.newCondition({type: 'Cm', status: cm.data.x == 'y' ? 'True' : 'False'})}",
      "${runtime.newCondition({type: string(int(schema.spec.items[0])), status: 'True'})}",
      "${schema.spec.items.map(i, runtime.newCondition({type: 'Same', status: 'True'}))}",
      "${runtime.newCondition({type: 'Fine', status: 'True'})}",
    ]);
    const ctx = new InstanceContext(g, instance({ on: false, items: ['a', 'b'] }), OPTIONS);
    const r = evaluateAuthorConditions(ctx, BUILTINS);
    expect(r.conditions).toEqual([{ type: 'Fine', status: 'True', reason: '', message: '' }]);
    expect(r.incomplete).toBe(true);
    expect(r.error).toMatch(/^author condition evaluation degraded: /u);
    expect(r.error).toContain('duplicate condition type(s) [Same] dropped');
    expect(r.error).toContain('int(schema.spec.items[0])');
    expect(r.error).not.toContain("'Cm'");
  });
});

describe('stampAuthorConditions', () => {
  const prev: Condition[] = [
    { type: 'A', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z', observedGeneration: 1 },
    { type: 'B', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z', observedGeneration: 1 },
    {
      type: 'C',
      status: 'False',
      reason: 'x',
      lastTransitionTime: '2020-01-01T00:00:00Z',
      observedGeneration: 1,
    },
  ];
  const now = '2026-01-01T00:00:00Z';

  it('keeps lastTransitionTime while the status holds and omits empty reason and message', () => {
    const out = stampAuthorConditions(
      {
        incomplete: false,
        conditions: [
          { type: 'A', status: 'True', reason: '', message: '' },
          { type: 'B', status: 'False', reason: 'R', message: 'M' },
        ],
      },
      prev,
      { generation: 7, now },
    );
    expect(out).toEqual([
      { type: 'A', status: 'True', observedGeneration: 7, lastTransitionTime: '2020-01-01T00:00:00Z' },
      {
        type: 'B',
        status: 'False',
        reason: 'R',
        message: 'M',
        observedGeneration: 7,
        lastTransitionTime: now,
      },
    ]);
  });

  it('keeps previously written types when the evaluation is incomplete', () => {
    const out = stampAuthorConditions(
      { incomplete: true, conditions: [{ type: 'B', status: 'True', reason: '', message: '' }] },
      prev,
      { generation: 7, now },
    );
    expect(out.map((c) => c.type)).toEqual(['B', 'A', 'C']);
    expect(out[2]).toBe(prev[2]);
  });
});
