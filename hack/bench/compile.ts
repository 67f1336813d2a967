// Compile-time benchmark: buildGraph on generated RGDs with 5, 50 and 200 resources (a mix of
// ConfigMaps, Deployments and Services wired into a chain with fan-in, every field an expression
// of the typical kinds). Prints p50/p99 per size. Run: `npx tsx hack/bench/compile.ts [runs]`.
//
// Schemas come from the bundled built-in kinds when present, else the unit-test fixtures.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildGraph } from '../../src/graph/build-graph.js';
import { BundledSchemaResolver, bundledDir, loadDocuments } from '../../src/schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../../src/schema/static-resolver.js';
import type { SchemaResolver } from '../../src/schema/types.js';
import { generateRgd as generate } from './rgd-gen.js';

function resolverForBench(): { resolver: SchemaResolver; source: string } {
  const dir = bundledDir();
  if (dir !== undefined && existsSync(`${dir}/apps_v1.json`))
    return { resolver: new BundledSchemaResolver(dir), source: 'bundled' };
  const fixtures = fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url));
  return { resolver: new StaticSchemaResolver(loadDocuments(fixtures)), source: 'fixtures' };
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
