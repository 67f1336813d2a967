// The scenario assertions' matcher (test/e2e/lib/subset.ts): what counts as a match.
import { describe, expect, it } from 'vitest';
import { findMismatch } from './lib/subset.js';

const actual = {
  metadata: { name: 'a', labels: { x: '1', y: '2' } },
  spec: { replicas: 2, ports: [{ port: 80 }, { port: 443, name: 'https' }] },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Synced', status: 'False' },
    ],
  },
};

describe('findMismatch', () => {
  it.each([
    ['a subset of fields', { metadata: { labels: { y: '2' } } }],
    [
      'array elements in any order',
      { status: { conditions: [{ type: 'Synced' }, { type: 'Ready', status: 'True' }] } },
    ],
    ['$absent on a missing field', { spec: { paused: { $absent: true } } }],
    ['$match on a string', { metadata: { name: { $match: '^a$' } } }],
    ['nested arrays of objects', { spec: { ports: [{ name: 'https' }] } }],
  ])('matches %s', (_name, expected) => {
    expect(findMismatch(expected, actual)).toBeUndefined();
  });

  it.each([
    ['a different scalar', { spec: { replicas: 3 } }, '.spec.replicas: expected 3, got 2'],
    ['a string for a number', { spec: { replicas: '2' } }, '.spec.replicas: expected "2", got 2'],
    ['a missing field', { spec: { paused: false } }, '.spec.paused: expected false, got undefined'],
    [
      '$absent on a present field',
      { metadata: { name: { $absent: true } } },
      '.metadata.name: expected absent',
    ],
    ['$match failing', { metadata: { name: { $match: '^b' } } }, 'expected to match /^b/'],
    [
      'one actual element for two expected',
      { status: { conditions: [{ type: 'Ready' }, { type: 'Ready' }] } },
      '.status.conditions[1]: no element matches',
    ],
    ['an object for a scalar', { spec: { replicas: { value: 2 } } }, '.spec.replicas: expected an object'],
  ])('reports %s', (_name, expected, message) => {
    expect(findMismatch(expected, actual)).toContain(message);
  });
});
