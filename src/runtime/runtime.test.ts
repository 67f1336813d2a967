import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  applySetId,
  evaluateUserStatus,
  InstanceContext,
  instanceState,
  inventoryHash,
  managedResources,
  planNode,
  readInventory,
  applySetMetadata,
  resourcesReady,
  scalarReadiness,
} from './index.js';
import type { InstanceObject, NodePlan, NodeReport, RuntimeOptions } from './index.js';
import { compileRgd, rgdOf } from './test-fixtures.js';

const OPTIONS: RuntimeOptions = {
  timeoutMs: 0,
  maxCollectionSize: 3,
  ownerReferences: 'auto',
  kroVersion: '0.1.0',
};

const compile = compileRgd;

function fixture(name: string): unknown {
  return parse(
    readFileSync(fileURLToPath(new URL(`../../test/fixtures/graph/${name}`, import.meta.url)), 'utf8'),
  );
}

const rgd = rgdOf;

function instance(kind: string, spec: Record<string, unknown>, namespace = 'ns1'): InstanceObject {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind,
    metadata: { name: 'inst', namespace, uid: 'uid-1', generation: 1 },
    spec,
  } as InstanceObject;
}

const plan = (ctx: InstanceContext, id: string, states: Record<string, string> = {}): NodePlan =>
  planNode(ctx, {
    node: ctx.graph.nodesById.get(id)!,
    applySetId: 'applyset-x-v1',
    stateOf: (d) => states[d] as never,
  });

const frontendSpec = {
  name: 'web',
  namespace: 'develop',
  values: {
    configMap: { data: { API_HTTP_URL: 'http://api', TIME_ZONE: 'XXX/XXX' } },
    deployment: { image: 'nginx', tag: '1.27', replicas: 2 },
    service: { port: 3000, targetPort: 8080 },
  },
};

describe('rendering FrontendAppV2', () => {
  it('renders templates with values, labels, annotations and owner references', async () => {
    const g = await compile(fixture('frontend-app-v2.yaml'));
    const ctx = new InstanceContext(g, instance('FrontendAppV2', frontendSpec, 'develop'), OPTIONS);
    const cm = plan(ctx, 'configMap');
    expect(cm.kind).toBe('apply');
    if (cm.kind !== 'apply') return;
    const obj = cm.objects[0]!.object;
    expect(obj.metadata.name).toBe('web-config');
    expect(obj['data']).toEqual({ API_HTTP_URL: 'http://api', TIME_ZONE: 'XXX/XXX' });
    expect(obj.metadata.labels).toMatchObject({
      'kro.run/owned': 'true',
      'kro.run/instance-id': 'uid-1',
      'kro.run/instance-name': 'inst',
      'kro.run/instance-namespace': 'develop',
      'kro.run/node-id': 'configMap',
      'app.kubernetes.io/managed-by': 'kro',
      'applyset.kubernetes.io/part-of': 'applyset-x-v1',
      'kro.run/instance-kind': 'FrontendAppV2',
    });
    expect(obj.metadata.annotations).toEqual({ 'internal.kro.run/apply-order': '1' });
    // The deployment depends on the configMap: render it once configMap is observed.
    ctx.observe(g.nodesById.get('configMap')!, obj);
    const dep = plan(ctx, 'deployment', { configMap: 'SYNCED' });
    if (dep.kind !== 'apply') throw new Error('expected apply');
    const d = dep.objects[0]!.object;
    expect(d).toMatchObject({
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{ image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'web-config' } }] }],
          },
        },
      },
    });
    // Readiness: availableReplicas missing → pending; equal → synced.
    const node = g.nodesById.get('deployment')!;
    expect(scalarReadiness(ctx, node, d as never)).toMatchObject({
      state: 'WAITING_FOR_READINESS',
      reason: 'ReadyWhenPending',
    });
    expect(scalarReadiness(ctx, node, { ...d, status: { availableReplicas: 1 } } as never)).toMatchObject({
      state: 'WAITING_FOR_READINESS',
      reason: 'ReadyWhenFalse',
      message: 'readyWhen[0] "${deployment.status.availableReplicas == deployment.spec.replicas}" is false',
    });
    expect(scalarReadiness(ctx, node, { ...d, status: { availableReplicas: 2 } } as never).state).toBe(
      'SYNCED',
    );
  });

  it('evaluates iterator-free expressions once per reconcile', async () => {
    const g = await compile(fixture('frontend-app-v2.yaml'));
    const ctx = new InstanceContext(g, instance('FrontendAppV2', frontendSpec, 'develop'), OPTIONS);
    plan(ctx, 'configMap');
    const after = ctx.evaluations;
    plan(ctx, 'configMap');
    expect(ctx.evaluations).toBe(after);
  });
});

