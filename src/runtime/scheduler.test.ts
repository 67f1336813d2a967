// The wave scheduler without I/O: wave order, identity collisions within and across waves, why
// unreached nodes wait, and the static waves `kro-ts graph` prints.

import { describe, expect, it } from 'vitest';
import type { NodeState } from '../api/constants.js';
import type { CompiledGraph } from '../graph/types.js';
import {
  blockersOf,
  InstanceContext,
  planNode,
  staticWaves,
  waitingOutcome,
  WaveScheduler,
} from './index.js';
import type { PlannedNode } from './index.js';
import { compileRgd, instanceOf, rgdOf } from './test-fixtures.js';

const compile = (resources: unknown[]): Promise<CompiledGraph> =>
  compileRgd(rgdOf('Sched', { name: 'string' }, resources));

const cm = (id: string, name: string, data: Record<string, string> = {}) => ({
  id,
  template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data },
});

const instance = instanceOf('Sched', { name: 'app' });

/** Drives the scheduler like both executors: every applied node settles SYNCED at once. */
function drive(g: CompiledGraph): {
  waves: string[][];
  reports: Map<string, { state: NodeState; reason: string; message: string }>;
} {
  const ctx = new InstanceContext(g, instance, {
    timeoutMs: 0,
    maxCollectionSize: 3,
    ownerReferences: 'auto',
    kroVersion: '0.1.0',
  });
  const reports = new Map<string, { state: NodeState; reason: string; message: string }>();
  const stateOf = (id: string) => reports.get(id)?.state;
  const s = new WaveScheduler(g, stateOf);
  const waves: string[][] = [];
  for (let wave = s.next(); wave.length > 0; wave = s.next()) {
    waves.push(wave.map((n) => n.id));
    const planned: PlannedNode[] = wave.map((node) => ({
      node,
      plan: planNode(ctx, { node, applySetId: 'applyset-x-v1', stateOf }),
    }));
    const claimed = s.claimIdentities(planned);
    for (const { id, outcome } of claimed.earlier) reports.set(id, outcome);
    for (const { node, plan } of claimed.planned) {
      if (plan.kind === 'outcome') reports.set(node.id, plan.outcome);
      else {
        if (plan.kind === 'apply') ctx.observe(node, plan.objects[0]!.object);
        reports.set(node.id, { state: 'SYNCED', reason: '', message: '' });
      }
    }
  }
  for (const { node } of s.unreached()) reports.set(node.id, waitingOutcome(node, stateOf));
  return { waves, reports };
}

describe('WaveScheduler', () => {
  it('runs a node as soon as its dependencies are settled, in topological order within a wave', async () => {
    const g = await compile([
      cm('a', 'a'),
      cm('b', '${a.metadata.name}-b'),
      cm('c', 'c'),
      cm('d', '${b.metadata.name}-${c.metadata.name}'),
    ]);
    expect(drive(g).waves).toEqual([['a', 'c'], ['b'], ['d']]);
    expect(staticWaves(g)).toEqual([['a', 'c'], ['b'], ['d']]);
  });

  it('puts two nodes of one wave that render the same object in error, and applies neither', async () => {
    const g = await compile([cm('one', 'same'), cm('two', 'same'), cm('three', 'other')]);
    const { reports } = drive(g);
    const message = 'duplicate identity: /ConfigMap/ns1/same';
    expect(reports.get('one')).toEqual({ state: 'ERROR', reason: 'IdentityCollision', message });
    expect(reports.get('two')).toEqual({ state: 'ERROR', reason: 'IdentityCollision', message });
    expect(reports.get('three')?.state).toBe('SYNCED');
  });

  it('puts a node of an earlier wave in error when a later one renders its object', async () => {
    const g = await compile([cm('first', 'same'), cm('later', '${first.metadata.name}')]);
    const settled = new Set<string>();
    const s = new WaveScheduler(g, (id) => (settled.has(id) ? 'SYNCED' : undefined));
    const ctx = new InstanceContext(g, instance, {
      timeoutMs: 0,
      maxCollectionSize: 3,
      ownerReferences: 'auto',
      kroVersion: '0.1.0',
    });
    const plan = (id: string) =>
      planNode(ctx, { node: g.nodesById.get(id)!, applySetId: 'x', stateOf: () => 'SYNCED' });
    const w1 = s.next();
    expect(w1.map((n) => n.id)).toEqual(['first']);
    const first = plan('first');
    expect(s.claimIdentities([{ node: w1[0]!, plan: first }])).toEqual({
      planned: [{ node: w1[0]!, plan: first }],
      earlier: [],
    });
    if (first.kind === 'apply') ctx.observe(g.nodesById.get('first')!, first.objects[0]!.object);
    settled.add('first');
    const w2 = s.next();
    expect(w2.map((n) => n.id)).toEqual(['later']);
    const claimed = s.claimIdentities([{ node: w2[0]!, plan: plan('later') }]);
    const outcome = {
      state: 'ERROR',
      reason: 'IdentityCollision',
      message: 'duplicate identity: /ConfigMap/ns1/same',
    };
    expect(claimed.planned[0]!.plan).toEqual({ kind: 'outcome', outcome });
    expect(claimed.earlier).toEqual([{ id: 'first', outcome }]);
  });

  it('leaves the dependents of an unsettled node unreached, each naming what it waits for', async () => {
    const g = await compile([
      cm('a', 'a'),
      { ...cm('b', '${a.metadata.name}-b'), readyWhen: ['${b.data.?ready.orValue("") == "yes"}'] },
      cm('c', '${b.metadata.name}-c'),
      cm('d', '${c.metadata.name}-${a.metadata.name}'),
    ]);
    const states: Record<string, NodeState> = { a: 'SYNCED', b: 'WAITING_FOR_READINESS' };
    const stateOf = (id: string) => states[id];
    const s = new WaveScheduler(g, stateOf);
    expect(s.next().map((n) => n.id)).toEqual(['a', 'b']);
    expect(s.next()).toEqual([]);
    expect(s.unreached().map((u) => [u.node.id, u.blockers])).toEqual([
      ['c', ['b']],
      ['d', ['c']],
    ]);
    expect(blockersOf(g.nodesById.get('d')!, stateOf)).toEqual(['c']);
    expect(waitingOutcome(g.nodesById.get('c')!, stateOf)).toEqual({
      state: 'IN_PROGRESS',
      reason: 'WaitingForDependency',
      message: 'waiting for node "b" (WAITING_FOR_READINESS)',
    });
    expect(waitingOutcome(g.nodesById.get('d')!, stateOf).message).toBe('waiting for node "c" (IN_PROGRESS)');
  });
});
