// Table tests of the reference chain under a cursor (`|` marks it), as hover, completion and
// go-to-definition read it from mid-edit expression text.

import { describe, expect, it } from 'vitest';
import { chainAt, partialChainAt } from './reference-chain.js';

/** `|` marks the cursor. */
function split(marked: string): [string, number] {
  const at = marked.indexOf('|');
  return [marked.slice(0, at) + marked.slice(at + 1), at];
}

describe('chainAt', () => {
  it.each([
    ['schema.spec.va|lues.tag', ['schema', 'spec', 'values', 'tag'], 2],
    ['|schema.spec.name', ['schema', 'spec', 'name'], 0],
    [
      'deployment.status.conditions[0].ty|pe == "Ready"',
      ['deployment', 'status', 'conditions', 0, 'type'],
      4,
    ],
    ['x.?metadata.na|me', ['x', 'metadata', 'name'], 2],
    ['cm.data["app.kubernetes.io/name"].si|ze', ['cm', 'data', 'app.kubernetes.io/name', 'size'], 3],
    ['a + b.c|', ['b', 'c'], 1],
  ])('%s', (marked, names, at) => {
    const [expr, cursor] = split(marked);
    const chain = chainAt(expr, cursor);
    expect(chain?.segments.map((s) => s.name)).toEqual(names);
    expect(chain?.at).toBe(at);
  });

  it.each([['"schema.sp|ec"'], ['f(x).na|me'], ['1 +| 2']])('no chain: %s', (marked) => {
    const [expr, cursor] = split(marked);
    expect(chainAt(expr, cursor)).toBeUndefined();
  });
});

describe('partialChainAt', () => {
  it.each([
    ['schema.spec.|', ['schema', 'spec'], ''],
    ['schema.spec.va|', ['schema', 'spec'], 'va'],
    ['|', [], ''],
    ['de|', [], 'de'],
    ['size(conf|', [], 'conf'],
    ['each.status.?ready|', ['each', 'status'], 'ready'],
  ])('%s', (marked, parents, partial) => {
    const [expr, cursor] = split(marked);
    const p = partialChainAt(expr, cursor);
    expect(p?.parents.map((s) => s.name)).toEqual(parents);
    expect(p?.partial).toBe(partial);
  });

  it('offers nothing inside a string literal or after a call', () => {
    expect(partialChainAt('"schema.', 8)).toBeUndefined();
    expect(partialChainAt('f(x).', 5)).toBeUndefined();
  });
});
