// Drives `kro-ts lsp` through the protocol as an editor does (a spawned server over stdio, the
// vscode-languageserver client-side connection): initialize, didOpen, didChange, hover,
// completion, definition, configuration. Diagnostics are checked against `kro-ts validate` on the
// same text, so the editor and the CLI point at the same place with the same message.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, InitializeResult, Location, MarkupContent } from 'vscode-languageserver/node';
import { LspClient, positionIn } from '../../test/harness/lsp-client.js';
import { runCli } from '../cli/run.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const frontend = readFileSync(join(repo, 'test/fixtures/cli/rgds/frontend-app-v2.yaml'), 'utf8');
const typo = frontend.replace('schema.spec.values.deployment.tag', 'schema.spec.values.deploymnt.tag');
const widgetRgd = readFileSync(join(repo, 'test/fixtures/lsp/widget-rgd.yaml'), 'utf8');

let client: LspClient;
let init: InitializeResult;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'kro-ts-lsp-'));
  ({ client, init } = await LspClient.start({ rootUri: pathToFileURL(repo).href }));
}, 120_000);

afterAll(async () => {
  const code = await client?.stop();
  rmSync(tmp, { recursive: true, force: true });
  expect(code).toBe(0);
}, 60_000);

/** `kro-ts validate` on the text, as `{line, col, message}` (1-based). */
async function validate(text: string): Promise<{ line: number; col: number; message: string }[]> {
  const file = join(tmp, `rgd-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  let out = '';
  await runCli(['validate', file], { out: (t) => (out += t), err: (t) => (out += t) });
  return out
    .split('\n')
    .filter((l) => l.startsWith(file + ':'))
    .map((l) => {
      const m = /^.*?:(\d+):(\d+): (.*)$/.exec(l.slice(file.length)) as RegExpExecArray;
      return { line: Number(m[1]), col: Number(m[2]), message: m[3] as string };
    });
}

function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function startsAsCli(d: Diagnostic): { line: number; col: number; message: string } {
  return { line: d.range.start.line + 1, col: d.range.start.character + 1, message: messageOf(d) };
}

function markdown(h: { contents: unknown } | null): string {
  return (h?.contents as MarkupContent | undefined)?.value ?? '';
}

// Each test waits on a spawned process; the deadlines are generous so a loaded machine only slows it.
describe('kro-ts lsp', { timeout: 60_000 }, () => {
  it('announces its capabilities', () => {
    expect(init.serverInfo?.name).toBe('kro-ts');
    expect(init.capabilities).toMatchObject({
      textDocumentSync: 2,
      hoverProvider: true,
      definitionProvider: true,
      completionProvider: { triggerCharacters: ['.', '{'] },
    });
  });

  it('reports a misspelled schema field on open at the range of its ${...}, as validate does', async () => {
    const uri = 'file:///work/frontend-typo.yaml';
    await client.open(uri, typo);
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0] as Diagnostic;
    const expr = '${schema.spec.values.deploymnt.tag}';
    expect(d.range).toEqual({
      start: positionIn(typo, expr),
      end: positionIn(typo, expr, expr.length),
    });
    expect(d).toMatchObject({ severity: 1, source: 'kro-ts', code: 'CelCompile' });
    expect(messageOf(d)).toContain("undefined field 'deploymnt'");
    expect(diagnostics.map(startsAsCli)).toEqual(await validate(typo));
  });

  it('updates diagnostics on incremental changes', async () => {
    const uri = 'file:///work/frontend-edit.yaml';
    await client.open(uri, typo);
    expect((await client.diagnosticsFor(uri, 1)).diagnostics).toHaveLength(1);
    const at = positionIn(typo, 'deploymnt');
    const fixed = await client.change(uri, [
      {
        range: { start: at, end: { line: at.line, character: at.character + 'deploymnt'.length } },
        text: 'deployment',
      },
    ]);
    expect((await client.diagnosticsFor(uri, fixed)).diagnostics).toEqual([]);
    // A string where an integer goes, and an unknown resource: two issues, each at its own range.
    const replicas = positionIn(frontend, '${schema.spec.values.deployment.replicas}');
    const broken = frontend
      .replace('${schema.spec.values.deployment.replicas}', '${schema.spec.name}')
      .replace('${configMap.metadata.name}', '${confMap.metadata.name}');
    const v = await client.change(uri, [{ text: broken }]);
    const { diagnostics } = await client.diagnosticsFor(uri, v);
    expect(diagnostics.map(startsAsCli)).toEqual(await validate(broken));
    expect(diagnostics).toHaveLength(2);
    const typeError = diagnostics.find((d) => d.range.start.line === replicas.line) as Diagnostic;
    expect(typeError.range).toEqual({
      start: replicas,
      end: { line: replicas.line, character: replicas.character + '${schema.spec.name}'.length },
    });
    expect(diagnostics.some((d) => messageOf(d).includes('confMap'))).toBe(true);
  });

  it('hovers a ${...} path with its type, description and constraints from the schema', async () => {
    const uri = 'file:///work/frontend-hover.yaml';
    const text = frontend.replace('tag: string', 'tag: string | description="Image tag, e.g. 1.2.3"');
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    const tag = await client.hover(uri, positionIn(text, 'deployment.tag}', 'deployment.'.length + 1));
    expect(markdown(tag)).toBe('**`schema.spec.values.deployment.tag`**: `string`\n\nImage tag, e.g. 1.2.3');
    const at = positionIn(text, 'deployment.tag}', 'deployment.'.length);
    expect(tag?.range).toEqual({ start: at, end: { line: at.line, character: at.character + 3 } });
    const replicas = await client.hover(uri, positionIn(text, 'deployment.replicas}', 'deployment.'.length));
    expect(markdown(replicas)).toBe('**`schema.spec.values.deployment.replicas`**: `int`\n\ndefault: `1`');
    const resource = await client.hover(uri, positionIn(text, '${configMap.metadata.name}', 3));
    expect(markdown(resource)).toContain('resource `v1 ConfigMap`');
    const status = await client.hover(uri, positionIn(text, 'deployment.status.?availableReplicas', 21));
    expect(markdown(status)).toBe('**`deployment.status.?availableReplicas`**: `int`\n\nformat: int32');
    expect(await client.hover(uri, positionIn(text, 'kind: Deployment', 7))).toBeNull();
  });

  it('hovers a misspelled field with the fields that do exist', async () => {
    const uri = 'file:///work/frontend-typo.yaml';
    const h = await client.hover(uri, positionIn(typo, 'deploymnt', 3));
    expect(markdown(h)).toBe(
      '`schema.spec.values.deploymnt`: no field `deploymnt` in `schema.spec.values` (`object`); ' +
        'its fields: `configMap`, `deployment`, `service`',
    );
  });

  it('completes schema.spec paths, resource ids and their fields', async () => {
    const uri = 'file:///work/frontend-complete.yaml';
    const line = '          API_HTTP_URL: ${schema.spec.values.configMap.data.API_HTTP_URL}';
    const text = frontend.replace(line, '          API_HTTP_URL: ${schema.spec.values.de}');
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    const at = positionIn(text, 'values.de}', 'values.de'.length);
    const items = await client.completion(uri, at);
    expect(items.map((i) => [i.label, i.detail])).toEqual([['deployment', 'object']]);
    expect(items[0]?.textEdit).toEqual({
      range: { start: { line: at.line, character: at.character - 2 }, end: at },
      newText: 'deployment',
    });
    const all = await client.completion(uri, positionIn(text, 'values.de}', 'values.'.length));
    expect(all.map((i) => i.label)).toEqual(['configMap', 'deployment', 'service']);

    // Typing a new expression: the root offers `schema` and the resource ids.
    const v = await client.change(uri, [{ text: frontend.replace(line, '          API_HTTP_URL: ${') }]);
    await client.diagnosticsFor(uri, v);
    const typed = frontend.replace(line, '          API_HTTP_URL: ${');
    const roots = await client.completion(
      uri,
      positionIn(typed, 'API_HTTP_URL: ${', 'API_HTTP_URL: ${'.length),
    );
    expect(roots.map((i) => i.label)).toEqual(['schema', 'configMap', 'deployment', 'service']);

    const v2 = await client.change(uri, [
      { text: frontend.replace(line, '          API_HTTP_URL: ${deployment.spec.') },
    ]);
    await client.diagnosticsFor(uri, v2);
    const typed2 = frontend.replace(line, '          API_HTTP_URL: ${deployment.spec.');
    const fields = await client.completion(
      uri,
      positionIn(typed2, '${deployment.spec.', '${deployment.spec.'.length),
    );
    expect(fields.map((i) => i.label)).toEqual(
      expect.arrayContaining(['replicas', 'selector', 'strategy', 'template']),
    );
    expect(fields.find((i) => i.label === 'replicas')?.detail).toBe('int');
  });

  it('completes over a misspelled identifier, replacing all of it', async () => {
    const uri = 'file:///work/frontend-typo.yaml';
    const at = positionIn(typo, 'values.deploymnt', 'values.de'.length);
    const items = await client.completion(uri, at);
    expect(items.map((i) => i.label)).toEqual(['deployment']);
    const start = { line: at.line, character: at.character - 2 };
    expect(items[0]?.textEdit).toEqual({
      range: { start, end: { line: at.line, character: start.character + 'deploymnt'.length } },
      newText: 'deployment',
    });
  });

  it('goes from a resource id in an expression to that resource, and from schema.spec to its field', async () => {
    const uri = 'file:///work/frontend-typo.yaml';
    const loc = (await client.definition(uri, positionIn(typo, '${configMap.metadata.name}', 4))) as Location;
    const id = positionIn(typo, 'id: configMap', 4);
    expect(loc).toEqual({ uri, range: { start: id, end: { line: id.line, character: id.character + 9 } } });
    const field = (await client.definition(
      uri,
      positionIn(typo, 'deployment.replicas}', 'deployment.'.length),
    )) as Location;
    const key = positionIn(typo, 'replicas: integer');
    expect(field.range).toEqual({ start: key, end: { line: key.line, character: key.character + 8 } });
  });

  it('knows forEach iterators, `each` in readyWhen and collections as lists', async () => {
    const uri = 'file:///work/workers.yaml';
    const text = [
      'apiVersion: kro.run/v1alpha1',
      'kind: ResourceGraphDefinition',
      'metadata:',
      '  name: workers',
      'spec:',
      '  schema:',
      '    apiVersion: v1alpha1',
      '    kind: Workers',
      '    spec:',
      '      names: "[]string"',
      '  resources:',
      '    - id: configs',
      '      forEach:',
      '        - worker: ${schema.spec.names}',
      '      readyWhen:',
      '        - ${each.metadata.name != ""}',
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      '        metadata:',
      '          name: ${worker}',
      '    - id: summary',
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      '        metadata:',
      '          name: summary',
      '        data:',
      '          count: ${string(size(configs))}',
      '',
    ].join('\n');
    await client.open(uri, text);
    expect((await client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
    const iterator = await client.hover(uri, positionIn(text, '${worker}', 3));
    expect(markdown(iterator)).toBe('**`worker`**: forEach iterator of `configs`: `string`');
    const def = (await client.definition(uri, positionIn(text, '${worker}', 3))) as Location;
    expect(def.range.start).toEqual(positionIn(text, 'worker: $'));
    const each = await client.completion(uri, positionIn(text, '${each.', '${each.'.length));
    expect(each.map((i) => i.label)).toEqual([
      'apiVersion',
      'binaryData',
      'data',
      'immutable',
      'kind',
      'metadata',
    ]);
    const list = await client.hover(uri, positionIn(text, 'size(configs)', 'size('.length));
    expect(markdown(list)).toContain(', a list (collection)');
  });

  it('handles multi-document files and ignores YAML that holds no RGD', async () => {
    const uri = 'file:///work/multi.yaml';
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "${not.an.rgd}"\n';
    const text = `${other}---\n${typo}`;
    await client.open(uri, text);
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.range.start).toEqual(positionIn(text, '${schema.spec.values.deploymnt.tag}'));
    const h = await client.hover(uri, positionIn(text, 'deploymnt', 3));
    expect(markdown(h)).toContain('no field `deploymnt`');

    const plain = 'file:///work/plain.yaml';
    await client.open(plain, other);
    expect(await client.hover(plain, positionIn(other, 'not.an', 1))).toBeNull();
    expect(client.published(plain)).toEqual([]);
  });

  it('reports YAML syntax errors of an RGD file', async () => {
    const uri = 'file:///work/broken.yaml';
    const text = frontend.replace('  name: frontend-app-v2', '  name: [frontend');
    await client.open(uri, text);
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.code === 'YAML')).toBe(true);
  });

  it('resolves CRDs from the kro.crdPaths workspace setting, with their descriptions', async () => {
    const uri = 'file:///work/widget.yaml';
    await client.open(uri, widgetRgd);
    const before = await client.diagnosticsFor(uri, 1);
    expect(before.diagnostics.map((d) => d.code)).toEqual(['UnresolvedKind']);
    expect(before.diagnostics[0]?.range.start).toEqual(
      positionIn(widgetRgd, 'kind: Widget\n', 'kind: '.length),
    );

    const count = client.published(uri).length;
    await client.changeConfiguration({ kro: { crdPaths: ['test/fixtures/lsp/crds'] } });
    const after = await client.waitForPublication(uri, (_, i) => i >= count);
    expect(after.diagnostics).toEqual([]);
    const h = await client.hover(
      uri,
      positionIn(widgetRgd, 'widget.status.endpoint', 'widget.status.'.length),
    );
    expect(markdown(h)).toBe('**`widget.status.endpoint`**: `string`\n\nWhere the widget answers.');
    const name = await client.hover(uri, positionIn(widgetRgd, 'schema.spec.name', 13));
    expect(markdown(name)).toBe('**`schema.spec.name`**: `string`\n\nName of the app and its widget');
  });
});
