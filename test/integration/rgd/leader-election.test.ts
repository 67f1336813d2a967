// Two candidates on the Lease controller.kro.run against the real API server: one leads; when it
// stops renewing, the other takes over within the lease duration; a released Lease is taken at once.

import { describe, expect, it } from 'vitest';
import { LeaderElector } from '../../../src/controller/leader-election.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createTestNamespace, eventually, getKube } from '../../harness/index.js';

const logger = createLogger({ level: 'fatal', encoder: 'json', devel: false });
const LEASE_MS = 2_000;

async function candidates(namespace: string) {
  const kube = await getKube();
  const state = { a: 0, b: 0, lostA: 0, lostB: 0 };
  const make = (id: 'a' | 'b'): LeaderElector =>
    new LeaderElector({
      kube,
      namespace,
      identity: `host-${id}_${id}`,
      leaseDurationMs: LEASE_MS,
      renewDeadlineMs: 1_500,
      retryPeriodMs: 200,
      logger,
      onStartedLeading: () => (state[id] += 1),
      onStoppedLeading: () => (id === 'a' ? (state.lostA += 1) : (state.lostB += 1)),
    });
  return { kube, state, a: make('a'), b: make('b') };
}

const leaseRef = (namespace: string) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace,
  name: 'controller.kro.run',
});

describe('leader election', () => {
  it('elects one leader and fails over after the leader stops renewing', async () => {
    const ns = await createTestNamespace('lease');
    const { kube, state, a, b } = await candidates(ns);
    void a.run();
    await eventually(() => expect(state.a).toBe(1), { timeoutMs: 10_000 });
    void b.run();
    // b keeps trying while a renews; a stays the only leader.
    await eventually(async () => {
      const lease = await kube.resources.get(leaseRef(ns));
      const spec = lease['spec'] as { holderIdentity: string; renewTime: string; acquireTime: string };
      expect(spec.holderIdentity).toBe('host-a_a');
      expect(spec.renewTime).not.toBe(spec.acquireTime);
    });
    expect(state.b).toBe(0);
    a.abandon();
    await eventually(() => expect(state.b).toBe(1), {
      timeoutMs: LEASE_MS + 3_000,
      description: 'b takes over',
    });
    const lease = await kube.resources.get(leaseRef(ns));
    expect(lease['spec']).toMatchObject({
      holderIdentity: 'host-b_b',
      leaseTransitions: 1,
      leaseDurationSeconds: 2,
    });
    await b.release();
    expect((await kube.resources.get(leaseRef(ns)))['spec']).toMatchObject({ holderIdentity: '' });
  });

  it('hands over at once when the leader releases the Lease', async () => {
    const ns = await createTestNamespace('lease');
    const { state, a, b } = await candidates(ns);
    void a.run();
    await eventually(() => expect(state.a).toBe(1), { timeoutMs: 10_000 });
    void b.run();
    await a.release();
    await eventually(() => expect(state.b).toBe(1), {
      timeoutMs: 1_500,
      description: 'b leads after release',
    });
    expect(state.lostA).toBe(0);
    await b.release();
  });
});
