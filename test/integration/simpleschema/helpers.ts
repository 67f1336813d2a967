// Shared steps for the SimpleSchema integration tests: compile an RGD schema with kro-ts, install
// the generated CRD under a unique API group, create instances, and read API server rejections.

import { expect } from 'vitest';
import type { ResourceGraphDefinition, RgdSchema } from '../../../src/api/rgd.js';
import { synthesizeCrd } from '../../../src/crd/index.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { CRD_API_VERSION, CRD_KIND, ensureCrd, isKubeApiError } from '../../../src/kube/index.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { buildSpecSchema } from '../../../src/simpleschema/index.js';
import { deleteAfter, getKube, uniqueGroup, uniqueName } from '../../harness/index.js';

export interface InstalledKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly desired: JsonObject;
  readonly stored: KubeObject;
}

/** Compiles `schema` like the RGD controller would and installs the CRD (Established). */
export async function installKind(schema: Omit<RgdSchema, 'group'>): Promise<InstalledKind> {
  const group = uniqueGroup(schema.kind);
  const spec = buildSpecSchema({ spec: schema.spec, types: schema.types });
  if (!spec.ok) throw new Error(spec.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const rgd: ResourceGraphDefinition = {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: uniqueName('rgd'), uid: '00000000-0000-0000-0000-000000000001' },
    spec: { schema: { ...schema, group } },
  };
  const desired = synthesizeCrd({ rgd, specSchema: spec.value, statusSchema: { type: 'object' } });
  const kube = await getKube();
  const stored = await ensureCrd(kube.resources, desired as unknown as KubeObject, { timeoutMs: 60_000 });
  deleteAfter({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name: stored.metadata.name ?? '' });
  return { apiVersion: `${group}/${schema.apiVersion}`, kind: schema.kind, desired, stored };
}

export async function createInstance(
  k: InstalledKind,
  namespace: string,
  spec: unknown,
): Promise<KubeObject> {
  const kube = await getKube();
  const obj: KubeObject = {
    apiVersion: k.apiVersion,
    kind: k.kind,
    metadata: { name: uniqueName('inst'), namespace },
    ...(spec === undefined ? {} : { spec: spec as Record<string, unknown> }),
  };
  return kube.resources.create(obj);
}

/** Runs `fn`, expects the API server to reject it as invalid, returns the server's message. */
export async function rejection(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (isKubeApiError(e)) {
      expect(e.status).toBe(422);
      return e.serverMessage;
    }
    throw e;
  }
  throw new Error('expected the API server to reject the request, but it was accepted');
}
