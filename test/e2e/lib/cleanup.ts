// Per-scenario cleanup, in the order a user would tear down: instances of the scenario's generated
// kinds (the operator deletes their children and removes its finalizer), then the RGDs, then
// their CRDs (kept on RGD deletion by default), then the namespace. Problems are collected and
// returned, not thrown, so one stuck object does not leave the rest behind.

import type { Kube, KubeObject, ObjectRef } from '../../../src/kube/index.js';
import { isNotFound } from '../../../src/kube/index.js';
import { eventually } from '../../harness/index.js';
import { generatedCrds } from './scenario.js';

async function deleteAndWait(kube: Kube, ref: ObjectRef, timeoutMs: number): Promise<string | undefined> {
  try {
    await kube.resources.delete(ref, { propagationPolicy: 'Background' });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    return `delete ${ref.kind} ${ref.name}: ${String(e)}`;
  }
  try {
    await eventually(
      async () => {
        if (await kube.resources.tryGet(ref)) throw new Error('still there');
      },
      { timeoutMs, intervalMs: 250 },
    );
    return undefined;
  } catch {
    // Stuck (finalizer never removed): force it so the next scenario starts clean, and report it.
    await kube.resources.mergePatch(ref, { metadata: { finalizers: null } }).catch(() => undefined);
    return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} was not deleted within ${timeoutMs}ms (finalizers removed by the test)`;
  }
}

function crdInstanceRef(crd: KubeObject): { apiVersion: string; kind: string } {
  const spec = crd['spec'] as {
    group: string;
    names: { kind: string };
    versions: { name: string; storage?: boolean }[];
  };
  const version = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name ?? 'v1alpha1';
  return { apiVersion: `${spec.group}/${version}`, kind: spec.names.kind };
}

export async function cleanupScenario(opts: {
  kube: Kube;
  rgds: Iterable<string>;
  namespace: string;
  timeoutMs?: number;
}): Promise<string[]> {
  const { kube } = opts;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const problems: string[] = [];
  const crds: KubeObject[] = [];
  for (const rgd of opts.rgds) crds.push(...(await generatedCrds(kube, rgd)));
  for (const crd of crds) {
    const gk = crdInstanceRef(crd);
    const list = await kube.resources.list(gk).catch(() => ({ items: [] as KubeObject[] }));
    const results = await Promise.all(
      list.items.map((i) =>
        deleteAndWait(
          kube,
          {
            ...gk,
            name: i.metadata.name ?? '',
            ...(i.metadata.namespace ? { namespace: i.metadata.namespace } : {}),
          },
          timeoutMs,
        ),
      ),
    );
    problems.push(...results.filter((p): p is string => p !== undefined));
  }
  for (const rgd of opts.rgds) {
    const p = await deleteAndWait(
      kube,
      { apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition', name: rgd },
      timeoutMs,
    );
    if (p) problems.push(p);
  }
  for (const crd of crds) {
    const p = await deleteAndWait(
      kube,
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: crd.metadata.name ?? '',
      },
      timeoutMs,
    );
    if (p) problems.push(p);
  }
  await kube.resources
    .delete(
      { apiVersion: 'v1', kind: 'Namespace', name: opts.namespace },
      { propagationPolicy: 'Background' },
    )
    .catch(() => undefined);
  return problems;
}
