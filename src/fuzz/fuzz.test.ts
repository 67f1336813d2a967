// The fuzz target in CI (issue 14): 10,000 seeded cases of mutated RGDs, YAML text, instances and
// CEL expressions through the compiler, the CLI's input path and the renderer. The seed is fixed
// so CI is reproducible; KRO_TS_FUZZ_SEED=<n> runs another (longer or random runs: npx tsx
// hack/fuzz.ts). A hang is a case over 30 s: far above any case's time on a loaded machine
// (the slowest is printed), far below what a super-linear blow-up takes.
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz.js';

const seed = Number(process.env['KRO_TS_FUZZ_SEED'] ?? 20261202);
const cases = Number(process.env['KRO_TS_FUZZ_CASES'] ?? 10_000);

describe('fuzz: compiler, CLI input, renderer', () => {
  it(`${cases} cases without a crash, a hang or a rejection without a message (seed ${seed})`, async () => {
    process.stdout.write(`[fuzz] seed ${seed} (replay: KRO_TS_FUZZ_SEED=${seed})\n`);
    const report = await runFuzz({ seed, cases, hangMs: 30_000 });
    process.stdout.write(
      `[fuzz] ${report.cases} cases ${JSON.stringify(report.byFamily)}: ${report.accepted} accepted, ${report.rejected} rejected, slowest ${report.slowestMs.toFixed(0)} ms, ${report.findings.length} findings\n`,
    );
    expect(report.cases).toBeGreaterThanOrEqual(10_000);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.rejected).toBeGreaterThan(0);
    expect(report.findings.slice(0, 5)).toEqual([]);
  }, 600_000);
});
