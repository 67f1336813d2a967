// Hostile input to the CLI (issue 14): each case ends in one clear message naming the file and
// the limit hit, exit 1, no stack trace; and `validate` checks the RGD against the RGD CRD's own
// schema with the API server's wording.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, MAX_OBJECT_BYTES, MAX_REQUEST_BODY_BYTES } from '../source/input-limits.js';
import { runCli } from './run.js';

const schemaDir = fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kro-ts-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) }, { schemaDir });
  return { code, stdout, stderr };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const RGD_HEAD = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: x
spec:
  schema:
    apiVersion: v1alpha1
    kind: X
    spec:
      name: string
`;

const noStack = (s: string): void => {
  expect(s).not.toMatch(/\n\s+at /);
  expect(s.trim().split('\n')).toHaveLength(1);
};

describe('CLI hostile input', () => {
  it('a YAML alias bomb', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [n, p] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ]) {
      bomb.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(',')}]`);
    }
    const f = file('bomb.yaml', `${RGD_HEAD}${bomb.map((l) => `  ${l}`).join('\n')}\n`);
    const r = await run(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${f}:1:1: YAML aliases expand to too many nodes (limit: 100 alias expansions`,
    );
    noStack(r.stderr);
  });

  it('nesting 5,000 levels deep (flow and block)', async () => {
    const flow = file('deep-flow.yaml', `${RGD_HEAD}  deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    // Block sequences nest on one line: `- - - x`.
    const blockFile = file('deep-block.yaml', `${RGD_HEAD}  deep:\n    ${'- '.repeat(5000)}x\n`);
    for (const f of [flow, blockFile]) {
      const r = await run(['validate', f]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`));
      expect(r.stderr).toMatch(
        new RegExp(`nested more than ${MAX_NESTING_DEPTH} levels deep|Nesting|nested`),
      );
      noStack(r.stderr.split('\n').slice(0, 1).join('\n'));
      expect(r.stderr).not.toContain('Maximum call stack size exceeded');
    }
  });

  it('a directory', async () => {
    const d = join(dir, 'adir');
    mkdirSync(d);
    const r = await run(['validate', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${d}: is a directory (give the YAML files in it)\n`);
  });

  it('bytes that are not UTF-8', async () => {
    const f = file(
      'latin1.yaml',
      Buffer.concat([Buffer.from(RGD_HEAD), Buffer.from([0x20, 0x20, 0x78, 0x3a, 0x20, 0xe9, 0x0a])]),
    );
    const r = await run(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${f}: not valid UTF-8 (line 11, byte offset ${RGD_HEAD.length + 5}); YAML files must be UTF-8\n`,
    );
  });

  it('a 10 MB string: over the API server request limit, rejected before parsing', async () => {
    const f = file('huge.yaml', `${RGD_HEAD}  s: "${'x'.repeat(10 * 1024 * 1024)}"\n`);
    const r = await run(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /: file is \d+ bytes, over the API server's request limit of 3 MiB \(3145728 bytes\)\n$/,
    );
    expect(MAX_REQUEST_BODY_BYTES).toBe(3_145_728);
  });

  it('a 2 MB object: under the request limit, over etcd', async () => {
    const f = file('big.yaml', `${RGD_HEAD}  s: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    const r = await run(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}:1:1: object is`);
    expect(r.stderr).toContain(`over etcd's object limit of 1.5 MiB (${MAX_OBJECT_BYTES} bytes)`);
  });

  it('a map keyed by a list: one problem at the key, no process warning', async () => {
    const f = file('complex-key.yaml', `${RGD_HEAD}  ? [a, b]\n  : x\n`);
    const r = await run(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${f}:11:5: a map key must be a string, not a list or a map\n`);
  });

  it('a missing file', async () => {
    const r = await run(['validate', join(dir, 'nope.yaml')]);
    expect(r.stderr).toBe(`${join(dir, 'nope.yaml')}: no such file\n`);
  });
});

describe('validate checks the RGD against the RGD CRD schema', () => {
  it('apiVersion, schema.apiVersion pattern, resources as a map, a misspelled field', async () => {
    const f = file(
      'bad-shape.yaml',
      `apiVersion: kro.run/v9
kind: ResourceGraphDefinition
metadata:
  name: bad
spec:
  schema:
    apiVersion: "not a version!"
    kind: Bad
    spec:
      name: string
  resourcess:
    - id: x
  resources:
    cm:
      id: cm
`,
    );
    const r = await run(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${f}:1:13: apiVersion: no matches for kind "ResourceGraphDefinition" in version "kro.run/v9" (the RGD CRD serves kro.run/v1alpha1)`,
    );
    expect(r.stdout).toContain(
      `${f}:7:17: spec.schema.apiVersion: Invalid value: "not a version!": spec.schema.apiVersion in body should match '^v[0-9]+(alpha[0-9]+|beta[0-9]+)?$'`,
    );
    expect(r.stdout).toContain(`${f}:11:3: strict decoding error: unknown field "spec.resourcess"`);
    expect(r.stdout).toContain(
      `${f}:13:3: spec.resources: Invalid value: "object": spec.resources in body must be of type array: "object"`,
    );
  });
});
