/* eslint-disable @typescript-eslint/no-explicit-any -- tests walk API objects as untyped JSON */
// The generated RGD CRD (crds/) on a real API server: it is accepted, and its validation rules
// answer with kro's messages. The CRD is shared by every test file, so it is installed
// idempotently and left in place; the RGDs created here use unique names and groups.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RGD_CRD_FILE } from '../../../src/api/rgd-crd.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { ensureCrd } from '../../../src/kube/index.js';
import { deleteAfter, getKube, uniqueGroup, uniqueName } from '../../harness/index.js';
import { rejection } from './helpers.js';

const crd = parse(readFileSync(new URL(`../../../${RGD_CRD_FILE}`, import.meta.url), 'utf8')) as KubeObject;

function rgd(schema: Record<string, unknown>, resources?: unknown[]): KubeObject {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: uniqueName('rgdcrd') },
    spec: {
      schema: { apiVersion: 'v1alpha1', kind: 'Thing', group: uniqueGroup('rgd'), ...schema },
      ...(resources ? { resources } : {}),
    },
  };
}

async function create(obj: KubeObject): Promise<KubeObject> {
  const kube = await getKube();
  const created = await kube.resources.create(obj);
  deleteAfter({ apiVersion: obj.apiVersion, kind: obj.kind, name: created.metadata.name ?? '' });
  return created;
}

beforeAll(async () => {
  const kube = await getKube();
  await ensureCrd(kube.resources, crd, { timeoutMs: 60_000 });
});

describe('the RGD CRD from crds/ on the API server', () => {
  it('accepts a valid RGD and defaults scope (and group when omitted)', async () => {
    const obj = rgd({ shortNames: ['th'], categories: ['kro'] });
    delete (obj.spec as any).schema.group;
    const created = await create(obj);
    expect((created.spec as any).schema).toMatchObject({ group: 'kro.run', scope: 'Namespaced' });
  });

  const invalid: [string, KubeObject, string[]][] = [
    ['kind pattern', rgd({ kind: 'thing' }), ['spec.schema.kind']],
    ['apiVersion pattern', rgd({ apiVersion: 'version1' }), ['spec.schema.apiVersion']],
    ['scope enum', rgd({ scope: 'Global' }), ['spec.schema.scope', 'Unsupported value']],
    ['shortNames pattern', rgd({ shortNames: ['Bad_Name'] }), ['spec.schema.shortNames[0]']],
    ['categories set', rgd({ categories: ['a', 'a'] }), ['spec.schema.categories[1]', 'Duplicate value']],
    [
      'template xor externalRef',
      rgd({}, [{ id: 'a' }]),
      ['spec.resources[0]', 'exactly one of template or externalRef must be provided'],
    ],
    [
      'forEach one entry',
      rgd({}, [{ id: 'a', template: {}, forEach: [{ a: 'x', b: 'y' }] }]),
      ['spec.resources[0].forEach[0]'],
    ],
  ];
  for (const [rule, obj, fragments] of invalid) {
    it(`rejects a violation of ${rule}`, async () => {
      const message = await rejection(() => create(obj));
      for (const f of fragments) expect(message).toContain(f);
    });
  }

  // kro v0.9.4: the selector is schemaless (a LabelSelector or a CEL expression) and "exactly one
  // of name or selector" is a build-time check (src/graph/selector.test.ts), no longer admission.
  it.each([
    ['a CEL expression as selector', { selector: '${schema.spec.selector}' }],
    ['a literal selector', { selector: { matchLabels: { app: 'web' } } }],
    ['neither name nor selector', {}],
  ])('admits an externalRef with %s', async (_what, metadata) => {
    const created = await create(
      rgd({}, [{ id: 'a', externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata } }]),
    );
    expect((created.spec as any).resources[0].externalRef.metadata).toEqual(metadata);
  });

  for (const [field, value, message] of [
    ['kind', 'Other', 'kind is immutable'],
    ['apiVersion', 'v2', 'apiVersion is immutable'],
    ['group', 'other.example.com', 'group is immutable'],
    ['scope', 'Cluster', 'scope is immutable'],
  ] as const) {
    it(`keeps ${field} immutable ("${message}")`, async () => {
      const created = await create(rgd({}));
      const kube = await getKube();
      const spec = created.spec as { schema: Record<string, unknown> };
      const changed = { ...created, spec: { ...spec, schema: { ...spec.schema, [field]: value } } };
      const got = await rejection(() => kube.resources.replace(changed));
      expect(got).toContain(message);
    });
  }
});
