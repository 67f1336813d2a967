// Shared bits of the RGD controller integration tests: RGD builders and readers.

import type { Condition, ResourceGraphDefinition } from '../../../src/api/rgd.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { CRD_API_VERSION, CRD_KIND } from '../../../src/kube/index.js';
import { deleteAfter, getKube, uniqueName } from '../../harness/index.js';

export const RGD_REF = { apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition' } as const;

export interface RgdInput {
  readonly labels: Record<string, string>;
  readonly group: string;
  readonly kind?: string;
  readonly spec?: Record<string, unknown>;
  readonly resources?: unknown[];
  readonly status?: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
}

export function configMapResource(id = 'cm'): Record<string, unknown> {
  return {
    id,
    template: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: '${schema.metadata.name}-' + id },
      data: { name: '${schema.spec.name}' },
    },
  };
}

export function rgdObject(input: RgdInput, name = uniqueName('rgd')): KubeObject {
  return {
    ...RGD_REF,
    metadata: {
      name,
      labels: input.labels,
      ...(input.annotations ? { annotations: input.annotations } : {}),
    },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind: input.kind ?? 'App',
        group: input.group,
        spec: input.spec ?? { name: 'string' },
        ...(input.status ? { status: input.status } : {}),
      },
      resources: input.resources ?? [configMapResource()],
    },
  };
}

export async function createRgd(obj: KubeObject): Promise<string> {
  const kube = await getKube();
  await kube.resources.create(obj);
  const name = obj.metadata.name ?? '';
  deleteAfter({ ...RGD_REF, name });
  return name;
}

export async function getRgd(name: string): Promise<ResourceGraphDefinition> {
  const kube = await getKube();
  return (await kube.resources.get({ ...RGD_REF, name })) as unknown as ResourceGraphDefinition;
}

export function condition(rgd: ResourceGraphDefinition, type: string): Condition | undefined {
  return rgd.status?.conditions?.find((c) => c.type === type);
}

export async function getCrd(name: string): Promise<KubeObject | undefined> {
  const kube = await getKube();
  return kube.resources.tryGet({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name });
}

export function deleteCrdAfter(name: string): void {
  deleteAfter({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name });
}

export async function listEvents(rgdName: string): Promise<KubeObject[]> {
  const kube = await getKube();
  const list = await kube.resources.list({
    apiVersion: 'v1',
    kind: 'Event',
    namespace: 'default',
    fieldSelector: `involvedObject.name=${rgdName}`,
  });
  return list.items;
}
