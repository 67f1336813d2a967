import { describe, expect, it } from 'vitest';
import type { Condition } from '../../api/rgd.js';
import { graphCurrent } from './reconcile.js';
import { buildStatus, emitConditionEvents } from './status-builder.js';

const base = { generation: 2, creationTimestamp: '2025-01-01T00:00:00Z', deleting: false, state: () => 'X' };
const managed = { type: 'InstanceManaged', status: 'True', reason: 'Managed' } as const;
const resolved = { type: 'GraphResolved', status: 'True', reason: 'Resolved' } as const;
const cond = (s: Record<string, unknown>, type: string) =>
  (s['conditions'] as Condition[]).find((c) => c.type === type);

describe('buildStatus: kstatus conditions', () => {
  it('Ready True: Reconciling and Stalled False, kro conditions kept', () => {
    const s = buildStatus(
      {},
      {
        ...base,
        conditions: [
          managed,
          resolved,
          { type: 'ResourcesReady', status: 'True', reason: 'AllResourcesReady' },
        ],
      },
    );
    expect((s['conditions'] as Condition[]).map((c) => c.type).sort()).toEqual([
      'GraphResolved',
      'InstanceManaged',
      'Ready',
      'Reconciling',
      'ResourcesReady',
      'Stalled',
    ]);
    expect(cond(s, 'Reconciling')).toMatchObject({ status: 'False', observedGeneration: 2 });
    expect(cond(s, 'Stalled')).toMatchObject({ status: 'False' });
    expect(s['observedGeneration']).toBe(2);
  });

  it('waiting: Reconciling True with the waiting reason and message', () => {
    const s = buildStatus(
      {},
      {
        ...base,
        conditions: [
          managed,
          resolved,
          {
            type: 'ResourcesReady',
            status: 'False',
            reason: 'NotReady',
            message: 'awaiting resource readiness: x',
          },
        ],
      },
    );
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'NotReady' });
    expect(cond(s, 'Reconciling')).toMatchObject({
      status: 'True',
      reason: 'NotReady',
      message: 'awaiting resource readiness: x',
    });
    expect(cond(s, 'Stalled')).toMatchObject({ status: 'False' });
  });

  it('a failure: Stalled True with the failure reason and message', () => {
    const s = buildStatus(
      {},
      {
        ...base,
        conditions: [
          managed,
          resolved,
          { type: 'ResourcesReady', status: 'False', reason: 'ResourceError', message: 'resource error: y' },
        ],
      },
    );
    expect(cond(s, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'ResourceError',
      message: 'resource error: y',
    });
    expect(cond(s, 'Reconciling')).toMatchObject({ status: 'False' });
  });

  it('is stable: building again from its own output changes nothing', () => {
    const input = {
      ...base,
      conditions: [
        managed,
        resolved,
        { type: 'ResourcesReady', status: 'False', reason: 'NotReady', message: 'm' },
      ],
    } as const;
    const once = buildStatus({}, input);
    expect(buildStatus(once, input)).toEqual(once);
  });
});

describe('emitConditionEvents', () => {
  const c = (type: string, status: string, reason: string): Condition =>
    ({ type, status, reason }) as Condition;
  const run = (before: Condition[], after: Condition[]) => {
    const out: string[] = [];
    emitConditionEvents((t, r, m) => out.push(`${t} ${r} ${m}`), before, after);
    return out;
  };
  it('waiting is Normal, a failure is Warning, derived conditions are silent', () => {
    expect(run([], [c('Ready', 'False', 'NotReady'), c('Reconciling', 'True', 'NotReady')])).toEqual([
      'Normal Ready none -> False: NotReady',
    ]);
    expect(
      run(
        [c('Ready', 'False', 'NotReady')],
        [c('Ready', 'False', 'ResourceError'), c('Stalled', 'True', 'ResourceError')],
      ),
    ).toEqual(['Warning Ready False -> False: ResourceError']);
    expect(run([c('Ready', 'False', 'ResourceError')], [c('Ready', 'True', 'Ready')])).toEqual([
      'Normal Ready False -> True: Ready',
    ]);
  });

  it("Ready's move announces its dependents' expected moves; their failures and GraphCurrent refusals stay", () => {
    const ready = [
      c('InstanceManaged', 'True', 'Managed'),
      c('GraphResolved', 'True', 'Resolved'),
      c('ResourcesReady', 'True', 'AllResourcesReady'),
      c('Ready', 'True', 'Ready'),
      c('GraphCurrent', 'True', 'Current'),
    ];
    expect(run([], ready)).toEqual(['Normal Ready none -> True: Ready']);
    // Without a move of Ready, a dependent's own transition is announced.
    expect(
      run(
        [c('ResourcesReady', 'False', 'NotReady'), c('Ready', 'False', 'NotReady')],
        [c('ResourcesReady', 'True', 'AllResourcesReady'), c('Ready', 'False', 'NotReady')],
      ),
    ).toEqual(['Normal ResourcesReady False -> True: AllResourcesReady']);
    expect(
      run(
        [c('InstanceManaged', 'True', 'Managed'), c('Ready', 'True', 'Ready')],
        [c('InstanceManaged', 'False', 'ManagementFailed'), c('Ready', 'False', 'ManagementFailed')],
      ),
    ).toEqual([
      'Warning InstanceManaged True -> False: ManagementFailed',
      'Warning Ready True -> False: ManagementFailed',
    ]);
    expect(
      run([c('GraphCurrent', 'True', 'Current')], [c('GraphCurrent', 'False', 'NewerSpecRejected')]),
    ).toEqual(['Warning GraphCurrent True -> False: NewerSpecRejected']);
    expect(
      run([c('GraphCurrent', 'False', 'NewerSpecRejected')], [c('GraphCurrent', 'True', 'Current')]),
    ).toEqual(['Normal GraphCurrent False -> True: Current']);
  });
});

