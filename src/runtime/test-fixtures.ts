// Shared fixtures for the runtime unit tests: RGDs compiled offline against the OpenAPI fixtures
// (test/fixtures/openapi), failing loudly, so each test states only what it checks.
import { fileURLToPath } from 'node:url';
import type { ResourceGraphDefinition } from '../api/rgd.js';
import { buildGraph } from '../graph/build-graph.js';
import type { CompiledGraph } from '../graph/types.js';
import type { JsonObject } from '../lib/json.js';
import type { InstanceObject } from './types.js';
import { loadDocuments } from '../schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../schema/static-resolver.js';

let resolver: StaticSchemaResolver | undefined;

export async function compileRgd(rgd: unknown): Promise<CompiledGraph> {
  resolver ??= new StaticSchemaResolver(
    loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url))),
  );
  const r = await buildGraph(rgd as ResourceGraphDefinition, { resolver });
  if (!r.ok) throw new Error(r.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.value;
}

/** An RGD of `kind` (group kro.run, v1alpha1) with a SimpleSchema spec and these resources. */
export function rgdOf(
  kind: string,
  spec: unknown,
  resources: unknown[],
  extra: Record<string, unknown> = {},
): unknown {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'x' },
    spec: { schema: { apiVersion: 'v1alpha1', kind, spec, ...extra }, resources },
  };
}

/** An instance `inst` (uid-1, generation 1) of `kind` with this spec. */
export function instanceOf(kind: string, spec: JsonObject, namespace = 'ns1'): InstanceObject {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind,
    metadata: { name: 'inst', namespace, uid: 'uid-1', generation: 1 },
    spec,
  };
}
