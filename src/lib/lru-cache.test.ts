import { describe, expect, it } from 'vitest';
import { LruTtlCache } from './lru-cache.js';

describe('LruTtlCache without a time-to-live', () => {
  it('keeps entries until the least recently used one is pushed out', () => {
    let now = 0;
    const c = new LruTtlCache<string, number>({ maxEntries: 2, now: () => now });
    c.set('a', 1);
    c.set('b', 2);
    now = 1e15;
    expect(c.get('a')).toBe(1); // never expires; now most recently used
    c.set('c', 3); // pushes out b
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([1, undefined, 3, 2]);
    c.set('a', 4); // re-set refreshes: b gone, c is now the oldest
    c.set('d', 5);
    expect([c.get('a'), c.get('c'), c.get('d')]).toEqual([4, undefined, 5]);
  });
});
