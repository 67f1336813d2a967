import { describe, expect, it } from 'vitest';
import { AppliedCache, childKey } from './applied-cache.js';

const cm = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'ns' },
  data,
});

describe('AppliedCache', () => {
  it('is unchanged only for the same body and the resourceVersion the apply answered', () => {
    const c = new AppliedCache();
    const key = childKey(cm({}));
    const d = AppliedCache.digest(cm({ v: '1' }));
    expect(c.unchanged(key, d, '5')).toBe(false);
    c.record(key, d, '5');
    expect(c.unchanged(key, d, '5')).toBe(true);
    // Someone wrote the child since (drift, re-creation): apply again.
    expect(c.unchanged(key, d, '6')).toBe(false);
    expect(c.unchanged(key, d, undefined)).toBe(false);
    // The rendering changed.
    expect(c.unchanged(key, AppliedCache.digest(cm({ v: '2' })), '5')).toBe(false);
    c.forget(key);
    expect(c.unchanged(key, d, '5')).toBe(false);
  });

  it('digests canonically (key order does not matter) and keys by kind, namespace and name', () => {
    expect(AppliedCache.digest({ a: 1, b: { c: 2, d: 3 } })).toBe(
      AppliedCache.digest({ b: { d: 3, c: 2 }, a: 1 }),
    );
    expect(childKey(cm({}))).not.toBe(childKey({ ...cm({}), kind: 'Secret' }));
  });

  it('is bounded: the oldest entry is evicted first', () => {
    const c = new AppliedCache(2);
    c.record('k1', 'd', '1');
    c.record('k2', 'd', '1');
    c.record('k3', 'd', '1');
    expect(c.size).toBe(2);
    expect(c.unchanged('k1', 'd', '1')).toBe(false);
    expect(c.unchanged('k3', 'd', '1')).toBe(true);
  });
});
