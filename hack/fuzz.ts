// Longer fuzz runs than CI's: npx tsx hack/fuzz.ts [--cases 200000] [--seed N]
// Prints the seed, progress and every finding (crash, hang, rejection without a message).
import { runFuzz } from '../src/fuzz/fuzz.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seed = Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31));
const cases = Number(arg('cases') ?? 100_000);
console.log(`seed ${seed}, ${cases} cases`);
const t0 = performance.now();
const report = await runFuzz({ seed, cases, onProgress: (n) => process.stderr.write(`\r${n} cases`) });
process.stderr.write('\n');
for (const f of report.findings) console.log(JSON.stringify(f));
console.log(
  `${report.cases} cases in ${((performance.now() - t0) / 1000).toFixed(0)} s ${JSON.stringify(report.byFamily)}: ${report.accepted} accepted, ${report.rejected} rejected, slowest ${report.slowestMs.toFixed(0)} ms, ${report.findings.length} findings`,
);
process.exitCode = report.findings.length > 0 ? 1 : 0;
