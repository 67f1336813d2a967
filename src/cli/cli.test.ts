// Golden tests of the CLI: each case runs runCli in-process (as `kro-ts <argv>` from the repo
// root) with the OpenAPI fixtures as the built-in schemas, and compares exit code, stdout and
// stderr with test/fixtures/cli/golden/<name>.txt. UPDATE_GOLDEN=1 rewrites the files.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KRO_TS_VERSION } from '../api/constants.js';
import { runCli } from './run.js';

const schemaDir = fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url));
const goldenDir = fileURLToPath(new URL('../../test/fixtures/cli/golden/', import.meta.url));
const F = 'test/fixtures/cli';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) }, { schemaDir });
  return { code, stdout, stderr };
}

async function golden(name: string, argv: string[]): Promise<void> {
  const r = await run(argv);
  // The version label changes with every release; the goldens should not.
  const out = `$ kro-ts ${argv.join(' ')}\nexit: ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
  const actual = out.replaceAll(`kro.run/kro-version: ${KRO_TS_VERSION}`, 'kro.run/kro-version: <version>');
  const file = `${goldenDir}${name}.txt`;
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const cases: [string, string[]][] = [
  ['validate-ok', ['validate', `${F}/rgds/frontend-app-v2.yaml`, `${F}/rgds/webapp.yaml`]],
  ['validate-schema-error', ['validate', `${F}/invalid/schema-error.yaml`]],
  ['validate-id-error', ['validate', `${F}/invalid/id-error.yaml`]],
  ['validate-template-field-error', ['validate', `${F}/invalid/template-field-error.yaml`]],
  ['validate-expression-type-error', ['validate', `${F}/invalid/expression-type-error.yaml`]],
  ['validate-unknown-function', ['validate', `${F}/invalid/unknown-function.yaml`]],
  ['validate-cycle', ['validate', `${F}/invalid/cycle.yaml`]],
  ['validate-status-error', ['validate', `${F}/invalid/status-error.yaml`]],
  ['validate-multi-document', ['validate', `${F}/invalid/multi-document.yaml`]],
  ['validate-json', ['validate', '-f', `${F}/invalid/cycle.yaml`, '--output', 'json']],
  ['validate-chained-missing-crds', ['validate', `${F}/chained/platform.yaml`]],
  [
    'validate-chained',
    ['validate', `${F}/chained/platform.yaml`, `${F}/rgds/frontend-app-v2.yaml`, '--crds', `${F}/crds`],
  ],
  ['validate-yaml-error', ['validate', `${F}/invalid/broken-yaml.yaml`]],
  ['validate-missing-file', ['validate', `${F}/nope.yaml`]],
  ['usage-no-files', ['validate']],
  ['usage-unknown-command', ['frobnicate']],
  ['usage-bad-format', ['graph', `${F}/rgds/webapp.yaml`, '--format', 'png']],
  ['graph-text', ['graph', `${F}/rgds/frontend-app-v2.yaml`]],
  ['graph-webapp-text', ['graph', '-f', `${F}/rgds/webapp.yaml`]],
  ['graph-dot', ['graph', `${F}/rgds/webapp.yaml`, '--format', 'dot']],
  ['graph-mermaid', ['graph', `${F}/rgds/webapp.yaml`, '-o', 'mermaid']],
  ['graph-json', ['graph', `${F}/rgds/frontend-app-v2.yaml`, '--format', 'json']],
  ['graph-invalid', ['graph', `${F}/invalid/cycle.yaml`]],
  ['generate-crd-invalid', ['generate', 'crd', '-f', `${F}/invalid/id-error.yaml`]],
  ['usage-generate', ['generate', 'crds', `${F}/rgds/webapp.yaml`]],
  ['render-frontend', ['render', `${F}/rgds/frontend-app-v2.yaml`, `${F}/instances/frontend.yaml`]],
  [
    'render-frontend-bad-tag',
    ['render', `${F}/rgds/frontend-app-v2.yaml`, `${F}/instances/frontend-bad-tag.yaml`],
  ],
  ['render-webapp-pending', ['render', `${F}/rgds/webapp.yaml`, `${F}/instances/webapp.yaml`]],
  [
    'render-webapp-observed',
    ['render', `${F}/rgds/webapp.yaml`, `${F}/instances/webapp.yaml`, '--observed', `${F}/observed`],
  ],
  [
    'render-webapp-include-when-false',
    [
      'render',
      '-f',
      `${F}/rgds/webapp.yaml`,
      '-i',
      `${F}/instances/webapp-no-ingress.yaml`,
      '--observed',
      `${F}/observed`,
    ],
  ],
  [
    'render-duplicate-identity',
    ['render', `${F}/rgds/duplicate-identity.yaml`, `${F}/instances/duplicate-identity.yaml`],
  ],
  ['render-invalid-rgd', ['render', `${F}/invalid/cycle.yaml`, `${F}/instances/frontend.yaml`]],
  ['usage-render-one-file', ['render', `${F}/rgds/webapp.yaml`]],
  [
    'diff-breaking',
    [
      'diff',
      `${F}/rgds/frontend-app-v2.yaml`,
      `${F}/rgds/frontend-app-v2-next.yaml`,
      `${F}/instances/frontend.yaml`,
    ],
  ],
  [
    'diff-spec-form',
    [
      'diff',
      '-f',
      `${F}/rgds/frontend-app-v2-next.yaml`,
      '--old',
      `${F}/rgds/frontend-app-v2.yaml`,
      '-i',
      `${F}/instances/frontend.yaml`,
      '--observed',
      `${F}/observed`,
    ],
  ],
  ['diff-none', ['diff', `${F}/rgds/webapp.yaml`, `${F}/rgds/webapp.yaml`, `${F}/instances/webapp.yaml`]],
  ['diff-crd-only', ['diff', `${F}/rgds/frontend-app-v2.yaml`, `${F}/rgds/frontend-app-v2-next.yaml`]],
  [
    'diff-invalid-instance',
    [
      'diff',
      `${F}/rgds/frontend-app-v2.yaml`,
      `${F}/rgds/frontend-app-v2-next.yaml`,
      `${F}/instances/frontend-bad-tag.yaml`,
    ],
  ],
];

describe('kro-ts CLI golden outputs', () => {
  it.each(cases)('%s', async (name, argv) => {
    await golden(name, argv);
  });
});

describe('kro-ts CLI exit codes', () => {
  it("render rejects `tag: 1.0` with kube-apiserver's message and field path", async () => {
    const r = await run(['render', `${F}/rgds/frontend-app-v2.yaml`, `${F}/instances/frontend-bad-tag.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      ':13:12: spec.values.deployment.tag: Invalid value: "integer": spec.values.deployment.tag in body must be of type string: "integer"',
    );
  });

  it('diff exits 3 on changes and 0 without', async () => {
    expect(
      (await run(['diff', `${F}/rgds/webapp.yaml`, `${F}/rgds/webapp.yaml`, `${F}/instances/webapp.yaml`]))
        .code,
    ).toBe(0);
    const r = await run(['diff', `${F}/rgds/frontend-app-v2.yaml`, `${F}/rgds/frontend-app-v2-next.yaml`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('PROPERTY_REMOVED');
  });

  it('generate crd prints the instance CRD', async () => {
    const r = await run(['generate', 'crd', `${F}/rgds/frontend-app-v2.yaml`]);
    expect(r.code).toBe(0);
    const crd = parse(r.stdout) as { kind: string; metadata: { name: string }; spec: { scope: string } };
    expect([crd.kind, crd.metadata.name, crd.spec.scope]).toEqual([
      'CustomResourceDefinition',
      'frontendappv2s.kro.run',
      'Namespaced',
    ]);
  });

  it('help exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kro-ts');
  });

  it('every compile error class points at its line and column', async () => {
    // Each line is `file:line:col: <where>: <leaf>`; the position is exact, the leaf is kro's.
    const expected: [string, string, string][] = [
      ['schema-error', ':12:14: ', 'field values: field tag: unknown type: strin'],
      ['id-error', ':12:11: ', 'naming convention violation: id Config_Map'],
      ['template-field-error', ':31:19: ', 'schema not found for field imagee'],
      ['expression-type-error', ':22:21: ', 'type mismatch in resource "deployment"'],
      ['unknown-function', ':19:18: ', 'uses unknown functions: [toUpper]'],
      [
        'cycle',
        ':19:18: ',
        'failed to build dependency graph: graph contains a cycle: first -> second -> first',
      ],
      [
        'status-error',
        ':13:17: ',
        'failed to type-check status expression "deployment.status.readyReplicaz"',
      ],
    ];
    for (const [file, position, leaf] of expected) {
      const r = await run(['validate', `${F}/invalid/${file}.yaml`]);
      expect(r.code).toBe(1);
      const line = r.stdout.split('\n').find((l) => l.startsWith(`${F}/invalid/${file}.yaml${position}`));
      expect(line, `${file}: no issue at ${position}`).toBeDefined();
      expect(line).toContain(leaf);
    }
  });
});
