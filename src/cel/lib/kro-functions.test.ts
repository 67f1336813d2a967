import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../lib/errors.js';
import { OMIT } from './omit.js';
import { celEval, newTestEnv } from './test-env.js';

describe('kro functions (spec 03 §3.4 test vectors)', () => {
  it.each([
    ['random.seededString(10, "test-seed")', '5czheg3o5c'],
    ['random.seededString(12, "test-seed")', '5czheg3o5czh'],
    ['"%x".format([hash.fnv64a("hello")])', 'a430d84680aabd0b'],
  ])('%s = %s', (expr, want) => {
    expect(celEval(expr)).toBe(want);
  });

  it.each([
    ['random.seededInt(0, 100, "test-seed")', 56n],
    ['random.seededInt(30000, 32768, "my-service")', 31247n],
  ])('%s = %d', (expr, want) => {
    expect(celEval(expr)).toBe(want);
  });

  it("rejects bad arguments with kro's messages", () => {
    expect(() => celEval('random.seededString(0, "x")')).toThrow(
      'random.seededString length must be positive',
    );
    expect(() => celEval('random.seededInt(3, 3, "x")')).toThrow(
      'random.seededInt min must be less than max',
    );
    expect(() => celEval('lists.setAtIndex([1], 1, 2)')).toThrow(
      'lists.setAtIndex: index 1 out of bounds [0, 1)',
    );
    expect(() => celEval('lists.insertAtIndex([1], 2, 2)')).toThrow(
      'lists.insertAtIndex: index 2 out of bounds [0, 1]',
    );
    expect(() => celEval('lists.removeAtIndex([], 0)')).toThrow(
      'lists.removeAtIndex: index 0 out of bounds [0, 0)',
    );
    expect(() => celEval('json.unmarshal("{")')).toThrow(
      'json.unmarshal failed to parse JSON: unexpected end of JSON input',
    );
  });

  it('hashes to 8, 32 and 16 bytes', () => {
    expect((celEval('hash.fnv64a("x")') as Uint8Array).length).toBe(8);
    expect((celEval('hash.sha256("x")') as Uint8Array).length).toBe(32);
    expect((celEval('hash.md5("x")') as Uint8Array).length).toBe(16);
  });

  it('marshals like Go encoding/json', () => {
    expect(celEval('json.marshal({"b": [1, 2.5, 1e21], "a": b"hi", "<": duration("90m")})')).toBe(
      '{"\\u003c":"1h30m0s","a":"aGk=","b":[1,2.5,1e+21]}',
    );
    expect(celEval('json.marshal(timestamp("2024-01-02T03:04:05.9Z"))')).toBe('"2024-01-02T03:04:05Z"');
    expect(celEval('json.unmarshal("[1, 2]")')).toEqual([1, 2]);
  });

  it('merges shallowly and deeply', () => {
    expect(celEval('{"a": {"x": 1}, "b": 1}.merge({"a": {"y": 2}})')).toEqual({ a: { y: 2n }, b: 1n });
    expect(celEval('{"a": {"x": 1, "l": [1]}}.deepMerge({"a": {"y": 2, "l": [2]}})')).toEqual({
      a: { x: 1n, l: [2n], y: 2n },
    });
  });

  it('registers omit() only when enabled, returning the OMIT sentinel', () => {
    expect(celEval('omit()')).toBe(OMIT);
    expect(() => celEval('omit() == omit()')).toThrow('cannot be compared');
    expect(newTestEnv(false).check('omit()').valid).toBe(false);
  });

  it('keeps lists.range within the size bound', () => {
    expect(() => celEval('lists.range(200000)')).toThrow(BudgetExceededError);
    expect(() => celEval('lists.range(2000000)')).toThrow(
      'lists.range: size 2000000 exceeds maximum allowed (1000000)',
    );
  });
});
