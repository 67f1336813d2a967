import { describe, expect, it } from 'vitest';
import { formatMicroTime } from '../kube/lease.js';
import { decideLease, releasedRecord } from './leader-election-decision.js';

const base = { identity: 'me', leaseDurationMs: 15_000, formatTime: formatMicroTime };
const T = Date.UTC(2024, 0, 1);

describe('decideLease', () => {
  it('creates the Lease when none exists', () => {
    const d = decideLease({ ...base, nowMs: T, observation: { record: undefined, observedAtMs: 0 } });
    expect(d).toEqual({
      action: 'create',
      record: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: '2024-01-01T00:00:00.000000Z',
        renewTime: '2024-01-01T00:00:00.000000Z',
        leaseTransitions: 0,
      },
    });
  });

  it('waits while another holder is within its lease duration (local observation time)', () => {
    const record = { holderIdentity: 'other', leaseDurationSeconds: 15, leaseTransitions: 3 };
    expect(decideLease({ ...base, nowMs: T + 14_999, observation: { record, observedAtMs: T } })).toEqual({
      action: 'wait',
      holder: 'other',
    });
  });

  it('takes an expired Lease and counts a transition', () => {
    const record = {
      holderIdentity: 'other',
      leaseDurationSeconds: 15,
      leaseTransitions: 3,
      acquireTime: 'old',
    };
    const d = decideLease({ ...base, nowMs: T + 15_000, observation: { record, observedAtMs: T } });
    expect(d).toMatchObject({ action: 'update', record: { holderIdentity: 'me', leaseTransitions: 4 } });
    expect(d.action === 'update' && d.record.acquireTime).toBe(formatMicroTime(T + 15_000));
  });

  it('takes a released (free) Lease at once', () => {
    const record = releasedRecord({ holderIdentity: 'other', leaseTransitions: 2 }, T, formatMicroTime);
    expect(record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 2 });
    const d = decideLease({ ...base, nowMs: T + 1, observation: { record, observedAtMs: T } });
    expect(d).toMatchObject({ action: 'update', record: { holderIdentity: 'me', leaseTransitions: 3 } });
  });

  it('renews its own Lease keeping acquireTime and transitions', () => {
    const record = {
      holderIdentity: 'me',
      leaseDurationSeconds: 15,
      leaseTransitions: 1,
      acquireTime: 'then',
    };
    const d = decideLease({ ...base, nowMs: T + 2_000, observation: { record, observedAtMs: T } });
    expect(d).toEqual({
      action: 'update',
      record: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: 'then',
        renewTime: formatMicroTime(T + 2_000),
        leaseTransitions: 1,
      },
    });
  });
});
