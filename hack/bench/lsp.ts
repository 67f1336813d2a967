// Language-server latency: how long after a didChange the diagnostics of that version arrive, on
// a generated 50-resource RGD (hack/bench/rgd-gen.ts) written as YAML. The server runs as an
// editor runs it (`kro-ts lsp --stdio` in its own process, the protocol over pipes). Each run
// edits one expression, alternately breaking it (one diagnostic) and fixing it (none), and waits
// for that version's publishDiagnostics. Prints p50/p99. The wall time includes waiting for a CPU
// on a shared machine, so it also prints the CPU time of one analysis (analyzeDocument in this
// process, the server's work per change), which is what an idle machine would take.
// Run: `npx tsx hack/bench/lsp.ts [runs] [--resources n] [--dist]` (`--dist` runs dist/cli/main.js).

import { cpus, loadavg } from 'node:os';
import { stringify } from 'yaml';
import { analyzeDocument } from '../../src/lsp/analysis.js';
import { createResolver } from '../../src/source/index.js';
import { LspClient, positionIn } from '../../test/harness/lsp-client.js';
import { generateRgd } from './rgd-gen.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100);
  const n = Number(flag('--resources') ?? 50);
  const entry = process.argv.includes('--dist') ? 'dist' : 'src';
  const text = stringify(generateRgd(n), { lineWidth: 0 });
  const uri = 'file:///bench/rgd.yaml';
  const { client } = await LspClient.start({ entry });
  await client.open(uri, text);
  const first = await client.diagnosticsFor(uri, 1, 60_000);
  if (first.diagnostics.length > 0)
    throw new Error(`generated RGD has issues: ${JSON.stringify(first.diagnostics)}`);
  // The edit: the last resource's `schema.spec.tag` ↔ `schema.spec.tga` (an undefined field).
  const at = positionIn(
    text,
    'schema.spec.tag',
    'schema.spec.'.length,
    text.split('schema.spec.tag').length - 1,
  );
  const range = { start: at, end: { line: at.line, character: at.character + 3 } };
  const times: number[] = [];
  const warmup = 5;
  for (let i = 0; i < runs + warmup; i++) {
    const broken = i % 2 === 0;
    const t0 = performance.now();
    const version = await client.change(uri, [{ range, text: broken ? 'tga' : 'tag' }]);
    const { diagnostics } = await client.diagnosticsFor(uri, version, 60_000);
    const ms = performance.now() - t0;
    if (diagnostics.length !== (broken ? 1 : 0))
      throw new Error(`run ${i}: ${diagnostics.length} diagnostics`);
    if (i >= warmup) times.push(ms);
  }
  await client.stop();
  times.sort((a, b) => a - b);
  const cpu = await analysisCpuTimes(text, runs);
  const lines = text.split('\n').length;
  console.log(
    `kro-ts lsp: didChange → publishDiagnostics, ${n}-resource RGD (${lines} lines), ${runs} runs after ${warmup} warm-up (entry ${entry}, node ${process.version})`,
  );
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(`machine: ${cpus().length} CPUs, load average ${load}`);
  console.log(
    `p50 ${percentile(times, 50).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms  max ${(times[times.length - 1] ?? 0).toFixed(1)} ms`,
  );
  console.log(
    `analysis CPU time (in-process analyzeDocument, same text): p50 ${percentile(cpu, 50).toFixed(1)} ms  p99 ${percentile(cpu, 99).toFixed(1)} ms`,
  );
}

async function analysisCpuTimes(text: string, runs: number): Promise<number[]> {
  const base = createResolver({ crdPaths: [], keepDescriptions: true });
  const out: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const before = process.cpuUsage();
    await analyzeDocument({ file: 'rgd.yaml', text, base: base.resolver });
    const used = process.cpuUsage(before);
    if (i >= 5) out.push((used.user + used.system) / 1000);
  }
  return out.sort((a, b) => a - b);
}

await main();