describe('buildStatus: with author conditions (kro v0.9.4)', () => {
  const waitingInput = {
    ...base,
    conditions: [
      managed,
      resolved,
      { type: 'ResourcesReady', status: 'False', reason: 'ResourceError', message: 'resource error: p' },
    ],
  } as const;

  it("writes exactly the author's conditions; runtime.condition reads kro's and kro-ts's", () => {
    let seen: string[] = [];
    const s = buildStatus(
      { conditions: [{ type: 'Reconciling', status: 'True', reason: 'NotReady' }] },
      {
        ...waitingInput,
        graphCurrent: { type: 'GraphCurrent', status: 'True', reason: 'Current', message: 'served' },
        authorConditions: (builtins) => {
          seen = builtins.map((c) => `${c.type}=${c.status}`);
          const stalled = builtins.find((c) => c.type === 'Stalled');
          return {
            conditions: [
              { type: 'Mine', status: 'True', reason: 'R', message: '' },
              {
                type: 'Stalled',
                status: stalled?.status ?? 'Unknown',
                reason: stalled?.reason ?? '',
                message: stalled?.message ?? '',
              },
            ],
            incomplete: false,
          };
        },
      },
    );
    expect([...seen].sort()).toEqual([
      'GraphCurrent=True',
      'GraphResolved=True',
      'InstanceManaged=True',
      'Ready=False',
      'Reconciling=False',
      'ResourcesReady=False',
      'Stalled=True',
    ]);
    expect((s['conditions'] as Condition[]).map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Mine', 'True', 'R'],
      ['Stalled', 'True', 'ResourceError'],
    ]);
  });

  it('degraded author conditions: state ERROR, the built-ins stay off the wire', () => {
    const errors: string[] = [];
    const s = buildStatus(
      {},
      {
        ...waitingInput,
        authorConditions: () => ({ conditions: [], incomplete: false, error: 'boom' }),
        onAuthorError: (m) => errors.push(m),
      },
    );
    expect(s['state']).toBe('ERROR');
    expect(s['conditions']).toEqual([]);
    expect(errors).toEqual(['boom']);
  });
});

describe('graphCurrent: the GraphRevision that serves the instance', () => {
  const served = {
    graph: {} as never,
    rgdName: 'web',
    rgdUid: 'u',
    revision: 3,
    graphRevision: 'web-r00003',
    rgdGeneration: 4,
  };
  it('names the revision, its GraphRevision and the RGD generation', () => {
    expect(graphCurrent(served)).toEqual({
      type: 'GraphCurrent',
      status: 'True',
      reason: 'Current',
      message:
        'served from revision 3 of ResourceGraphDefinition web (GraphRevision web-r00003, RGD generation 4)',
    });
  });
  it('says which newer generation was rejected and why', () => {
    const c = graphCurrent({ ...served, rejected: { generation: 5, message: 'unknown field "sufix"' } });
    expect(c).toMatchObject({ status: 'False', reason: 'NewerSpecRejected' });
    expect(c.message).toBe(
      'generation 5 of ResourceGraphDefinition web was rejected; still served from revision 3 of ResourceGraphDefinition web (GraphRevision web-r00003, RGD generation 4): unknown field "sufix"',
    );
    const long = graphCurrent({ ...served, rejected: { generation: 5, message: 'x'.repeat(2000) } });
    expect(long.message).toHaveLength(1024);
  });
});