const cmTemplate = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  ...extra,
});

describe('includeWhen, forEach and errors', () => {
  it('skips, cascades, and reports includeWhen errors with the expression', async () => {
    const g = await compile(
      rgd('Thing', { on: 'boolean', n: 'integer | default=0' }, [
        { id: 'a', includeWhen: ['${schema.spec.on}'], template: cmTemplate('a') },
        { id: 'b', template: cmTemplate('${a.metadata.name}-b') },
        { id: 'c', includeWhen: ['${10 / schema.spec.n > 1}'], template: cmTemplate('c') },
      ]),
    );
    const ctx = new InstanceContext(g, instance('Thing', { on: false, n: 0 }), OPTIONS);
    expect(plan(ctx, 'a')).toEqual({
      kind: 'outcome',
      outcome: {
        state: 'SKIPPED',
        reason: 'IncludeWhenFalse',
        message: 'includeWhen[0] "${schema.spec.on}" is false',
      },
    });
    expect(plan(ctx, 'b', { a: 'SKIPPED' })).toEqual({
      kind: 'outcome',
      outcome: { state: 'SKIPPED', reason: 'DependencySkipped', message: 'dependency "a" is skipped' },
    });
    const c = plan(ctx, 'c');
    expect(c.kind === 'outcome' && c.outcome.state).toBe('ERROR');
    expect(c.kind === 'outcome' && c.outcome.reason).toBe('IncludeWhenError');
    expect(c.kind === 'outcome' && c.outcome.message).toMatch(
      /^node "c" includeWhen\[0\] "\$\{10 \/ schema.spec.n > 1\}": /,
    );
  });

  it('reports a missing instance field as data pending with a hint', async () => {
    const g = await compile(
      rgd('Thing', { host: 'string' }, [{ id: 'a', template: cmTemplate('${schema.spec.host}') }]),
    );
    const ctx = new InstanceContext(g, instance('Thing', {}), OPTIONS);
    const p = plan(ctx, 'a');
    expect(p).toMatchObject({ kind: 'outcome', outcome: { state: 'IN_PROGRESS', reason: 'DataPending' } });
    expect(p.kind === 'outcome' && p.outcome.message).toContain(
      'schema.spec.host is not set on the instance',
    );
  });

  it('expands forEach as a cartesian product, first dimension outermost, with a size limit', async () => {
    const g = await compile(
      rgd('Thing', { xs: '[]string', ys: '[]string' }, [
        {
          id: 'cms',
          forEach: [{ x: '${schema.spec.xs}' }, { y: '${schema.spec.ys}' }],
          template: cmTemplate('${x}-${y}'),
        },
      ]),
    );
    const ok = new InstanceContext(g, instance('Thing', { xs: ['a', 'b'], ys: ['1'] }), OPTIONS);
    const p = plan(ok, 'cms');
    if (p.kind !== 'apply') throw new Error('expected apply');
    expect(p.objects.map((o) => o.object.metadata.name)).toEqual(['a-1', 'b-1']);
    expect(p.objects[1]!.object.metadata.labels).toMatchObject({
      'kro.run/collection-index': '1',
      'kro.run/collection-size': '2',
    });
    const big = new InstanceContext(g, instance('Thing', { xs: ['a', 'b'], ys: ['1', '2'] }), OPTIONS);
    expect(plan(big, 'cms')).toEqual({
      kind: 'outcome',
      outcome: {
        state: 'ERROR',
        reason: 'CollectionTooLarge',
        message: 'collection size of 4 is over the maximum collection size of 3',
      },
    });
    const dup = new InstanceContext(g, instance('Thing', { xs: ['a', 'a'], ys: ['1'] }), OPTIONS);
    expect(plan(dup, 'cms')).toMatchObject({ kind: 'outcome', outcome: { reason: 'IdentityCollision' } });
  });

  it('evaluates user status softly', async () => {
    const g = await compile(
      rgd('Thing', { n: 'integer' }, [{ id: 'a', template: cmTemplate('a') }], {
        status: { name: '${a.metadata.name}', bad: '${10 / schema.spec.n}', missing: '${a.data.nope}' },
      }),
    );
    const ctx = new InstanceContext(g, instance('Thing', { n: 0 }), OPTIONS);
    ctx.observe(g.nodesById.get('a')!, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const s = evaluateUserStatus(ctx);
    expect(s.fields).toEqual({ name: 'a' });
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatch(/^status field "bad" expression "10 \/ schema.spec.n": /);
  });
});

describe('ApplySet formulas', () => {
  it('computes id, hash and validates', () => {
    const id = applySetId({ name: 'inst', namespace: 'ns1', kind: 'Thing', group: 'kro.run' });
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    const inv = { groupKinds: ['ConfigMap', 'Deployment.apps'], namespaces: [] };
    const md = applySetMetadata(id, inv);
    expect(md.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Deployment.apps');
    // kro v0.9.4's tooling value, so the parent's annotation does not change between kro and kro-ts
    expect(md.annotations['applyset.kubernetes.io/tooling']).toBe('kro/v0.9.4');
    expect(readInventory(md, id)).toEqual({ ok: true, inventory: inv });
    expect(readInventory({ ...md, labels: { 'applyset.kubernetes.io/id': 'x' } }, id)).toEqual({
      ok: false,
      message: `invalid applyset.kubernetes.io/id label: got "x", want "${id}"`,
    });
    const bad = {
      ...md,
      annotations: { ...md.annotations, 'internal.kro.run/applyset-inventory-hash': 'sha256:x' },
    };
    expect(readInventory(bad, id)).toEqual({
      ok: false,
      message: `invalid internal.kro.run/applyset-inventory-hash annotation: got "sha256:x", want "${inventoryHash(id, inv)}"`,
    });
    const tooling = {
      ...md,
      annotations: { ...md.annotations, 'applyset.kubernetes.io/tooling': 'kubectl/1' },
    };
    expect(readInventory(tooling, id)).toMatchObject({
      ok: false,
      message: 'invalid applyset.kubernetes.io/tooling annotation: "kubectl/1" is not owned by kro',
    });
  });
});

describe('status summary', () => {
  it('orders details topologically, prefers errors and caps messages at 1024 characters', async () => {
    const g = await compile(fixture('frontend-app-v2.yaml'));
    const reports = new Map<string, NodeReport>([
      ['configMap', { id: 'configMap', state: 'SYNCED', reason: 'Ready', message: '' }],
      [
        'deployment',
        {
          id: 'deployment',
          state: 'WAITING_FOR_READINESS',
          reason: 'ReadyWhenFalse',
          message: 'x'.repeat(2000),
        },
      ],
      ['service', { id: 'service', state: 'SYNCED', reason: 'Ready', message: '' }],
    ]);
    const rr = resourcesReady(g, reports);
    expect(rr.status).toBe('False');
    expect(rr.message.startsWith('awaiting resource readiness: node "deployment": xxx')).toBe(true);
    expect(rr.message.length).toBeLessThanOrEqual(1024 + 'awaiting resource readiness: '.length);
    reports.set('service', { id: 'service', state: 'ERROR', reason: 'ApplyFailed', message: 'denied' });
    expect(resourcesReady(g, reports).message).toBe('resource error: node "service": denied');
    expect(instanceState({ ready: false, reports: reports.values(), statusError: false })).toBe('ERROR');
    const mr = managedResources(g, reports, 500);
    expect(mr.map((e) => [e.id, e.state])).toEqual([
      ['configMap', 'SYNCED'],
      ['deployment', 'WAITING_FOR_READINESS'],
      ['service', 'ERROR'],
    ]);
    expect(mr[1]!.message!.length).toBe(1024);
  });
});
