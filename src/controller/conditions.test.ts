import { describe, expect, it } from 'vitest';
import type { Condition } from './conditions.js';
import {
  computeReady,
  ensureConditions,
  finalizeConditions,
  formatConditionTime,
  setCondition,
  sortConditions,
} from './conditions.js';

const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:00:01Z';
const T2 = '2024-01-01T00:00:02Z';
const DEPS = ['GraphAccepted', 'KindReady', 'ControllerReady'];

const cond = (type: string, status: Condition['status'], extra: Partial<Condition> = {}): Condition => ({
  type,
  status,
  reason: `${type}Reason`,
  message: `${type} message`,
  lastTransitionTime: T0,
  observedGeneration: 1,
  ...extra,
});

describe('setCondition', () => {
  it('keeps lastTransitionTime when the status is unchanged and moves it otherwise', () => {
    const start = [cond('KindReady', 'True')];
    const same = setCondition(
      start,
      { type: 'KindReady', status: 'True', reason: 'Ready', message: 'x' },
      { generation: 2, now: T1 },
    );
    expect(same[0]).toEqual({
      type: 'KindReady',
      status: 'True',
      reason: 'Ready',
      message: 'x',
      lastTransitionTime: T0,
      observedGeneration: 2,
    });
    const flipped = setCondition(
      start,
      { type: 'KindReady', status: 'False', reason: 'Failed' },
      { generation: 2, now: T1 },
    );
    expect(flipped[0]?.lastTransitionTime).toBe(T1);
    expect(flipped[0]?.message).toBe('');
  });

  it('appends a new condition and stamps the generation on all while deleting', () => {
    const out = setCondition(
      [cond('A', 'True')],
      { type: 'B', status: 'False', reason: 'r' },
      { generation: 5, now: T1, deleting: true },
    );
    expect(out.map((c) => [c.type, c.observedGeneration])).toEqual([
      ['A', 5],
      ['B', 5],
    ]);
  });
});

describe('ensureConditions', () => {
  it('adds missing types as Unknown AwaitingReconciliation at creationTimestamp and drops the legacy type', () => {
    const out = ensureConditions([cond('ResourceGraphAccepted', 'True'), cond('A', 'True')], ['A', 'B'], {
      generation: 3,
      creationTimestamp: T0,
    });
    expect(out).toEqual([
      cond('A', 'True'),
      {
        type: 'B',
        status: 'Unknown',
        reason: 'AwaitingReconciliation',
        message: 'condition "B" is awaiting reconciliation',
        lastTransitionTime: T0,
        observedGeneration: 3,
      },
    ]);
  });
});

describe('computeReady', () => {
  it('is True with reason Ready and an empty message when every dependent is True at the generation', () => {
    expect(
      computeReady(
        DEPS.map((t) => cond(t, 'True')),
        DEPS,
        1,
      ),
    ).toEqual({ type: 'Ready', status: 'True', reason: 'Ready', message: '' });
  });

  it('copies the most unhealthy dependent: False beats Unknown, then the latest transition', () => {
    const conds = [
      cond('GraphAccepted', 'Unknown', { lastTransitionTime: T2 }),
      cond('KindReady', 'False', { lastTransitionTime: T0 }),
      cond('ControllerReady', 'False', { lastTransitionTime: T1 }),
    ];
    expect(computeReady(conds, DEPS, 1)).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ControllerReadyReason',
      message: 'ControllerReady message',
    });
  });

  it('leaves the root unchanged when only generation-stale True dependents exist', () => {
    const conds = [
      cond('GraphAccepted', 'True', { observedGeneration: 1 }),
      cond('KindReady', 'True', { observedGeneration: 2 }),
      cond('ControllerReady', 'True', { observedGeneration: 2 }),
    ];
    expect(computeReady(conds, DEPS, 2)).toBeUndefined();
  });

  it('treats a missing dependent as Unknown', () => {
    expect(computeReady([cond('GraphAccepted', 'True')], ['GraphAccepted', 'KindReady'], 1)).toMatchObject({
      status: 'Unknown',
      reason: 'AwaitingReconciliation',
    });
  });
});

describe('sortConditions and finalizeConditions', () => {
  it('sorts by lastTransitionTime with the root last', () => {
    const out = sortConditions([
      cond('Ready', 'True', { lastTransitionTime: T0 }),
      cond('B', 'True', { lastTransitionTime: T2 }),
      cond('A', 'True', { lastTransitionTime: T1 }),
    ]);
    expect(out.map((c) => c.type)).toEqual(['A', 'B', 'Ready']);
  });

  it('adds missing conditions, derives Ready and sorts in one step', () => {
    const withAccepted = setCondition(
      [],
      { type: 'GraphAccepted', status: 'False', reason: 'InvalidResourceGraph', message: 'bad' },
      { generation: 1, now: T1 },
    );
    const out = finalizeConditions(withAccepted, {
      dependents: DEPS,
      ctx: { generation: 1, now: T2 },
      creationTimestamp: T0,
    });
    expect(out.map((c) => [c.type, c.status])).toEqual([
      ['KindReady', 'Unknown'],
      ['ControllerReady', 'Unknown'],
      ['GraphAccepted', 'False'],
      ['Ready', 'False'],
    ]);
    expect(out.at(-1)).toMatchObject({
      reason: 'InvalidResourceGraph',
      message: 'bad',
      lastTransitionTime: T2,
    });
  });
});

describe('formatConditionTime', () => {
  it('drops fractional seconds', () => {
    expect(formatConditionTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('2024-01-02T03:04:05Z');
  });
});
