// The per-reconcile CEL budget (issue 14): one budget across every expression of a reconcile, so
// an RGD with many slow expressions cannot hold the Node thread for (expressions x per-expression
// budget).
import { describe, expect, it } from 'vitest';
import { InstanceContext, planNode } from './index.js';

import { compileRgd, instanceOf, rgdOf } from './test-fixtures.js';

// Each expression walks 200,000 list elements: far more than a few milliseconds anywhere.
const SLOW = '${string(lists.range(100000).map(x, x * x).filter(y, y % 3 == 0).size())}';

async function slowGraph(nodes: number) {
  const resources = Array.from({ length: nodes }, (_, i) => ({
    id: `cm${i}`,
    template: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm${i}-\${schema.spec.name}` },
      data: { v: SLOW },
    },
  }));
  return compileRgd(rgdOf('Slow', { name: 'string' }, resources));
}

const instance = instanceOf('Slow', { name: 'a' });

describe('per-reconcile CEL budget', () => {
  it('stops evaluating once the reconcile has spent its budget, with a message naming the flag', async () => {
    const g = await slowGraph(12);
    // No per-expression clock: only the reconcile budget can stop these.
    const ctx = new InstanceContext(g, instance, {
      timeoutMs: 0,
      reconcileBudgetMs: 5,
      maxCollectionSize: 10,
      ownerReferences: 'auto',
      kroVersion: '0.1.0',
    });
    let evaluatedAfterExhaustion = 0;
    const outcomes = g.topologicalOrder.map((id) => {
      const wasExhausted = ctx.budget.exhausted;
      const before = ctx.evaluations;
      const plan = planNode(ctx, { node: g.nodesById.get(id)!, applySetId: 'x', stateOf: () => undefined });
      if (wasExhausted && ctx.evaluations > before && plan.kind !== 'outcome') evaluatedAfterExhaustion++;
      return plan;
    });
    expect(evaluatedAfterExhaustion).toBe(0);
    const failed = outcomes.filter(
      (p) => p.kind === 'outcome' && p.outcome.reason === 'ExpressionBudgetExceeded',
    );
    expect(failed.length).toBeGreaterThanOrEqual(11);
    for (const p of failed) {
      if (p.kind !== 'outcome') continue;
      expect(p.outcome.message).toContain(
        'the reconcile exceeded its CEL budget of 5ms across all expressions',
      );
    }
  });

  it('a generous budget changes nothing', async () => {
    const g = await slowGraph(2);
    const ctx = new InstanceContext(g, instance, {
      timeoutMs: 0,
      reconcileBudgetMs: 0,
      maxCollectionSize: 10,
      ownerReferences: 'auto',
      kroVersion: '0.1.0',
    });
    const p = planNode(ctx, { node: g.nodesById.get('cm0')!, applySetId: 'x', stateOf: () => undefined });
    expect(p.kind).toBe('apply');
    if (p.kind === 'apply') expect(p.objects[0]!.object['data']).toEqual({ v: '33334' });
    expect(ctx.budget.exhausted).toBe(false);
  });
});
