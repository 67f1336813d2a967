// Writes crds/ from the TypeScript API definition (src/api/rgd-crd.ts).
//   npx tsx hack/gen-crds.ts           regenerate
//   npx tsx hack/gen-crds.ts --check   exit 1 with a message when the committed file is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { RGD_CRD_FILE, renderRgdCrdYaml } from '../src/api/rgd-crd.js';

const root = new URL('../', import.meta.url);
const target = new URL(RGD_CRD_FILE, root);
const want = renderRgdCrdYaml();

if (process.argv.includes('--check')) {
  let have = '';
  try {
    have = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (have !== want) {
    process.stderr.write(
      `${RGD_CRD_FILE} is stale: run \`npx tsx hack/gen-crds.ts\` and commit the result\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${RGD_CRD_FILE} is up to date\n`);
} else {
  writeFileSync(target, want);
  process.stdout.write(`wrote ${RGD_CRD_FILE}\n`);
}
