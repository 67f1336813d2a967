// CRDs through src/kube: create from raw JSON, wait Established, custom resources and /status.
// The round trip proves raw JSON is kept: `default` and `x-kubernetes-*` survive, which
// client-node's typed serializer would have dropped.

import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { CRD_API_VERSION, CRD_KIND, ensureCrd, ensureCrdDetailed } from '../../../src/kube/index.js';
import { createTestNamespace, deleteAfter, getKube, uniqueGroup } from '../../harness/index.js';

let ns: string;
let group: string;

beforeAll(async () => {
  ns = await createTestNamespace('kube-crd');
  group = uniqueGroup('crd');
});

function widgetCrd(g: string, extraSpecField?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: CRD_API_VERSION,
    kind: CRD_KIND,
    metadata: { name: `widgets.${g}`, labels: { 'kro-ts.test/crd': 'true' } },
    spec: {
      group: g,
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    size: { type: 'integer', default: 3, minimum: 1 },
                    color: { type: 'string', default: 'blue' },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                    ...extraSpecField,
                  },
                },
                status: {
                  type: 'object',
                  properties: {
                    phase: { type: 'string' },
                    observed: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

type Props = Record<string, Record<string, unknown>>;

/** spec.versions[0].schema.openAPIV3Schema.properties.spec.properties of a stored CRD. */
function specProps(crd: KubeObject): Props {
  const spec = crd.spec as {
    versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: Props } } } } }[];
  };
  const v = spec.versions[0];
  if (!v) throw new Error('CRD has no versions');
  return v.schema.openAPIV3Schema.properties.spec.properties;
}

describe('CRDs and custom resources', () => {
  it('creates a CRD, waits for Established, and keeps default and x-kubernetes-* keywords', async () => {
    const { resources } = await getKube();
    const crd = widgetCrd(group);
    deleteAfter({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name: `widgets.${group}` });
    const stored = await ensureCrd(resources, crd, { timeoutMs: 30_000 });
    const conds = (stored.status as { conditions: { type: string; status: string }[] }).conditions;
    expect(conds).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));

    const fresh = await resources.get({
      apiVersion: CRD_API_VERSION,
      kind: CRD_KIND,
      name: `widgets.${group}`,
    });
    const props = specProps(fresh);
    expect(props.size?.default).toBe(3);
    expect(props.color?.default).toBe('blue');
    expect(props.extra?.['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(props.tags?.['x-kubernetes-list-type']).toBe('set');

    // Discovery sees the new kind right away.
    const m = await resources.mapping({ group, version: 'v1', kind: 'Widget' });
    expect(m.gvr.resource).toBe('widgets');
    expect(m.namespaced).toBe(true);
    expect(m.subresources).toContain('status');

    // Re-ensuring the same CRD writes nothing; a changed one is updated.
    const same = await ensureCrdDetailed(resources, widgetCrd(group));
    expect(same.action).toBe('unchanged');
    expect(same.crd.metadata.resourceVersion).toBe(fresh.metadata.resourceVersion);
    const { crd: updated, action } = await ensureCrdDetailed(
      resources,
      widgetCrd(group, { label: { type: 'string', default: 'none' } }),
    );
    expect(action).toBe('updated');
    const props2 = specProps(updated);
    expect(props2.label?.default).toBe('none');
  });

  it('creates a custom resource (defaults applied, unknown fields preserved) and writes /status', async () => {
    const { resources } = await getKube();
    // A CRD of its own: right after a CRD update the server swaps the kind's storage and briefly
    // answers 503 "apiserver is shutting down" for it (retryable; the controllers retry).
    const crGroup = uniqueGroup('cr');
    deleteAfter({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name: `widgets.${crGroup}` });
    await ensureCrd(resources, widgetCrd(crGroup));
    const apiVersion = `${crGroup}/v1`;
    const ref = { apiVersion, kind: 'Widget', namespace: ns, name: 'w1' };
    const created = await resources.create({
      apiVersion,
      kind: 'Widget',
      metadata: { name: 'w1', namespace: ns },
      spec: { extra: { anything: { nested: [1, 'two'] } }, tags: ['a'] },
    });
    expect(created.spec).toEqual({
      size: 3,
      color: 'blue',
      extra: { anything: { nested: [1, 'two'] } },
      tags: ['a'],
    });

    const patched = await resources.mergePatchStatus(ref, { status: { phase: 'Ready', observed: 1 } });
    expect(patched.status).toEqual({ phase: 'Ready', observed: 1 });

    // The status endpoint ignores spec changes, the main endpoint ignores status changes.
    const st = await resources.getStatus(ref);
    const replaced = await resources.replaceStatus({
      ...st,
      spec: { ...(st.spec as object), size: 99 },
      status: { phase: 'Degraded', observed: 2 },
    });
    expect(replaced.status).toEqual({ phase: 'Degraded', observed: 2 });
    expect((replaced.spec as { size: number }).size).toBe(3);

    const applied = await resources.applyStatus(
      { apiVersion, kind: 'Widget', metadata: { name: 'w1', namespace: ns }, status: { phase: 'Applied' } },
      { fieldManager: 'kro.run/status', force: true },
    );
    expect((applied.status as { phase: string }).phase).toBe('Applied');

    const main = await resources.mergePatch(ref, { status: { phase: 'Ignored' }, spec: { size: 5 } });
    expect((main.spec as { size: number }).size).toBe(5);
    expect((main.status as { phase: string }).phase).toBe('Applied');

    // A stale resourceVersion on the status PUT is a conflict.
    await expect(resources.replaceStatus({ ...st, status: { phase: 'Stale' } })).rejects.toMatchObject({
      code: 'Conflict',
      retryable: true,
    });
  });
});
