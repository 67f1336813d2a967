// Compile-time benchmark: buildGraph on generated RGDs with 5, 50 and 200 resources (a mix of
// ConfigMaps, Deployments and Services wired into a chain with fan-in, every field an expression
// of the typical kinds). Prints p50/p99 per size. Run: `npx tsx hack/bench/compile.ts [runs]`.
//
// Schemas come from the bundled built-in kinds when present, else the unit-test fixtures.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResourceGraphDefinition, RgdResource } from '../../src/api/rgd.js';
import { buildGraph } from '../../src/graph/build-graph.js';
import { BundledSchemaResolver, bundledDir, loadDocuments } from '../../src/schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../../src/schema/static-resolver.js';
import type { SchemaResolver } from '../../src/schema/types.js';

function resolverForBench(): { resolver: SchemaResolver; source: string } {
  const dir = bundledDir();
  if (dir !== undefined && existsSync(`${dir}/apps_v1.json`))
    return { resolver: new BundledSchemaResolver(dir), source: 'bundled' };
  const fixtures = fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url));
  return { resolver: new StaticSchemaResolver(loadDocuments(fixtures)), source: 'fixtures' };
}

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

function generate(n: number): ResourceGraphDefinition {
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

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const { resolver, source } = resolverForBench();
  const baseRuns = Number(process.argv[2] ?? 100);
  const rows: string[][] = [];
  for (const n of [5, 50, 200]) {
    const rgd = generate(n);
    const first = await buildGraph(rgd, { resolver });
    if (!first.ok) throw new Error(first.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
    const expressions = first.value.nodes.reduce(
      (s, node) => s + node.fields.reduce((t, f) => t + f.expressions.length, 0),
      0,
    );
    const runs = Math.max(10, Math.round((baseRuns * 5) / n));
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await buildGraph(rgd, { resolver });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push([
      String(n),
      String(expressions),
      String(runs),
      percentile(times, 50).toFixed(2),
      percentile(times, 99).toFixed(2),
    ]);
  }
  const header = ['resources', 'expressions', 'runs', 'p50 ms', 'p99 ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(`buildGraph compile time (schemas: ${source}, node ${process.version})`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

await main();
