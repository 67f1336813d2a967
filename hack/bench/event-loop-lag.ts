// Event-loop lag under hostile CEL (issue 14). Reconciles of an RGD whose every node carries slow
// expressions run concurrently the way the operator runs them (src/controller/instance/waves.ts:
// yield between nodes, one reconcile budget across all expressions), while the event-loop delay
// is sampled. Prints the longest block, which is the figure the README states as the bound, and
// the time `trim()` takes on 150,000 spaces (quadratic before: 15.8 s).
// Run: npx tsx hack/bench/event-loop-lag.ts [--reconciles 8] [--rounds 3]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ResourceGraphDefinition } from '../../src/api/rgd.js';
import { DEFAULT_EVAL_TIMEOUT_MS } from '../../src/cel/budget.js';
import { buildGraph } from '../../src/graph/build-graph.js';
import type { CompiledGraph } from '../../src/graph/types.js';
import {
  DEFAULT_RECONCILE_BUDGET_MS,
  eventLoopTurnSpent,
  InstanceContext,
  nextEventLoopTurn,
  planNode,
} from '../../src/runtime/index.js';
import type { InstanceObject } from '../../src/runtime/index.js';
import { loadDocuments } from '../../src/schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../../src/schema/static-resolver.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const RECONCILES = arg('reconciles', 8);
const ROUNDS = arg('rounds', 3);

const resolver = new StaticSchemaResolver(
  loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url))),
);

// Hostile expressions: a comprehension that runs into the per-expression budget, trim of a huge
// string, quadratic-looking string work, and a cartesian product.
const HOSTILE = [
  '${string(lists.range(100000).map(x, lists.range(100).size()).size())}',
  '${schema.spec.s.trim()}',
  '${string(schema.spec.s.indexOf(schema.spec.s.trim() + "y"))}',
  '${string(lists.range(1000).map(a, lists.range(1000).filter(b, a == b).size()).size())}',
];

async function hostileGraph(nodes: number): Promise<CompiledGraph> {
  const resources = Array.from({ length: nodes }, (_, i) => ({
    id: `cm${i}`,
    template: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm${i}-\${schema.metadata.name}` },
      data: Object.fromEntries(HOSTILE.map((e, j) => [`k${j}`, e])),
    },
  }));
  const rgd = {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'hostile' },
    spec: { schema: { apiVersion: 'v1alpha1', kind: 'Hostile', spec: { s: 'string' } }, resources },
  };
  const r = await buildGraph(rgd as unknown as ResourceGraphDefinition, { resolver });
  if (!r.ok) throw new Error(r.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.value;
}

const instance = (n: number): InstanceObject =>
  ({
    apiVersion: 'kro.run/v1alpha1',
    kind: 'Hostile',
    metadata: { name: `i${n}`, namespace: 'ns', uid: `uid-${n}`, generation: 1 },
    spec: { s: `x${' '.repeat(150_000)}x` },
  }) as InstanceObject;

let longestNode = 0;

/** One reconcile's CEL work, scheduled as runWaves schedules it. */
async function reconcile(g: CompiledGraph, n: number): Promise<{ failed: number; spentMs: number }> {
  const ctx = new InstanceContext(g, instance(n), {
    timeoutMs: DEFAULT_EVAL_TIMEOUT_MS,
    reconcileBudgetMs: DEFAULT_RECONCILE_BUDGET_MS,
    maxCollectionSize: 1000,
    ownerReferences: 'auto',
    kroVersion: '0.0.0',
  });
  let failed = 0;
  for (const id of g.topologicalOrder) {
    while (eventLoopTurnSpent()) await nextEventLoopTurn();
    const t = performance.now();
    const plan = planNode(ctx, { node: g.nodesById.get(id)!, applySetId: 'x', stateOf: () => undefined });
    longestNode = Math.max(longestNode, performance.now() - t);
    if (plan.kind === 'outcome' && plan.outcome.reason === 'ExpressionBudgetExceeded') failed++;
  }
  return { failed, spentMs: ctx.budget.spentMs };
}

async function main(): Promise<void> {
  const g = await hostileGraph(12);
  // trim() alone, evaluated through the operator's path.
  const t0 = performance.now();
  const trimCtx = new InstanceContext(g, instance(0), {
    timeoutMs: 0,
    reconcileBudgetMs: 0,
    maxCollectionSize: 10,
    ownerReferences: 'auto',
    kroVersion: '0.0.0',
  });
  const trimExpr = g.nodesById
    .get('cm0')!
    .fields.find((f) => f.expressions[0]?.expression === 'schema.spec.s.trim()');
  trimExpr?.expressions[0]?.evaluate(trimCtx.activation(), { timeoutMs: 0 });
  const trimMs = performance.now() - t0;

  const h = monitorEventLoopDelay({ resolution: 1 });
  let maxGap = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  h.enable();
  const started = performance.now();
  let failed = 0;
  let spent = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const rs = await Promise.all(Array.from({ length: RECONCILES }, (_, i) => reconcile(g, i)));
    for (const r of rs) {
      failed += r.failed;
      spent = Math.max(spent, r.spentMs);
    }
  }
  const wall = performance.now() - started;
  h.disable();
  clearInterval(ticker);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`trim() of 150,000 spaces between two letters: ${trimMs.toFixed(1)} ms`);
  console.log(
    `${ROUNDS} rounds x ${RECONCILES} concurrent reconciles of a 12-node RGD, ${HOSTILE.length} hostile expressions per node` +
      ` (per-expression budget ${DEFAULT_EVAL_TIMEOUT_MS} ms, reconcile budget ${DEFAULT_RECONCILE_BUDGET_MS} ms)`,
  );
  console.log(
    `wall ${ms(wall)}; nodes failed with ExpressionBudgetExceeded: ${failed}; max CEL time in one reconcile ${ms(spent)}`,
  );
  console.log(`longest synchronous rendering of one node: ${ms(longestNode)}`);
  console.log(
    `event-loop delay: max ${ms(h.max / 1e6)}, p99 ${ms(h.percentile(99) / 1e6)}, mean ${ms(h.mean / 1e6)}; longest gap between 1 ms timer ticks ${ms(maxGap)}`,
  );
}

await main();
