// GraphRevisions (kro v0.9.4): one immutable internal.kro.run snapshot per accepted spec, named
// <rgd>-r00001…, numbered past lastIssuedRevision; retention by --rgd-max-graph-revisions;
// instances are served from the newest accepted revision, and a rejected spec issues none.

import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphRevision } from '../../../src/api/graph-revision.js';
import { graphRevisionHash } from '../../../src/controller/rgd/revision-hash.js';
import { createTestNamespace, eventually, getKube, uniqueGroup } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import { condition, createRgd, deleteCrdAfter, getRgd, rgdObject, RGD_REF } from './helpers.js';

const GR = { apiVersion: 'internal.kro.run/v1alpha1', kind: 'GraphRevision' } as const;

let op: TestOperator;

beforeAll(async () => {
  op = await startTestOperator();
});

async function revisions(rgdName: string): Promise<GraphRevision[]> {
  const kube = await getKube();
  const list = await kube.resources.list({ ...GR, fieldSelector: `spec.snapshot.name=${rgdName}` });
  return (list.items as unknown as GraphRevision[])
    .filter((g) => g.metadata.deletionTimestamp === undefined)
    .sort((a, b) => a.spec.revision - b.spec.revision);
}

const cmResource = (value: string) => ({
  id: 'cm',
  template: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: '${schema.metadata.name}' },
    data: { value, name: '${schema.spec.name}' },
  },
});

async function setResources(name: string, resources: unknown[]): Promise<void> {
  const kube = await getKube();
  await kube.resources.mergePatch({ ...RGD_REF, name }, { spec: { resources } });
}

async function waitRevision(name: string, revision: number): Promise<void> {
  await eventually(
    async () => {
      const r = await getRgd(name);
      expect(condition(r, 'GraphAccepted')).toMatchObject({
        status: 'True',
        observedGeneration: r.metadata.generation,
      });
      expect(condition(r, 'GraphRevisionsResolved')?.message).toBe(
        `revision ${revision} compiled and active`,
      );
      expect(r.status?.lastIssuedRevision).toBe(revision);
    },
    { timeoutMs: 30_000, description: `revision ${revision} active` },
  );
}

async function configMapData(ns: string, name: string): Promise<Record<string, string> | undefined> {
  const kube = await getKube();
  const cm = await kube.resources.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });
  return cm?.['data'] as Record<string, string> | undefined;
}

