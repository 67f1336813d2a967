// The invariants of the fault-injection harness (hack/chaos/run.ts) and of the kill -9 e2e test
// (test/e2e/kill9.test.ts), for instances of an RGD whose resources are ConfigMaps and Services
// named `<instance>-<id>` and whose ConfigMap `config` carries `data.value = spec.value` (the chaos
// RGD also has `derived` = value + "-d", `extra`, and a Service `service`).

import type { Kube, KubeObject } from '../../src/kube/index.js';

export interface Verdict {
  /** Live instances not ACTIVE, or whose children or status do not match their latest spec. */
  unconverged: string[];
  /** Children whose instance (by name and uid) no longer exists. */
  orphans: string[];
  /** More than one child for one instance and node id. */
  duplicates: string[];
  /** Deleted instances still present. */
  stuck: string[];
}

export interface Expected {
  readonly ns: string;
  readonly instance: { readonly apiVersion: string; readonly kind: string };
  /** name → the spec.value last written. */
  readonly live: ReadonlyMap<string, string>;
  readonly deleted: ReadonlySet<string>;
  /** Node ids every instance has (default: the chaos RGD's four). */
  readonly nodes?: readonly string[];
}

export async function verdict(kube: Kube, e: Expected): Promise<Verdict> {
  const nodes = e.nodes ?? ['config', 'derived', 'extra', 'service'];
  const instances = await kube.resources.list({ ...e.instance, namespace: e.ns });
  const byName = new Map(instances.items.map((i) => [i.metadata.name ?? '', i]));
  const children = [
    ...(
      await kube.resources.list({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: e.ns,
        labelSelector: 'kro.run/owned=true',
      })
    ).items,
    ...(
      await kube.resources.list({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: e.ns,
        labelSelector: 'kro.run/owned=true',
      })
    ).items,
  ];
  const seen = new Map<string, number>();
  const childrenOf = new Map<string, Map<string, KubeObject>>();
  const orphans: string[] = [];
  for (const c of children) {
    const labels = c.metadata.labels ?? {};
    const inst = labels['kro.run/instance-name'] ?? '';
    const node = labels['kro.run/node-id'] ?? '';
    const key = `${inst}/${node}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (!byName.has(inst) || labels['kro.run/instance-id'] !== byName.get(inst)?.metadata.uid)
      orphans.push(`${c.kind}/${c.metadata.name}`);
    const m = childrenOf.get(inst) ?? new Map<string, KubeObject>();
    m.set(node, c);
    childrenOf.set(inst, m);
  }
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
  const unconverged: string[] = [];
  for (const [name, value] of e.live) {
    const i = byName.get(name);
    const status = (i?.['status'] ?? {}) as { state?: string; derived?: string };
    const kids = childrenOf.get(name);
    const data = (id: string): Record<string, string> =>
      (kids?.get(id)?.['data'] ?? {}) as Record<string, string>;
    let ok =
      i !== undefined &&
      i.metadata.deletionTimestamp === undefined &&
      status.state === 'ACTIVE' &&
      data('config')['value'] === value &&
      nodes.every((n) => kids?.has(n) === true);
    if (nodes.includes('derived'))
      ok &&= status.derived === `${value}-d` && data('derived')['value'] === `${value}-d`;
    if (!ok) unconverged.push(name);
  }
  const stuck = [...e.deleted].filter((n) => byName.has(n));
  return { unconverged, orphans, duplicates, stuck };
}
