import { describe, expect, it } from 'vitest';
import { instanceUpdateTriggers, isSuspended, rgdUpdateTriggers } from './watch-layer-triggers.js';

const obj = (generation: number, annotations?: Record<string, string>, deletionTimestamp?: string) => ({
  metadata: {
    generation,
    ...(annotations ? { annotations } : {}),
    ...(deletionTimestamp ? { deletionTimestamp } : {}),
  },
});

describe('instanceUpdateTriggers', () => {
  it.each([
    ['generation change', obj(1), obj(2), true],
    ['label/status-only change', obj(1), obj(1, { other: 'x' }), false],
    ['suspended added', obj(1), obj(1, { 'kro.run/reconcile': 'Suspended' }), true],
    ['legacy disabled removed', obj(1, { 'kro.run/reconcile': 'disabled' }), obj(1), true],
    [
      'suspended → disabled (still suspended)',
      obj(1, { 'kro.run/reconcile': 'suspended' }),
      obj(1, { 'kro.run/reconcile': 'disabled' }),
      false,
    ],
  ])('%s', (_name, a, b, expected) => {
    expect(instanceUpdateTriggers(a, b)).toBe(expected);
  });

  it('reads the suspension case-insensitively', () => {
    expect(isSuspended(obj(1, { 'kro.run/reconcile': 'SUSPENDED' }))).toBe(true);
    expect(isSuspended(obj(1, { 'kro.run/reconcile': 'enabled' }))).toBe(false);
  });
});

describe('rgdUpdateTriggers', () => {
  it.each([
    ['generation change', obj(1), obj(2), true],
    ['status-only change', obj(3), obj(3), false],
    ['deletion starts', obj(3), obj(3, undefined, '2024-01-01T00:00:00Z'), true],
    ['allow annotation set', obj(3), obj(3, { 'kro.run/allow-breaking-changes': 'true' }), true],
    ['allow annotation not "true"', obj(3), obj(3, { 'kro.run/allow-breaking-changes': 'yes' }), false],
  ])('%s', (_name, a, b, expected) => {
    expect(rgdUpdateTriggers(a, b)).toBe(expected);
  });
});
