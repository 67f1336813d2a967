import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ResourceGraphDefinition } from '../api/rgd.js';
import { loadDocuments } from '../schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../schema/static-resolver.js';
import { buildGraph } from './build-graph.js';
import type { CompiledGraph } from './types.js';

const resolver = new StaticSchemaResolver(
  loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url))),
);

function fixture(name: string): ResourceGraphDefinition {
  const file = fileURLToPath(new URL(`../../test/fixtures/graph/${name}`, import.meta.url));
  return parse(readFileSync(file, 'utf8')) as ResourceGraphDefinition;
}

async function compile(rgd: ResourceGraphDefinition): Promise<CompiledGraph> {
  const r = await buildGraph(rgd, { resolver });
  if (!r.ok) throw new Error(r.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.value;
}

describe('buildGraph on kro-style RGDs', () => {
  it('compiles the webapp (Deployment, Service, Ingress)', async () => {
    const g = await compile(fixture('webapp.yaml'));
    expect(g.topologicalOrder).toEqual(['deployment', 'service', 'ingress']);
    expect(g.applyLayers).toEqual([['ingress'], ['service'], ['deployment']]);
    expect(g.nodes.map((n) => [n.id, n.type, n.plural, n.namespaced, n.applyOrder])).toEqual([
      ['deployment', 'resource', 'deployments', true, 1],
      ['service', 'resource', 'services', true, 2],
      ['ingress', 'resource', 'ingresses', true, 3],
    ]);
    expect(g.toStatus()).toEqual({
      topologicalOrder: ['deployment', 'service', 'ingress'],
      resources: [
        { id: 'service', dependencies: [{ id: 'deployment' }] },
        { id: 'ingress', dependencies: [{ id: 'service' }] },
      ],
    });
    const deployment = g.nodesById.get('deployment');
    const replicas = deployment?.fields.find((f) => f.relativePath === 'spec.replicas');
    expect(replicas).toMatchObject({
      path: 'spec.resources[0].template.spec.replicas',
      standalone: true,
      references: ['schema'],
      dependencies: [],
    });
    expect(String(replicas?.expressions[0]?.outputType)).toBe('int');
    expect(deployment?.readyWhen.map((c) => c.expression.expression)).toEqual([
      'deployment.status.availableReplicas == deployment.spec.replicas',
    ]);
    const ingress = g.nodesById.get('ingress');
    expect(ingress?.includeWhen).toHaveLength(1);
    expect(ingress?.dependencies).toEqual(['service']);
    expect(g.nodesById.get('deployment')?.dependents).toEqual(['service']);
  });

  it('infers the status schema and synthesizes the CRD', async () => {
    const g = await compile(fixture('webapp.yaml'));
    expect(g.status.inferredSchema).toEqual({
      type: 'object',
      properties: {
        availableReplicas: { type: 'integer' },
        url: { type: 'string' },
        endpoints: { type: 'array', items: { type: 'string' } },
      },
    });
    expect(Object.keys(g.status.schema.properties ?? {}).sort()).toEqual([
      'availableReplicas',
      'conditions',
      'endpoints',
      'managedResources',
      'observedGeneration',
      'state',
      'url',
    ]);
    expect(g.status.fields.map((f) => [f.relativePath, f.references])).toEqual([
      ['availableReplicas', ['deployment']],
      ['url', ['ingress']],
      ['endpoints[0]', ['service']],
    ]);
    expect(g.crd['kind']).toBe('CustomResourceDefinition');
    expect((g.crd['metadata'] as { name: string }).name).toBe('webapps.kro.run');
    expect(g.instance).toEqual({
      group: 'kro.run',
      version: 'v1alpha1',
      apiVersion: 'kro.run/v1alpha1',
      kind: 'WebApp',
      plural: 'webapps',
      scope: 'Namespaced',
    });
    expect(Object.isFrozen(g)).toBe(true);
    expect(Object.isFrozen(g.nodes[0]?.template)).toBe(true);
  });

  it("compiles the user's FrontendAppV2", async () => {
    const g = await compile(fixture('frontend-app-v2.yaml'));
    expect(g.topologicalOrder).toEqual(['configMap', 'deployment', 'service']);
    expect(g.toStatus().resources).toEqual([{ id: 'deployment', dependencies: [{ id: 'configMap' }] }]);
    const image = g.nodesById
      .get('deployment')
      ?.fields.find((f) => f.relativePath === 'spec.template.spec.containers[0].image');
    expect(image).toMatchObject({
      standalone: false,
      literalParts: ['', ':', ''],
      references: ['schema'],
    });
    expect(image?.expressions.map((e) => e.expression)).toEqual([
      'schema.spec.values.deployment.image',
      'schema.spec.values.deployment.tag',
    ]);
    const ports = g.nodesById.get('service')?.fields.map((f) => f.relativePath);
    expect(ports).toContain('spec.ports[0].targetPort');
    // Isolated nodes get L (spec/03 §7): deleted with the first layer.
    expect(g.nodesById.get('service')?.applyOrder).toBe(2);
    expect(g.nodesById.get('configMap')?.applyOrder).toBe(1);
    expect(g.nodesById.get('deployment')?.applyOrder).toBe(2);
    expect(g.applyLayers).toEqual([['deployment', 'service'], ['configMap']]);
  });

  it('compiles an externalRef, an external collection and a two-dimensional forEach', async () => {
    const g = await compile(fixture('external-foreach.yaml'));
    expect(g.nodes.map((n) => [n.id, n.type])).toEqual([
      ['platform', 'external'],
      ['sharedSettings', 'externalCollection'],
      ['workers', 'collection'],
    ]);
    const workers = g.nodesById.get('workers');
    expect(workers?.forEach.map((d) => [d.name, d.elementSchema])).toEqual([
      ['region', { type: 'string' }],
      ['tier', { type: 'string' }],
    ]);
    expect(workers?.dependencies).toEqual(['platform']);
    expect(workers?.fields.find((f) => f.relativePath === 'metadata.name')?.iterators).toEqual([
      'region',
      'tier',
    ]);
    expect(g.nodesById.get('sharedSettings')?.readyWhen[0]?.references).toEqual(['each']);
    expect(g.nodesById.get('platform')?.fields.map((f) => f.relativePath)).toEqual(['metadata.name']);
    expect(g.status.inferredSchema.properties?.['workerCount']).toEqual({ type: 'integer' });
  });
});

describe('buildGraph edge cases', () => {
  it('accepts an RGD that only defines a CRD', async () => {
    const g = await compile({
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: 'only-crd' },
      spec: {
        schema: {
          apiVersion: 'v1',
          kind: 'OnlyCrd',
          group: 'example.com',
          scope: 'Cluster',
          spec: { a: 'string' },
        },
      },
    });
    expect(g.nodes).toEqual([]);
    expect(g.topologicalOrder).toEqual([]);
    expect(g.toStatus()).toEqual({ topologicalOrder: [], resources: [] });
    expect(g.instance).toMatchObject({
      group: 'example.com',
      apiVersion: 'example.com/v1',
      scope: 'Cluster',
    });
    expect(g.instanceSchema.properties?.['metadata']?.properties?.['namespace']).toBeUndefined();
  });
});
