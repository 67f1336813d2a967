// Prints an LSP session with `kro-ts lsp` as JSON-RPC messages, on the FrontendAppV2 RGD
// (test/fixtures/cli/rgds/frontend-app-v2.yaml) with a typo in one expression: the diagnostic on
// open, hover on the typo and on a correct field, completion at the typo, the fix applied through
// didChange, and go-to-definition. The README's transcript is this script's output.
// Run: `npx tsx hack/lsp-session.ts` (`--dist` runs dist/cli/main.js).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LspClient, positionIn } from '../test/harness/lsp-client.js';

const fixture = fileURLToPath(new URL('../test/fixtures/cli/rgds/frontend-app-v2.yaml', import.meta.url));
const text = readFileSync(fixture, 'utf8').replace(
  'schema.spec.values.deployment.tag',
  'schema.spec.values.deploymnt.tag',
);
const uri = 'file:///work/rgds/frontend-app-v2.yaml';

/** One line per message; the document text in didOpen is abbreviated. */
function render(direction: 'send' | 'receive', message: unknown): void {
  const m = structuredClone(message) as { params?: { textDocument?: { text?: string } } };
  const doc = m.params?.textDocument;
  if (doc?.text !== undefined)
    doc.text = `<frontend-app-v2.yaml with the typo, ${doc.text.split('\n').length - 1} lines>`;
  console.log(`${direction === 'send' ? '-->' : '<--'} ${JSON.stringify(m)}`);
}

const { client } = await LspClient.start({
  entry: process.argv.includes('--dist') ? 'dist' : 'src',
  trace: render,
});
const line = (n: number, label: string): void =>
  console.log(`\n# ${label}${n > 0 ? ` (line ${n + 1})` : ''}`);
line(0, 'open the RGD with `schema.spec.values.deploymnt.tag`');
await client.open(uri, text);
await client.diagnosticsFor(uri, 1);

const typo = positionIn(text, 'deploymnt', 3);
line(typo.line, 'hover on the typo');
await client.hover(uri, typo);
const replicas = positionIn(text, 'deployment.replicas}', 'deployment.'.length);
line(replicas.line, 'hover on `replicas` of `schema.spec.values.deployment.replicas`');
await client.hover(uri, replicas);

const at = positionIn(text, 'values.deploymnt', 'values.'.length);
line(at.line, 'completion after `schema.spec.values.`');
const items = await client.completion(uri, at);
const pick = items.find((i) => i.label === 'deployment');
if (!pick?.textEdit || !('range' in pick.textEdit)) throw new Error('no completion for deployment');
line(at.line, 'apply the completion: the diagnostic goes away');
const v = await client.change(uri, [{ range: pick.textEdit.range, text: pick.textEdit.newText }]);
await client.diagnosticsFor(uri, v);

const ref = positionIn(text, '${configMap.metadata.name}', 3);
line(ref.line, 'go to definition of `configMap` in `${configMap.metadata.name}`');
await client.definition(uri, ref);
line(0, 'shutdown');
await client.stop();
