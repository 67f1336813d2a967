// client-go's Lease-lock decision (tools/leaderelection), pure: given the Lease as last read and
// when this candidate first saw that version of it (local clock, so clock skew between pods does
// not matter), decide whether to take or renew it, and with which record.

import type { LeaseSpec } from '../kube/lease.js';

export interface Observation {
  /** The record as read; undefined when no Lease exists. */
  readonly record: LeaseSpec | undefined;
  /** Local time (ms) when this exact record was first observed. */
  readonly observedAtMs: number;
}

export type LeaseDecision =
  | { readonly action: 'create' | 'update'; readonly record: LeaseSpec }
  | { readonly action: 'wait'; readonly holder: string };

export interface DecideInput {
  readonly observation: Observation;
  readonly identity: string;
  readonly nowMs: number;
  readonly leaseDurationMs: number;
  /** Formats a timestamp as MicroTime. */
  readonly formatTime: (ms: number) => string;
}

export function decideLease(input: DecideInput): LeaseDecision {
  const { observation, identity, nowMs, leaseDurationMs, formatTime } = input;
  const now = formatTime(nowMs);
  const seconds = Math.max(1, Math.round(leaseDurationMs / 1000));
  const old = observation.record;
  if (old === undefined) {
    return {
      action: 'create',
      record: {
        holderIdentity: identity,
        leaseDurationSeconds: seconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      },
    };
  }
  const holder = old.holderIdentity ?? '';
  const oldDurationMs = (old.leaseDurationSeconds ?? seconds) * 1000;
  const expired = observation.observedAtMs + oldDurationMs <= nowMs;
  if (holder !== '' && holder !== identity && !expired) return { action: 'wait', holder };
  const mine = holder === identity;
  return {
    action: 'update',
    record: {
      holderIdentity: identity,
      leaseDurationSeconds: seconds,
      acquireTime: mine && old.acquireTime ? old.acquireTime : now,
      renewTime: now,
      leaseTransitions: mine ? (old.leaseTransitions ?? 0) : (old.leaseTransitions ?? 0) + 1,
    },
  };
}

/** The record a holder writes when it steps down (client-go: holder cleared, 1 s duration). */
export function releasedRecord(old: LeaseSpec, nowMs: number, formatTime: (ms: number) => string): LeaseSpec {
  const now = formatTime(nowMs);
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: old.leaseTransitions ?? 0,
  };
}
