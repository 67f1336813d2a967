// Shared helpers of the collection tests: ConfigMap templates, instance creation and spec
// updates, listing a collection's items by their labels, reading managedResources.

import type { ResourceGraphDefinition } from '../../../src/api/rgd.js';
import type { KubeObject } from '../../../src/kube/index.js';
import type { InstanceEnv } from '../instance/env.js';
import { statusOf } from '../instance/env.js';

export type Entry = Record<string, string>;

export function configMap(name: string, data: Record<string, string> = {}, namespace?: string): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    data,
  };
}

export function rgd(
  kind: string,
  spec: Record<string, string>,
  resources: unknown[],
  status?: Record<string, unknown>,
): ResourceGraphDefinition {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: kind.toLowerCase() },
    spec: {
      schema: { apiVersion: 'v1alpha1', kind, spec, ...(status ? { status } : {}) },
      resources,
    },
  } as unknown as ResourceGraphDefinition;
}

export async function createInstance(
  env: InstanceEnv,
  opts: { name: string; namespace: string; spec: Record<string, unknown> },
): Promise<void> {
  await env.kube.resources.create({
    ...env.ref(opts.name, opts.namespace),
    metadata: { name: opts.name, namespace: opts.namespace },
    spec: opts.spec,
  } as KubeObject);
}

/** Merges `spec` into the instance's spec (a new generation). */
export async function updateSpec(
  env: InstanceEnv,
  opts: { name: string; namespace: string; spec: Record<string, unknown> },
): Promise<void> {
  await env.kube.resources.mergePatch(env.ref(opts.name, opts.namespace), { spec: opts.spec });
}

export function entries(inst: KubeObject): Entry[] {
  return (statusOf(inst)['managedResources'] ?? []) as Entry[];
}

/** The node entry (no name) and the item entries of one node, in status order. */
export function nodeEntries(inst: KubeObject, id: string): { head: Entry | undefined; items: Entry[] } {
  const all = entries(inst).filter((e) => e['id'] === id);
  return {
    head: all.find((e) => e['name'] === undefined),
    items: all.filter((e) => e['name'] !== undefined),
  };
}

/** Items of a collection node of an instance, found by their labels across all namespaces. */
export async function listItems(
  env: InstanceEnv,
  instance: KubeObject,
  nodeId: string,
): Promise<KubeObject[]> {
  const list = await env.kube.resources.list({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    labelSelector: `kro.run/instance-id=${instance.metadata.uid ?? ''},kro.run/node-id=${nodeId}`,
  });
  return list.items;
}

export function label(o: KubeObject, key: string): string | undefined {
  return o.metadata.labels?.[key];
}

export const itemNames = (items: readonly KubeObject[]): string[] =>
  items.map((o) => o.metadata.name ?? '').sort();

export function stateOf(inst: KubeObject): unknown {
  return statusOf(inst)['state'];
}
