import { describe, expect, it } from 'vitest';
import { matchesSelector } from './watch-layer-match.js';

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(matchesSelector(labels, selector)).toBe(expected);
  });

  it('treats absent labels as empty', () => {
    expect(matchesSelector(undefined, { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] })).toBe(
      true,
    );
  });
});
