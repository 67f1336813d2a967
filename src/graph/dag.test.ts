import { describe, expect, it } from 'vitest';
import { buildDag, formatCycle } from './dag.js';
import type { DagNode } from './dag.js';

function nodes(spec: Record<string, string[]>): DagNode[] {
  return Object.entries(spec).map(([id, deps], index) => ({ id, index, dependencies: new Set(deps) }));
}

function ok(spec: Record<string, string[]>) {
  const r = buildDag(nodes(spec));
  if (!r.ok) throw new Error(`unexpected cycles ${JSON.stringify(r.cycles)}`);
  return r.dag;
}

describe('buildDag', () => {
  it('orders a chain and gives apply orders from the dependents side', () => {
    const d = ok({ service: ['deployment'], deployment: ['configmap'], configmap: [] });
    expect(d.topologicalOrder).toEqual(['configmap', 'deployment', 'service']);
    expect(d.layers).toEqual([['service'], ['deployment'], ['configmap']]);
    expect(Object.fromEntries(d.applyOrder)).toEqual({ service: 3, deployment: 2, configmap: 1 });
  });

  it('keeps YAML order without edges; isolated nodes get L', () => {
    const d = ok({ b: [], a: [], c: [] });
    expect(d.topologicalOrder).toEqual(['b', 'a', 'c']);
    expect(d.layers).toEqual([['b', 'a', 'c']]);
    const e = ok({ x: [], cm: [], dep: ['cm'] });
    expect(Object.fromEntries(e.applyOrder)).toEqual({ x: 2, cm: 1, dep: 2 });
  });

  it('orders a diamond with ties broken by index', () => {
    const d = ok({ top: ['left', 'right'], right: ['base'], left: ['base'], base: [] });
    expect(d.topologicalOrder).toEqual(['base', 'right', 'left', 'top']);
    expect(d.layers).toEqual([['top'], ['right', 'left'], ['base']]);
    expect(d.dependents.get('base')).toEqual(['right', 'left']);
  });

  it('takes the smallest ready index, not the first discovered', () => {
    // c becomes ready after a; b (index 1) is ready from the start and must come before c.
    const d = ok({ a: [], b: [], c: ['a'] });
    expect(d.topologicalOrder).toEqual(['a', 'b', 'c']);
    const e = ok({ z: ['y'], y: [], x: [] });
    expect(e.topologicalOrder).toEqual(['y', 'z', 'x']);
  });

  it('reports a cycle of two with its path', () => {
    const r = buildDag(nodes({ a: ['b'], b: ['a'], c: [] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.cycles.map(formatCycle)).toEqual(['a -> b -> a']);
  });

  it('reports a cycle of three starting at the first node in spec order', () => {
    const r = buildDag(nodes({ x: [], b: ['c'], c: ['a'], a: ['b'] }));
    if (r.ok) throw new Error('expected a cycle');
    expect(r.cycles.map(formatCycle)).toEqual(['b -> c -> a -> b']);
  });

  it('reports every independent cycle, and not the nodes merely depending on one', () => {
    const r = buildDag(nodes({ a: ['b'], b: ['a'], d: ['a'], e: ['f'], f: ['e'] }));
    if (r.ok) throw new Error('expected cycles');
    expect(r.cycles.map(formatCycle)).toEqual(['a -> b -> a', 'e -> f -> e']);
  });

  it('ignores references to unknown ids', () => {
    const d = ok({ a: ['schema'] });
    expect(d.topologicalOrder).toEqual(['a']);
  });
});
