// Writes crds/ from the TypeScript API definitions (src/api/rgd-crd.ts, src/api/graph-revision.ts).
//   npx tsx hack/gen-crds.ts           regenerate
//   npx tsx hack/gen-crds.ts --check   exit 1 with a message when a committed file is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { GR_CRD_FILE, renderGraphRevisionCrdYaml } from '../src/api/graph-revision.js';
import { RGD_CRD_FILE, renderRgdCrdYaml } from '../src/api/rgd-crd.js';

const root = new URL('../', import.meta.url);
const files: [string, string][] = [
  [RGD_CRD_FILE, renderRgdCrdYaml()],
  [GR_CRD_FILE, renderGraphRevisionCrdYaml()],
];
const check = process.argv.includes('--check');
let stale = false;
for (const [file, want] of files) {
  const target = new URL(file, root);
  if (!check) {
    writeFileSync(target, want);
    process.stdout.write(`wrote ${file}\n`);
    continue;
  }
  let have = '';
  try {
    have = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (have !== want) {
    stale = true;
    process.stderr.write(`${file} is stale: run \`npx tsx hack/gen-crds.ts\` and commit the result\n`);
  } else {
    process.stdout.write(`${file} is up to date\n`);
  }
}
if (stale) process.exit(1);
