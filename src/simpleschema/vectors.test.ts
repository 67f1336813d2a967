// Differential test against kro v0.9.3 itself: test/fixtures/simpleschema/vectors.json was written
// by hack/ref/simpleschema (kro's own Go packages) from corpus.yaml. Every case must match kro,
// except the deliberate differences listed below with their reasons.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSpecSchema } from './build.js';

const FIXTURES = new URL('../../test/fixtures/simpleschema/', import.meta.url);

interface SchemaCase {
  name: string;
  spec?: unknown;
  types?: unknown;
}
interface Vector {
  name: string;
  schema?: unknown;
  error?: string;
}

const corpus = parse(readFileSync(new URL('corpus.yaml', FIXTURES), 'utf8')) as { schemas: SchemaCase[] };
const vectors = JSON.parse(readFileSync(new URL('vectors.json', FIXTURES), 'utf8')) as { schemas: Vector[] };

type Expected = { reason: string } & (
  { messages: string[] } | { schemaAt: { path: string[]; value: unknown } }
);

/** Deliberate differences from kro, each with the reason (spec 02 "Beyond kro" unless noted). */
const DIFFERENCES: Record<string, Expected> = {
  'int-hint': {
    reason: 'type-name hint (spec 02 §3)',
    messages: ['field a: unknown type: int (use integer)'],
  },
  'number-hint': {
    reason: 'type-name hint (spec 02 §3)',
    messages: ['field a: unknown type: number (use float)'],
  },
  'double-hint': {
    reason: 'type-name hint (spec 02 §3)',
    messages: ['field a: unknown type: double (use float)'],
  },
  'bool-hint': {
    reason: 'type-name hint (spec 02 §3)',
    messages: ['field a: unknown type: bool (use boolean)'],
  },
  'type-cycle': {
    reason: "kro's cycle path depends on Go map order; kro-ts starts at the alphabetically first type",
    messages: ['cyclic dependency in type A: graph contains a cycle: A -> B -> A'],
  },
  'type-self-reference': {
    reason: 'kro leaks its DAG\'s "self references are not allowed"; kro-ts reports it as the cycle it is',
    messages: ['cyclic dependency in type A: graph contains a cycle: A -> A'],
  },
  'type-unknown-dependency': {
    reason:
      'kro leaks its DAG\'s "node Missing does not exist"; kro-ts names the field and the type as in spec',
    messages: ['building schema for A: field b: unknown type: Missing'],
  },
  'trailing-space': {
    reason: 'trailing whitespace after the last marker is ignored (spec 02 §6.1)',
    schemaAt: { path: ['properties', 'a', 'default'], value: 'x' },
  },
  'default-boolean-go-lax': {
    reason:
      'boolean defaults only true/false; kro emits `True` raw and cannot serialise the CRD (spec 02 §6.2)',
    messages: ['field a: default value must be a valid boolean, got: True'],
  },
  'default-string-with-quote': {
    reason: 'string defaults are JSON-escaped; kro writes invalid JSON (spec 02 §6.2)',
    schemaAt: { path: ['properties', 'a', 'default'], value: 'say "hi"' },
  },
  'default-string-with-backslash': {
    reason: 'string defaults are JSON-escaped; kro writes invalid JSON (spec 02 §6.2)',
    schemaAt: { path: ['properties', 'a', 'default'], value: 'C:\\dir' },
  },
  'default-invalid-json-array': {
    reason: 'structured defaults must be JSON; kro passes the text through and cannot serialise the CRD',
    messages: ['field a: default value must be valid JSON, got: [a]'],
  },
};

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

describe('SimpleSchema matches kro v0.9.3 (reference vectors)', () => {
  const byName = new Map(vectors.schemas.map((v) => [v.name, v]));
  it('has a vector for every corpus case', () => {
    expect(corpus.schemas.map((c) => c.name)).toEqual(vectors.schemas.map((v) => v.name));
  });

  for (const c of corpus.schemas) {
    const vector = byName.get(c.name);
    const diff = DIFFERENCES[c.name];
    it(`${c.name}${diff ? ' (deliberate difference)' : ''}`, () => {
      const got = buildSpecSchema({ spec: c.spec, types: c.types });
      if (diff && 'messages' in diff) {
        expect(got.ok ? [] : got.error.map((i) => i.message)).toEqual(diff.messages);
      } else if (diff) {
        expect(got.ok).toBe(true);
        if (got.ok) expect(at(got.value, diff.schemaAt.path)).toEqual(diff.schemaAt.value);
      } else if (vector?.error !== undefined) {
        expect(got.ok ? [] : got.error.map((i) => i.message)).toEqual([vector.error]);
      } else {
        expect(got.ok ? got.value : got.error).toEqual(vector?.schema);
      }
    });
  }
});
