// Shared bits of the operator-level tests: an RGD handled by a test operator (created, Active,
// its CRD removed afterwards), instances of its kind, and readers for status and Events.

import type { KubeObject } from '../../../src/kube/index.js';
import { pluralize } from '../../../src/crd/pluralize.js';
import { deleteAfter, eventually, getKube, uniqueGroup, uniqueName } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { createRgd, deleteCrdAfter, getRgd, RGD_REF } from '../rgd/helpers.js';

export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly group: string;
  readonly rgdName: string;
}

export interface RgdSpec {
  readonly kind: string;
  readonly spec: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
  readonly resources: unknown[];
  /** The instance API group; default a unique one under kro-ts.test. */
  readonly group?: string;
}

/** Creates the RGD for `op`, in an API group of its own, and waits until it is Active. */
export async function createActiveRgd(op: TestOperator, input: RgdSpec): Promise<KindRef> {
  const group = input.group ?? uniqueGroup('op');
  const plural = pluralize(input.kind.toLowerCase());
  deleteCrdAfter(`${plural}.${group}`);
  const rgdName = await createRgd({
    ...RGD_REF,
    metadata: { name: uniqueName(input.kind), labels: op.labels() },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind: input.kind,
        group,
        spec: input.spec,
        ...(input.status ? { status: input.status } : {}),
      },
      resources: input.resources,
    },
  });
  await eventually(
    async () => {
      const r = await getRgd(rgdName);
      if (r.status?.state !== 'Active') throw new Error(`RGD state ${String(r.status?.state)}`);
    },
    { timeoutMs: 30_000, description: `RGD ${rgdName} Active` },
  );
  return { apiVersion: `${group}/v1alpha1`, kind: input.kind, plural, group, rgdName };
}

export function instanceRef(
  kind: KindRef,
  name: string,
  namespace: string,
): { apiVersion: string; kind: string; name: string; namespace: string } {
  return { apiVersion: kind.apiVersion, kind: kind.kind, name, namespace };
}

/** Creates an instance; it is deleted after the test. */
export async function createInstance(
  kind: KindRef,
  input: { name: string; namespace: string; spec: Record<string, unknown>; labels?: Record<string, string> },
): Promise<KubeObject> {
  const kube = await getKube();
  const ref = instanceRef(kind, input.name, input.namespace);
  deleteAfter(ref);
  return kube.resources.create({
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata: {
      name: input.name,
      namespace: input.namespace,
      ...(input.labels ? { labels: input.labels } : {}),
    },
    spec: input.spec,
  } as KubeObject);
}

export async function getInstance(kind: KindRef, name: string, namespace: string): Promise<KubeObject> {
  const kube = await getKube();
  return kube.resources.get(instanceRef(kind, name, namespace));
}

export function statusOf(inst: KubeObject): Record<string, unknown> {
  return (inst['status'] ?? {}) as Record<string, unknown>;
}

export function conditionOf(inst: KubeObject, type: string): Record<string, unknown> | undefined {
  const list = (statusOf(inst)['conditions'] ?? []) as Record<string, unknown>[];
  return list.find((c) => c['type'] === type);
}

export function nodeEntry(inst: KubeObject, id: string): Record<string, unknown> | undefined {
  const list = (statusOf(inst)['managedResources'] ?? []) as Record<string, unknown>[];
  return list.find((e) => e['id'] === id);
}

/** Polls the instance until `check` passes; returns the instance it passed on. */
export function untilInstance(
  target: { kind: KindRef; name: string; namespace: string; timeoutMs?: number },
  check: (inst: KubeObject) => void,
  description: string,
): Promise<KubeObject> {
  const { kind, name, namespace } = target;
  return eventually(
    async () => {
      const inst = await getInstance(kind, name, namespace);
      try {
        check(inst);
      } catch (e) {
        const st = statusOf(inst);
        const detail = JSON.stringify({ state: st['state'], conditions: st['conditions'] });
        throw new Error(`${e instanceof Error ? e.message : String(e)}; status ${detail}`, { cause: e });
      }
      return inst;
    },
    { timeoutMs: target.timeoutMs ?? 30_000, intervalMs: 150, description },
  );
}

/** core/v1 Events about the object, oldest first. */
export async function eventsOf(name: string, namespace: string): Promise<KubeObject[]> {
  const kube = await getKube();
  const list = await kube.resources.list({
    apiVersion: 'v1',
    kind: 'Event',
    namespace,
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items;
}
