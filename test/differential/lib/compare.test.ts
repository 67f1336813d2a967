// The differential tier's normalisation, comparison and allow-list on hand-made snapshots.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { ALLOW_LIST } from '../allow-list.js';
import { applyAllowList, compareSnapshots, formatDifferences } from './compare.js';
import type { Category, Snapshot } from './snapshot.js';

function snap(objs: { category: Category; obj: KubeObject }[]): Snapshot {
  return new Map(
    objs.map((o) => {
      const key = `${o.category} ${o.obj.apiVersion} ${o.obj.kind} ${o.obj.metadata.namespace ?? ''}/${o.obj.metadata.name}`;
      return [key, { ...o, key }];
    }),
  );
}

const instance = (uid: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'kro.run/v1alpha1',
  kind: 'DiffX',
  metadata: {
    name: 'x',
    namespace: 'diff-a',
    uid,
    resourceVersion: uid.slice(0, 3),
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  status: {
    state: 'ACTIVE',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-02T17:00:00Z' }],
  },
  ...extra,
});

const child = (uid: string, ownerUid: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'x-cm',
    namespace: 'diff-a',
    uid,
    labels: { 'kro.run/instance-id': ownerUid },
    ownerReferences: [{ apiVersion: 'kro.run/v1alpha1', kind: 'DiffX', name: 'x', uid: ownerUid }],
    managedFields: [{ manager: 'kro', operation: 'Apply', time: '2026-12-02T17:00:00Z' }],
  },
  data,
});

const U = (n: number): string => `0000000${n}-0000-4000-8000-00000000000${n}`;

describe('differential comparison', () => {
  it('maps uids to the object they name, drops volatile metadata and timestamps', () => {
    const a = snap([
      { category: 'instance', obj: instance(U(1)) },
      { category: 'child', obj: child(U(2), U(1), { k: 'v' }) },
    ]);
    const b = snap([
      { category: 'instance', obj: instance(U(3)) },
      { category: 'child', obj: child(U(4), U(3), { k: 'v' }) },
    ]);
    expect(compareSnapshots(a, b)).toEqual([]);
  });

  it('reports a changed value, a missing object and a kro-ts-only status field with both values', () => {
    const a = snap([
      { category: 'instance', obj: instance(U(1)) },
      { category: 'child', obj: child(U(2), U(1), { k: 'v' }) },
      {
        category: 'child',
        obj: { ...child(U(5), U(1), {}), metadata: { name: 'only-kro', namespace: 'diff-a' } },
      },
    ]);
    const b = snap([
      {
        category: 'instance',
        obj: instance(U(3), { status: { state: 'ACTIVE', observedGeneration: 1, conditions: [] } }),
      },
      { category: 'child', obj: child(U(4), U(3), { k: 'w' }) },
    ]);
    const diffs = compareSnapshots(a, b);
    expect(diffs.map((d) => `${d.path}|${d.kro}|${d.kroTs}`)).toEqual([
      '|<present>|undefined',
      'data.k|"v"|"w"',
      'status.conditions|undefined|[]',
      'status.conditions[type=Ready].lastTransitionTime|"<timestamp>"|undefined',
      'status.conditions[type=Ready].status|"True"|undefined',
      'status.conditions[type=Ready].type|"Ready"|undefined',
      'status.observedGeneration|undefined|1',
    ]);
    const verdict = applyAllowList(diffs, ALLOW_LIST);
    // Only observedGeneration is deliberate; the rest must fail the tier.
    expect(verdict.used.get('instance-status-observedGeneration-managedResources')).toBe(1);
    expect(verdict.unexplained).toHaveLength(6);
    expect(formatDifferences(verdict.unexplained)).toContain('data.k\n      kro:    "v"\n      kro-ts: "w"');
  });

  it("sorts CRD `required` lists (kro's order varies) but keeps other list orders", () => {
    const crd = (required: string[], list: string[]): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'diffxs.kro.run' },
      spec: { schema: { required, enum: list } },
    });
    const a = snap([{ category: 'crd', obj: crd(['b', 'a'], ['x', 'y']) }]);
    expect(compareSnapshots(a, snap([{ category: 'crd', obj: crd(['a', 'b'], ['x', 'y']) }]))).toEqual([]);
    expect(compareSnapshots(a, snap([{ category: 'crd', obj: crd(['a', 'b'], ['y', 'x']) }]))).toHaveLength(
      2,
    );
  });

  it('sorts status.resources[].dependencies by id (kro walks a Go map) but not topologicalOrder', () => {
    const rgd = (deps: string[], order: string[]): KubeObject => ({
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: 'diff-x' },
      status: { topologicalOrder: order, resources: [{ id: 'd', dependencies: deps.map((id) => ({ id })) }] },
    });
    const a = snap([{ category: 'rgd', obj: rgd(['c', 'a', 'b'], ['a', 'b']) }]);
    expect(compareSnapshots(a, snap([{ category: 'rgd', obj: rgd(['a', 'b', 'c'], ['a', 'b']) }]))).toEqual(
      [],
    );
    expect(
      compareSnapshots(a, snap([{ category: 'rgd', obj: rgd(['a', 'b', 'c'], ['b', 'a']) }])).map(
        (d) => d.path,
      ),
    ).toEqual(['status.topologicalOrder[0]', 'status.topologicalOrder[1]']);
  });

  it("allow-lists the escaped status property names of kro and kro-ts's owner references, nothing near them", () => {
    const d = (category: Category, path: string, kro: string | undefined, kroTs: string | undefined) => ({
      object: `${category} x`,
      category,
      kind: 'X',
      path,
      kro,
      kroTs,
    });
    const base =
      'spec.versions[name=v1].schema.openAPIV3Schema.properties.status.properties.pod.properties.metadata';
    const verdict = applyAllowList(
      [
        d('crd', `${base}.properties.__namespace__.type`, '"string"', undefined),
        d('crd', `${base}.properties.namespace.type`, undefined, '"string"'),
        d('crd', `${base}.properties.name.type`, undefined, '"string"'),
        d('child', 'metadata.ownerReferences[name=x].uid', undefined, '"<uid>"'),
        d('child', 'metadata.ownerReferences[name=x].uid', '"<uid>"', undefined),
      ],
      ALLOW_LIST,
    );
    expect(verdict.used.get('status-schema-cel-escaped-names')).toBe(2);
    expect(verdict.used.get('owner-references')).toBe(1);
    expect(verdict.unexplained.map((x) => `${x.path}|${x.kro}`)).toEqual([
      `${base}.properties.name.type|undefined`,
      'metadata.ownerReferences[name=x].uid|"<uid>"',
    ]);
  });
});
