// Generated RGDs for the benchmarks: n resources (a mix of ConfigMaps, Deployments and Services
// wired into a chain with fan-in, every field an expression of the typical kinds). Shared by
// hack/bench/compile.ts (buildGraph) and hack/bench/lsp.ts (the language server).

import type { ResourceGraphDefinition, RgdResource } from '../../src/api/rgd.js';

function resource(i: number): RgdResource {
  const id = `r${i}`;
  const prev = i > 0 ? `r${i - 1}` : undefined;
  const name = prev ? `\${${prev}.metadata.name}-${i}` : `\${schema.spec.name}-${i}`;
  switch (i % 3) {
    case 0:
      return {
        id,
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, labels: { app: '${schema.spec.name}' } },
          data: {
            image: '${schema.spec.image}:${schema.spec.tag}',
            replicas: '${string(schema.spec.replicas)}',
          },
        },
      };
    case 1:
      return {
        id,
        readyWhen: [`\${${id}.status.?availableReplicas.orValue(0) == ${id}.spec.replicas}`],
        template: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name },
          spec: {
            replicas: '${schema.spec.replicas}',
            selector: { matchLabels: { app: '${schema.spec.name}' } },
            template: {
              metadata: { labels: { app: '${schema.spec.name}' } },
              spec: {
                containers: [
                  {
                    name: 'app',
                    image: '${schema.spec.image}:${schema.spec.tag}',
                    ports: [{ containerPort: '${schema.spec.port}' }],
                    env: [{ name: 'PREV', value: prev ? `\${${prev}.metadata.name}` : 'none' }],
                  },
                ],
              },
            },
          },
        },
      };
    default:
      return {
        id,
        includeWhen: ['${schema.spec.enabled}'],
        template: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name },
          spec: {
            selector: { app: '${schema.spec.name}' },
            ports: [{ port: '${schema.spec.port}', targetPort: '${schema.spec.port}' }],
          },
        },
      };
  }
}

export function generateRgd(n: number): ResourceGraphDefinition {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: `bench-${n}` },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind: 'Bench',
        spec: {
          name: 'string',
          image: 'string | default=nginx',
          tag: 'string | default=latest',
          replicas: 'integer | default=1',
          port: 'integer | default=8080',
          enabled: 'boolean | default=true',
        },
        status: { first: '${r0.metadata.name}', last: `\${r${n - 1}.metadata.name}` },
      },
      resources: Array.from({ length: n }, (_, i) => resource(i)),
    },
  };
}