describe('GraphRevisions', () => {
  it('snapshots each accepted spec and serves instances from the newest revision', async () => {
    const group = uniqueGroup('gr');
    deleteCrdAfter(`apps.${group}`);
    const ns = await createTestNamespace('gr');
    const name = await createRgd(rgdObject({ labels: op.labels(), group, resources: [cmResource('v1')] }));
    await waitRevision(name, 1);
    const rgd = await getRgd(name);

    const [first] = await revisions(name);
    expect(first?.metadata.name).toBe(`${name}-r00001`);
    expect(first?.metadata.labels).toMatchObject({
      'kro.run/owned': 'true',
      'kro.run/resource-graph-definition-name': name,
      'kro.run/graph-revision-hash': graphRevisionHash(rgd.spec),
    });
    expect(first?.metadata.labels?.['kro.run/kro-version']).toBeTruthy();
    expect(first?.metadata.finalizers).toEqual(['kro.run/finalizer']);
    expect(first?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ResourceGraphDefinition',
        name,
        uid: rgd.metadata.uid,
        controller: true,
      },
    ]);
    expect(first?.spec).toEqual({ revision: 1, snapshot: { name, generation: 1, spec: rgd.spec } });
    const conds = first?.status?.conditions ?? [];
    expect(conds.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['GraphVerified', 'True', 'Verified'],
      ['Ready', 'True', 'Ready'],
    ]);
    expect(conds[0]?.message).toBe('graph revision compiled and verified');
    expect(first?.status?.topologicalOrder).toEqual(['cm']);

    // The spec is immutable on the API server.
    const kube = await getKube();
    await expect(
      kube.resources.mergePatch({ ...GR, name: `${name}-r00001` }, { spec: { revision: 9 } }),
    ).rejects.toThrow(/spec is immutable/u);

    const instance = { apiVersion: `${group}/v1alpha1`, kind: 'App', namespace: ns, name: 'one' };
    await kube.resources.create({
      ...instance,
      metadata: { name: 'one', namespace: ns },
      spec: { name: 'a' },
    });
    await eventually(async () => expect((await configMapData(ns, 'one'))?.['value']).toBe('v1'), {
      timeoutMs: 30_000,
      description: 'child from revision 1',
    });

    // A valid change issues revision 2; the instance moves to it.
    await setResources(name, [cmResource('v2')]);
    await waitRevision(name, 2);
    const two = await revisions(name);
    expect(two.map((g) => g.spec.revision)).toEqual([1, 2]);
    expect(two[1]?.spec.snapshot.generation).toBe(2);
    expect(two[1]?.metadata.labels?.['kro.run/graph-revision-hash']).toBe(
      graphRevisionHash((await getRgd(name)).spec),
    );
    await eventually(async () => expect((await configMapData(ns, 'one'))?.['value']).toBe('v2'), {
      timeoutMs: 30_000,
      description: 'child from revision 2',
    });

    // A rejected change issues nothing; revision 2 keeps serving (a spec edit of the instance
    // is still applied with revision 2's template).
    await setResources(name, [cmResource('${nope.value}')]);
    await eventually(
      async () => {
        const r = await getRgd(name);
        expect(condition(r, 'GraphAccepted')).toMatchObject({ status: 'False', observedGeneration: 3 });
      },
      { timeoutMs: 30_000, description: 'rejected' },
    );
    await kube.resources.mergePatch(instance, { spec: { name: 'b' } });
    await eventually(
      async () => expect(await configMapData(ns, 'one')).toMatchObject({ value: 'v2', name: 'b' }),
      { timeoutMs: 30_000, description: 'revision 2 still serves' },
    );
    expect((await revisions(name)).map((g) => g.spec.revision)).toEqual([1, 2]);
    expect(condition(await getRgd(name), 'GraphRevisionsResolved')?.message).toBe(
      'revision 2 compiled and active',
    );

    // Going back to an earlier spec is a new revision (numbers only grow).
    await setResources(name, [cmResource('v1')]);
    await waitRevision(name, 3);
    expect((await revisions(name)).map((g) => g.spec.revision)).toEqual([1, 2, 3]);
    await eventually(async () => expect((await configMapData(ns, 'one'))?.['value']).toBe('v1'), {
      timeoutMs: 30_000,
    });
  });

  it('re-issues a deleted newest revision under the next number', async () => {
    const group = uniqueGroup('grdel');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(rgdObject({ labels: op.labels(), group, resources: [cmResource('a')] }));
    await waitRevision(name, 1);
    const kube = await getKube();
    await kube.resources.delete({ ...GR, name: `${name}-r00001` });
    await waitRevision(name, 2);
    await eventually(
      async () => {
        const names = (await revisions(name)).map((g) => g.metadata.name);
        expect(names).toEqual([`${name}-r00002`]);
        expect(await kube.resources.tryGet({ ...GR, name: `${name}-r00001` })).toBeUndefined();
      },
      { timeoutMs: 30_000, description: 'r00001 released and gone' },
    );
  });
});

describe('GraphRevision retention', () => {
  it('keeps the newest --rgd-max-graph-revisions revisions', async () => {
    const small = await startTestOperator({ flags: ['--rgd-max-graph-revisions=2'] });
    const group = uniqueGroup('grkeep');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(rgdObject({ labels: small.labels(), group, resources: [cmResource('0')] }));
    await waitRevision(name, 1);
    for (const n of [2, 3, 4]) {
      await setResources(name, [cmResource(String(n))]);
      await waitRevision(name, n);
    }
    const kube = await getKube();
    await eventually(
      async () => {
        expect((await revisions(name)).map((g) => g.spec.revision)).toEqual([3, 4]);
        for (const n of [1, 2]) {
          expect(await kube.resources.tryGet({ ...GR, name: `${name}-r0000${n}` })).toBeUndefined();
        }
      },
      { timeoutMs: 30_000, description: 'oldest revisions deleted' },
    );
    expect((await getRgd(name)).status?.lastIssuedRevision).toBe(4);
  });

  it('keeps every revision when the flag is 0', async () => {
    const all = await startTestOperator({ flags: ['--rgd-max-graph-revisions=0'] });
    const group = uniqueGroup('grall');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(rgdObject({ labels: all.labels(), group, resources: [cmResource('0')] }));
    await waitRevision(name, 1);
    for (const n of [2, 3, 4, 5, 6, 7]) {
      await setResources(name, [cmResource(String(n))]);
      await waitRevision(name, n);
    }
    expect((await revisions(name)).map((g) => g.spec.revision)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps five by default', async () => {
    expect(op.config.rgdMaxGraphRevisions).toBe(5);
    const group = uniqueGroup('grfive');
    deleteCrdAfter(`apps.${group}`);
    const name = await createRgd(rgdObject({ labels: op.labels(), group, resources: [cmResource('0')] }));
    await waitRevision(name, 1);
    for (const n of [2, 3, 4, 5, 6, 7]) {
      await setResources(name, [cmResource(String(n))]);
      await waitRevision(name, n);
    }
    await eventually(
      async () => expect((await revisions(name)).map((g) => g.spec.revision)).toEqual([3, 4, 5, 6, 7]),
      { timeoutMs: 30_000 },
    );
  });
});
