import { describe, expect, it } from 'vitest';
import { graphRevisionName, revisionsToPrune } from './revision-naming.js';

describe('graphRevisionName', () => {
  it('is <rgd>-r plus five digits, more when the number needs them', () => {
    expect(graphRevisionName('webapp', 1)).toBe('webapp-r00001');
    expect(graphRevisionName('a.b', 42)).toBe('a.b-r00042');
    expect(graphRevisionName('x', 123456)).toBe('x-r123456');
  });

  it('cuts a long name, trims dots and hyphens at the cut and adds an FNV-32a suffix', () => {
    const long = 'a'.repeat(250);
    const name = graphRevisionName(long, 3);
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/^a+-r00003-[0-9a-f]{8}$/u);
    const dotted = `${'b'.repeat(237)}.-.${'c'.repeat(20)}`;
    expect(graphRevisionName(dotted, 1)).toMatch(/^b{237}-r00001-[0-9a-f]{8}$/u);
    expect(graphRevisionName('.-'.repeat(130), 1)).toMatch(/^gr-r00001-[0-9a-f]{8}$/u);
    // Different long names with the same prefix get different suffixes.
    expect(graphRevisionName(`${long}x`, 1)).not.toBe(graphRevisionName(`${long}y`, 1));
  });

  it('uses FNV-32a of the full name', () => {
    // fnv32a("a"*250) computed independently: offset basis 0x811c9dc5, prime 0x01000193.
    let h = 0x811c9dc5;
    for (let i = 0; i < 250; i++) h = Math.imul(h ^ 0x61, 0x01000193) >>> 0;
    expect(graphRevisionName('a'.repeat(250), 1).endsWith(h.toString(16).padStart(8, '0'))).toBe(true);
  });
});

describe('revisionsToPrune', () => {
  it('keeps the newest max revisions', () => {
    expect(revisionsToPrune([1, 2, 3, 4, 5, 6, 7], 5)).toEqual([1, 2]);
    expect(revisionsToPrune([7, 3, 9, 1], 2)).toEqual([1, 3]);
    expect(revisionsToPrune([1, 2, 3], 3)).toEqual([]);
    expect(revisionsToPrune([], 5)).toEqual([]);
  });

  it('keeps everything when max is zero or negative', () => {
    expect(revisionsToPrune([1, 2, 3], 0)).toEqual([]);
    expect(revisionsToPrune([1, 2, 3], -1)).toEqual([]);
  });
});
