// Issue 14: Established=True comes before the API server's discovery documents list the new kind
// (its discovery controller runs asynchronously), so a request by kind right after "established"
// failed now and then with NoKindMatch (CI: markers.test.ts). waitForCrdEstablished (used by the
// RGD controller and ensureCrd) now returns only once discovery serves every served version.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/index.js';
import { CRD_API_VERSION, CRD_KIND, ensureCrd } from '../../../src/kube/index.js';
import { createTestNamespace, deleteAfter, getKube, uniqueGroup } from '../../harness/index.js';

function crd(group: string): KubeObject {
  return {
    apiVersion: CRD_API_VERSION,
    kind: CRD_KIND,
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
      scope: 'Namespaced',
      versions: ['v1', 'v2'].map((name) => ({
        name,
        served: true,
        storage: name === 'v1',
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      })),
    },
  };
}

describe('CRD established → discovery serves the kind', () => {
  it('every served version is listed in raw discovery the moment ensureCrd returns (12 CRDs at once)', async () => {
    const kube = await getKube();
    const ns = await createTestNamespace('crd-race');
    const groups = Array.from({ length: 12 }, () => uniqueGroup('race'));
    const results = await Promise.all(
      groups.map(async (group) => {
        const stored = await ensureCrd(kube.resources, crd(group), { timeoutMs: 60_000 });
        deleteAfter({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name: stored.metadata.name ?? '' });
        // Raw discovery (no client cache), then a create by kind through a fresh resolution.
        const listed = await Promise.all(
          ['v1', 'v2'].map(async (v) => {
            const doc = await kube.client.request<{ resources?: { kind: string }[] }>({
              method: 'GET',
              path: `/apis/${group}/${v}`,
            });
            return (doc.resources ?? []).some((r) => r.kind === 'Gadget');
          }),
        );
        kube.discovery.invalidateGroup(group);
        const created = await kube.resources.create({
          apiVersion: `${group}/v2`,
          kind: 'Gadget',
          metadata: { name: 'g', namespace: ns },
        });
        return { listed, created: created.metadata.uid !== undefined };
      }),
    );
    expect(results).toEqual(groups.map(() => ({ listed: [true, true], created: true })));
  });
});
