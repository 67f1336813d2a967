import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { LineSplitter } from './watch.js';

describe('LineSplitter', () => {
  it('joins lines across chunks and keeps multi-byte characters whole', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\n{"c"', 'utf8');
    // Split inside the two-byte "é".
    const cut = bytes.indexOf(0xc3) + 1;
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"a":"é"}', '{"b":2}']);
    expect(s.push(Buffer.from(':3}\n'))).toEqual(['{"c":3}']);
    expect(s.flush()).toBe('');
  });
  it('returns an unterminated last line on flush', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('x'))).toEqual([]);
    expect(s.flush()).toBe('x');
  });
});

describe('Backoff', () => {
  it('doubles up to the cap with jitter in [d/2, d], and resets', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    b.reset();
    expect(b.next()).toBe(100);
    const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect(low.next()).toBe(50);
  });
});
