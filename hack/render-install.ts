// Renders the single-file install manifest deploy/install.yaml from the kustomize base (deploy/),
// after refreshing deploy/base/crds/ from crds/ (kustomize loads no file outside its root).
//   npx tsx hack/render-install.ts           write deploy/base/crds/* and deploy/install.yaml
//   npx tsx hack/render-install.ts --check   exit 1 naming the stale file(s); writes nothing
// kubectl: $KUBECTL, else the locally built one (`bash hack/controlplane/build.sh`).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
export const INSTALL_FILE = 'deploy/install.yaml';
const CRD_SOURCE_DIR = 'crds';
const CRD_COPY_DIR = 'deploy/base/crds';

const HEADER = `# kro-ts install manifest (unrestricted RBAC mode), rendered from deploy/ by
# hack/render-install.ts. Do not edit; change deploy/ and re-render.
#
#   kubectl apply --server-side -f deploy/install.yaml
#
# WARNING: ClusterRole kro-cluster-role grants \`*\` on \`*/*\`: whoever can create a
# ResourceGraphDefinition can have the controller create anything. For least privilege use
# \`kubectl apply -k deploy/overlays/aggregation\`.
`;

export function findKubectl(): string {
  const fromEnv = process.env['KUBECTL'];
  if (fromEnv) return fromEnv;
  const bin = execFileSync('bash', [join(root, 'hack/controlplane/build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return join(bin, 'kubectl');
}

export function readRepoFile(path: string): string {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return '';
  }
}

/** deploy/base/crds/<file> → the content of crds/<file>. */
export function wantedCrdCopies(): Map<string, string> {
  const copies = new Map<string, string>();
  for (const name of readdirSync(join(root, CRD_SOURCE_DIR)).filter((n) => n.endsWith('.yaml'))) {
    copies.set(`${CRD_COPY_DIR}/${name}`, readFileSync(join(root, CRD_SOURCE_DIR, name), 'utf8'));
  }
  return copies;
}

/** deploy/install.yaml as rendered from the tree on disk. */
export function renderInstall(kubectl: string): string {
  const out = execFileSync(kubectl, ['kustomize', join(root, 'deploy')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return HEADER + out;
}

/** Files that differ from what this script would write (a stale CRD copy makes install stale too). */
export function staleFiles(kubectl: string): string[] {
  const stale = [...wantedCrdCopies()].filter(([path, text]) => readRepoFile(path) !== text).map(([p]) => p);
  if (stale.length > 0 || readRepoFile(INSTALL_FILE) !== renderInstall(kubectl)) stale.push(INSTALL_FILE);
  return stale;
}

function main(): void {
  const kubectl = findKubectl();
  if (process.argv.includes('--check')) {
    const stale = staleFiles(kubectl);
    if (stale.length > 0) {
      process.stderr.write(
        `stale: ${stale.join(', ')}; run \`npx tsx hack/render-install.ts\` and commit the result\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`${INSTALL_FILE} and ${CRD_COPY_DIR}/ are up to date\n`);
    return;
  }
  for (const [path, text] of wantedCrdCopies()) writeFileSync(join(root, path), text);
  writeFileSync(join(root, INSTALL_FILE), renderInstall(kubectl));
  process.stdout.write(`wrote ${CRD_COPY_DIR}/ and ${INSTALL_FILE}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
