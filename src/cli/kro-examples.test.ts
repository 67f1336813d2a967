// kro's examples/kubernetes RGDs (our own fixtures with the same facts, test/fixtures/kro-examples)
// compile offline, and their generated CRDs pass the kube-apiserver checks of crd-check.ts: status
// fields projecting objects of built-in kinds get a structural schema (kro v0.9.4's shape), not a
// copy of the kind's OpenAPI schema with its defaults, required lists and int-or-string anyOf.
/* eslint-disable @typescript-eslint/no-explicit-any -- tests walk generated CRDs as untyped JSON */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { OpenApiSchema } from '../api/openapi.js';
import type { ResourceGraphDefinition } from '../api/rgd.js';
import { buildGraph } from '../graph/index.js';
import { BundledSchemaResolver } from '../schema/bundled-resolver.js';
import { synthesizeCrd } from '../crd/synthesize.js';
import { checkCrd } from '../source/crd-check.js';
import { runCli } from './run.js';
import { readYamlFile } from '../source/yaml-source.js';

const DIR = 'test/fixtures/kro-examples';
const EXAMPLES = [
  'webapp',
  'printer-columns',
  'cel-functions',
  'vote-app',
  'result-app',
  'worker-app',
  'job',
  'projections',
];

function rgd(name: string): ResourceGraphDefinition {
  return parse(readFileSync(`${DIR}/${name}.yaml`, 'utf8')) as ResourceGraphDefinition;
}

async function crdOf(name: string): Promise<any> {
  const r = await buildGraph(rgd(name), { resolver: new BundledSchemaResolver() });
  if (!r.ok) throw new Error(r.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.value.crd;
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Keywords kube-apiserver refuses or that make no sense in a controller-written status. */
const FOREIGN = ['default', 'required', 'anyOf', 'allOf', 'oneOf', 'enum', 'x-kubernetes-int-or-string'];
const FOREIGN_X = [
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
];

function keywords(s: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(s)) for (const v of s) keywords(v, out);
  else if (s && typeof s === 'object') {
    for (const [k, v] of Object.entries(s)) {
      out.add(k);
      if (k === 'properties') for (const p of Object.values(v as object)) keywords(p, out);
      else keywords(v, out);
    }
  }
  return out;
}

const statusOf = (crd: any): Record<string, OpenApiSchema> =>
  crd.spec.versions[0].schema.openAPIV3Schema.properties.status.properties;

describe("kro's examples/kubernetes RGDs", () => {
  it.each(EXAMPLES)("%s: the generated CRD passes kube-apiserver's checks", async (name) => {
    const crd = await crdOf(name);
    expect(checkCrd(crd)).toEqual([]);
    const { managedResources: _ours, ...inferred } = statusOf(crd);
    const used = keywords(inferred);
    for (const k of [...FOREIGN, ...FOREIGN_X]) expect(used.has(k), k).toBe(false);
  });

  it('kro-ts validate accepts all of them', async () => {
    const r = await cli(['validate', ...EXAMPLES.map((n) => `${DIR}/${n}.yaml`)]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${EXAMPLES.length} ResourceGraphDefinitions valid`);
    expect(r.code).toBe(0);
  });

  it("projects built-in kinds' objects the way kro v0.9.4 spells them", async () => {
    const status = statusOf(await crdOf('projections'));
    const condition = {
      type: 'object',
      properties: {
        lastTransitionTime: { 'x-kubernetes-preserve-unknown-fields': true },
        lastUpdateTime: { 'x-kubernetes-preserve-unknown-fields': true },
        message: { type: 'string' },
        reason: { type: 'string' },
        status: { type: 'string' },
        type: { type: 'string' },
      },
    };
    expect(status['deploymentConditions']).toEqual({ type: 'array', items: condition });
    expect(status['ports']).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          appProtocol: { type: 'string' },
          name: { type: 'string' },
          nodePort: { type: 'integer' },
          port: { type: 'integer' },
          protocol: { type: 'string' },
          targetPort: { 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    });
    expect(status['strategy']).toEqual({
      type: 'object',
      properties: {
        rollingUpdate: {
          type: 'object',
          properties: {
            maxSurge: { 'x-kubernetes-preserve-unknown-fields': true },
            maxUnavailable: { 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
        type: { type: 'string' },
      },
    });
    expect(status['selector']?.properties?.['matchLabels']).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(status['data']).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    // A timestamp at the top of a status field keeps its format (kro: the same, plus a description).
    expect(status['jobStarted']).toEqual({ type: 'string', format: 'date-time' });
    expect(statusOf(await crdOf('job'))['finishedAt']).toEqual({ type: 'string', format: 'date-time' });
  });

  it('a copy of the OpenAPI schema (what kro-ts did before) is refused where kube-apiserver refuses it', async () => {
    const kinds = await new BundledSchemaResolver().resolve({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    if (!kinds.ok) throw new Error(kinds.error);
    const conditions = kinds.value.schema.properties?.['status']?.properties?.['conditions'];
    const crd = synthesizeCrd({
      rgd: rgd('webapp'),
      specSchema: { type: 'object' },
      statusSchema: { type: 'object', properties: { deploymentConditions: conditions as OpenApiSchema } },
    });
    const paths = checkCrd(crd).map((e) => e.message);
    expect(paths).toContain(
      'spec.validation.openAPIV3Schema.properties[status].properties[deploymentConditions].items.default.status: Required value',
    );
  });
});

describe('YAML read as kubectl reads it', () => {
  it('a duplicated key is a warning with file:line, and the last value wins', async () => {
    const file = `${DIR}/duplicate-key.yaml`;
    const r = await cli(['generate', 'crd', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `${file}:25:11: warning: duplicate key "selector" (first at line 19); the last value is used\n`,
    );
    const v = await cli(['validate', file]);
    expect(v.code).toBe(0);
    expect(v.stderr).toBe(r.stderr);
    const [doc] = readYamlFile(file);
    const service = (doc?.value as any).spec.resources[0].template;
    expect(service.spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(service.spec.ports).toHaveLength(1);
  });
});
