// The pure parts of the instance reconciler: the suspension annotation, prune ordering, the
// deletion wave of a member, canonical status comparison, managedFields ownership, managed labels
// and bounded concurrency (the I/O around them is covered by test/integration/instance).

import { describe, expect, it } from 'vitest';
import type { RuntimeObject } from '../../runtime/index.js';
import { mapConcurrent } from './concurrency.js';
import { applyOrderOf } from './deletion.js';
import { canonicalJson, managedLabels, ownedBy } from './instance-io.js';
import type { Member } from './members.js';
import { pruneGroups } from './prune.js';
import { isSuspended } from './reconcile.js';

const member = (name: string, nodeId?: string): Member => ({
  object: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(nodeId ? { labels: { 'kro.run/node-id': nodeId } } : {}) },
  } as RuntimeObject,
  namespaced: true,
});

describe('isSuspended', () => {
  it.each([
    ['suspended', true],
    ['Disabled', true],
    ['SUSPENDED', true],
    ['enabled', false],
    ['', false],
    [undefined, false],
  ])('kro.run/reconcile=%j → %s', (value, want) => {
    const annotations = value === undefined ? {} : { 'kro.run/reconcile': value };
    expect(isSuspended({ apiVersion: 'x/v1', kind: 'X', metadata: { annotations } })).toBe(want);
  });
});

describe('pruneGroups', () => {
  it('deletes orphans first, then dependents before their dependencies', () => {
    const order = ['config', 'deployment', 'service'];
    const groups = pruneGroups(
      [member('c1', 'config'), member('s1', 'service'), member('gone', 'removed'), member('s2', 'service')],
      order,
    );
    expect(groups.map((g) => g.map((m) => m.object.metadata.name))).toEqual([['gone'], ['s1', 's2'], ['c1']]);
  });

  it('treats an unlabelled member as an orphan', () => {
    expect(pruneGroups([member('a', 'config'), member('x')], ['config']).map((g) => g.length)).toEqual([
      1, 1,
    ]);
    expect(pruneGroups([], ['config'])).toEqual([]);
  });
});

describe('applyOrderOf', () => {
  it.each([
    ['3', 3],
    ['1', 1],
    ['0', 0],
    ['-2', 0],
    ['1.5', 0],
    ['x', 0],
    [undefined, 0],
  ])('internal.kro.run/apply-order=%j → %d', (value, want) => {
    const annotations = value === undefined ? {} : { 'internal.kro.run/apply-order': value };
    expect(applyOrderOf({ metadata: { annotations } })).toBe(want);
  });
});

describe('canonicalJson and ownedBy', () => {
  it('ignores key order and compares whole doubles as integers', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 3.0 } })).toBe(
      canonicalJson({ a: { c: 3, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson(undefined)).toBe('{}');
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });

  it('finds a field manager in managedFields', () => {
    const obj = { metadata: { managedFields: [{ manager: 'kro' }, { manager: 'kubectl' }] } };
    expect(ownedBy(obj, 'kubectl')).toBe(true);
    expect(ownedBy(obj, 'other')).toBe(false);
    expect(ownedBy({ metadata: {} }, 'kro')).toBe(false);
    expect(ownedBy({ metadata: { managedFields: [null] } }, 'kro')).toBe(false);
  });
});

describe('managedLabels', () => {
  it('labels the instance as owned by the RGD', () => {
    expect(managedLabels({ rgdUid: 'uid-1', rgdName: 'web', kroVersion: '0.1.0' })).toMatchObject({
      'kro.run/owned': 'true',
      'kro.run/resource-graph-definition-id': 'uid-1',
      'kro.run/resource-graph-definition-name': 'web',
    });
  });
});

describe('mapConcurrent', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapConcurrent(
      [5, 1, 4, 2, 3],
      async (n, i) => {
        running++;
        peak = Math.max(peak, running);
        for (let k = 0; k < n; k++) await Promise.resolve();
        running--;
        return `${i}:${n}`;
      },
      2,
    );
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(peak).toBe(2);
    expect(await mapConcurrent([], async () => 1)).toEqual([]);
  });
});
