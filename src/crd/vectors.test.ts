/* eslint-disable @typescript-eslint/no-explicit-any -- tests walk generated CRDs as untyped JSON */
// Differential tests of crd/ against kro v0.9.3 (vectors written by hack/ref/simpleschema from
// kro's own SynthesizeCRD, compat.CompareVersions and flect.Pluralize). Deliberate differences
// are listed with their reasons.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ResourceGraphDefinition, RgdSchema } from '../api/rgd.js';
import type { JsonObject } from '../lib/json.js';
import { buildSpecSchema } from '../simpleschema/index.js';
import { diffCrds } from './diff.js';
import { pluralize } from './pluralize.js';
import { synthesizeCrd } from './synthesize.js';

const FIXTURES = new URL('../../test/fixtures/simpleschema/', import.meta.url);

interface SchemaInput {
  spec?: unknown;
  types?: unknown;
}
interface Corpus {
  crds: { name: string; schema: RgdSchema }[];
  diffs: { name: string; old: SchemaInput; new: SchemaInput }[];
}
interface ChangeVector {
  path: string;
  type: string;
  old: string;
  new: string;
  description: string;
}
interface Vectors {
  crds: { name: string; schema?: JsonObject; error?: string }[];
  diffs: { name: string; breaking: ChangeVector[]; nonBreaking: ChangeVector[]; summary?: string }[];
  plurals: Record<string, string>;
}

const corpus = parse(readFileSync(new URL('corpus.yaml', FIXTURES), 'utf8')) as Corpus;
const vectors = JSON.parse(readFileSync(new URL('vectors.json', FIXTURES), 'utf8')) as Vectors;

function specOf(input: SchemaInput): JsonObject {
  const r = buildSpecSchema(input);
  if (!r.ok) throw new Error(r.error.map((i) => i.message).join('\n'));
  return r.value as JsonObject;
}

function crdFor(schema: RgdSchema, spec: SchemaInput = schema): JsonObject {
  const rgd: ResourceGraphDefinition = {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'test', uid: 'uid-1' },
    spec: { schema },
  };
  return synthesizeCrd({
    rgd,
    specSchema: specOf(spec),
    statusSchema: { type: 'object' },
    kroVersion: '0.1.0',
  });
}

/**
 * kro-ts's CRD minus what kro-ts adds on purpose, so the rest must equal kro's SynthesizeCRD:
 * - the kro.run/* ownership labels: kro adds them in its controller, kro-ts in synthesizeCrd;
 * - status.observedGeneration and status.managedResources: Beyond kro (spec 02 §8).
 */
function withoutKroTsAdditions(crd: JsonObject): JsonObject {
  const copy = structuredClone(crd) as Record<string, any>;
  const labels = copy['metadata']['labels'] as Record<string, string>;
  for (const k of Object.keys(labels)) if (k.startsWith('kro.run/')) delete labels[k];
  if (Object.keys(labels).length === 0) delete copy['metadata']['labels'];
  const status = copy['spec']['versions'][0]['schema']['openAPIV3Schema']['properties']['status'];
  delete status['properties']['observedGeneration'];
  delete status['properties']['managedResources'];
  return copy as JsonObject;
}

describe('synthesizeCrd matches kro v0.9.3 SynthesizeCRD', () => {
  for (const c of corpus.crds) {
    it(c.name, () => {
      const want = vectors.crds.find((v) => v.name === c.name);
      expect(want?.schema).toBeDefined();
      expect(withoutKroTsAdditions(crdFor(c.schema))).toEqual(want?.schema);
    });
  }
});

describe('pluralize matches flect v1.0.3 (kro pins it) on every table word and more', () => {
  it(`agrees on all ${Object.keys(vectors.plurals).length} words`, () => {
    const mismatches = Object.entries(vectors.plurals).filter(([w, p]) => pluralize(w) !== p);
    expect(mismatches).toEqual([]);
  });
});

/** Descriptions kro-ts writes differently, on purpose. */
const DESCRIPTION_DIFFERENCES: Record<string, { want: string; reason: string }> = {
  'required-added-no-default': {
    want: 'Required property b was added',
    reason: 'kro compares NewValue with "required" but stores "required=true", so it always says Optional',
  },
};

describe('diffCrds matches kro v0.9.3 compat.CompareVersions', () => {
  for (const d of corpus.diffs) {
    it(d.name, () => {
      const want = vectors.diffs.find((v) => v.name === d.name);
      const base: RgdSchema = { apiVersion: 'v1alpha1', kind: 'Thing' };
      const got = diffCrds(crdFor(base, d.old), crdFor(base, d.new));
      const asVector = (c: {
        path: string;
        type: string;
        oldValue: string;
        newValue: string;
        description: string;
      }) => ({
        path: c.path,
        type: c.type,
        old: c.oldValue,
        new: c.newValue,
        description: DESCRIPTION_DIFFERENCES[d.name]?.want === c.description ? 'kro-ts' : c.description,
      });
      const expected = (list: ChangeVector[]) =>
        list.map((c) => ({ ...c, description: DESCRIPTION_DIFFERENCES[d.name] ? 'kro-ts' : c.description }));
      const sortKey = (a: { path: string; description: string }, b: { path: string; description: string }) =>
        a.path === b.path ? a.description.localeCompare(b.description) : a.path < b.path ? -1 : 1;
      expect(got.breaking.map(asVector).sort(sortKey)).toEqual(expected(want?.breaking ?? []));
      // OTHER_CHANGED is kro-ts's record of differences kro ignores (spec 01 §7.1 bug fix).
      const nonBreaking = got.nonBreaking.filter((c) => c.type !== 'OTHER_CHANGED');
      expect(nonBreaking.map(asVector).sort(sortKey)).toEqual(expected(want?.nonBreaking ?? []));
      if (want?.summary !== undefined && !DESCRIPTION_DIFFERENCES[d.name])
        expect(got.summary).toBe(want.summary);
      expect(got.needsUpdate).toBe(d.name !== 'identical');
    });
  }
});
