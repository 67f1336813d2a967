// A seeded fuzzer for the compiler and the CLI's input path (issue 14): random and mutated RGDs
// (as objects and as YAML text), instances and CEL expressions. Every case must end in a value or
// a rejection with a message; an exception of an unexpected type is a crash, a case slower than
// the bound is a hang. `runFuzz` is driven by src/fuzz/fuzz.test.ts (CI) and hack/fuzz.ts (long
// runs); the seed is printed so any finding can be replayed.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { ResourceGraphDefinition } from '../api/rgd.js';
import { compileExpression, toCel } from '../cel/index.js';
import { SourceError } from '../source/errors.js';
import { checkRgdAgainstCrd } from '../source/rgd-schema-check.js';
import { parseYamlText } from '../source/yaml-source.js';
import { buildGraph } from '../graph/build-graph.js';
import type { CompiledGraph } from '../graph/types.js';
import { KroError } from '../lib/errors.js';
import { InstanceContext, planNode } from '../runtime/index.js';
import type { InstanceObject } from '../runtime/index.js';
import { loadDocuments } from '../schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../schema/static-resolver.js';

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Finding {
  readonly kind: 'crash' | 'hang' | 'silent';
  readonly caseIndex: number;
  readonly family: string;
  readonly input: string;
  readonly detail: string;
}

export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  readonly byFamily: Record<string, number>;
  readonly rejected: number;
  readonly accepted: number;
  readonly findings: Finding[];
  readonly slowestMs: number;
}

const repo = fileURLToPath(new URL('../../', import.meta.url));
const resolver = new StaticSchemaResolver(loadDocuments(`${repo}test/fixtures/openapi/`));
const SEEDS = ['webapp.yaml', 'frontend-app-v2.yaml', 'external-foreach.yaml'].map(
  (f) => parse(readFileSync(`${repo}test/fixtures/graph/${f}`, 'utf8')) as Record<string, unknown>,
);

const EXPRESSIONS = [
  'schema.spec.name',
  'schema.spec.name + "-x"',
  'schema.spec.replicas * 2',
  'schema.spec.s.trim().lowerAscii()',
  'size(schema.spec.items) > 0 ? schema.spec.items[0] : "none"',
  'schema.spec.items.map(x, x + "!").filter(y, y.startsWith("a"))',
  'lists.range(10).all(i, i < 10)',
  '{"a": 1, "b": 2}.exists(k, k == "a")',
  'quantity("100Mi").isGreaterThan(quantity("1Gi"))',
  'url("https://x.example/p?q=1").getQuery()',
  'string(duration("1h30m"))',
  'semver("1.2.3").major()',
  'json.marshal({"a": [1, 2.5, "x"]})',
  '"%s-%d".format([schema.spec.name, 3])',
  'has(schema.spec.opt) ? schema.spec.opt : "d"',
  'schema.spec.?opt.orValue("z")',
  'matches(schema.spec.name, "^[a-z]+$")',
  'base64.decode(base64.encode(b"abc"))',
  'ip("10.0.0.1").family()',
  'cidr("10.0.0.0/8").containsIP(ip("10.1.2.3"))',
];
const TOKENS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '.',
  ',',
  '?',
  ':',
  '!',
  '"',
  "'",
  '\\',
  '${',
  '}',
  ' ',
  '+',
  '*',
  '==',
  '&&',
  '||',
  'schema',
  'spec',
  'name',
  'null',
  'true',
  '1',
  '-9223372036854775808',
  '1e308',
  '"\\u0000"',
  'lists.range(100000)',
  '.map(x, x)',
  'size(',
  'dyn(',
  'int(',
  'string(',
  'omit()',
  '\u{1F600}',
  '\ud800',
  '\n',
  '\t',
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function mutateText(r: () => number, s: string, rounds = 1 + Math.floor(r() * 4)): string {
  let out = s;
  for (let i = 0; i < rounds; i++) {
    const at = Math.floor(r() * (out.length + 1));
    switch (Math.floor(r() * 6)) {
      case 0:
        out = out.slice(0, at) + pick(r, TOKENS) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(r() * 5));
        break;
      case 2:
        out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + out.slice(at + 1);
        break;
      case 3: {
        const from = Math.floor(r() * out.length);
        out = out.slice(0, at) + out.slice(from, from + Math.floor(r() * 20)) + out.slice(at);
        break;
      }
      case 4:
        out = out.slice(0, at) + pick(r, TOKENS).repeat(1 + Math.floor(r() * 50)) + out.slice(at);
        break;
      default:
        out = pick(r, EXPRESSIONS) + pick(r, [' + ', ' && ', '.', ' ? ', '[']) + out;
    }
  }
  return out;
}

const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 63,
  '',
  'x',
  '${schema.spec.name}',
  '${',
  [],
  {},
  [1, 'a'],
  { a: { b: 1 } },
  'string | default=3',
  'integer | minimum=-1',
  '[]string',
  'map[string]integer',
  '${lists.range(100000).map(x, x)}',
];

/** Structural mutation: replace, delete or add a value somewhere in a JSON tree. */
function mutateTree(r: () => number, root: unknown, rounds = 1 + Math.floor(r() * 3)): unknown {
  const copy = structuredClone(root);
  for (let i = 0; i < rounds; i++) {
    const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach((c, j) => {
          nodes.push([v, j]);
          walk(c);
        });
      } else if (v !== null && typeof v === 'object') {
        for (const [k, c] of Object.entries(v)) {
          nodes.push([v as Record<string, unknown>, k]);
          walk(c);
        }
      }
    };
    walk(copy);
    if (nodes.length === 0) break;
    const [parent, key] = pick(r, nodes);
    const op = Math.floor(r() * 5);
    const p = parent as Record<string | number, unknown>;
    if (op === 0) delete p[key];
    else if (op === 1) p[key] = structuredClone(pick(r, VALUES));
    else if (op === 2 && typeof p[key] === 'string') p[key] = mutateText(r, p[key] as string, 1);
    else if (op === 3 && typeof p[key] === 'string') p[key] = `\${${mutateText(r, pick(r, EXPRESSIONS), 1)}}`;
    else p[`k${Math.floor(r() * 9)}`] = structuredClone(pick(r, VALUES));
  }
  return copy;
}

type Outcome = 'accepted' | 'rejected';

function expected(e: unknown): boolean {
  return e instanceof SourceError || e instanceof KroError;
}

/** The first frame of the stack inside src/ (where a crash happened), for the finding. */
function whereOf(e: unknown): string {
  if (e instanceof SilentRejection || !(e instanceof Error)) return '';
  const frame = e.stack?.split('\n').find((l) => l.includes('/src/') && !l.includes('/src/fuzz/'));
  return frame ? ` (${frame.trim()})` : '';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function compileCase(rgd: unknown): Promise<{ outcome: Outcome; graph?: CompiledGraph }> {
  const r = await buildGraph(rgd as ResourceGraphDefinition, { resolver });
  if (r.ok) return { outcome: 'accepted', graph: r.value };
  if (r.error.length === 0 || r.error.some((i) => !i.message))
    throw new SilentRejection(JSON.stringify(r.error));
  return { outcome: 'rejected' };
}

class SilentRejection extends Error {}

function renderCase(graph: CompiledGraph, spec: unknown): void {
  const instance = {
    apiVersion: 'kro.run/v1alpha1',
    kind: graph.instance.kind,
    metadata: { name: 'fuzz', namespace: 'ns', uid: 'u', generation: 1 },
    spec,
  } as InstanceObject;
  const ctx = new InstanceContext(graph, instance, {
    timeoutMs: 50,
    reconcileBudgetMs: 200,
    maxCollectionSize: 50,
    ownerReferences: 'auto',
    kroVersion: '0.0.0',
  });
  for (const id of graph.topologicalOrder) {
    const plan = planNode(ctx, { node: graph.nodesById.get(id)!, applySetId: 'x', stateOf: () => 'SYNCED' });
    if (plan.kind === 'outcome' && plan.outcome.state === 'ERROR' && !plan.outcome.message)
      throw new SilentRejection(`node ${id}: ERROR without a message`);
  }
}

const EXPR_VARS = {
  schema: {
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            s: { type: 'string' },
            replicas: { type: 'integer' },
            opt: { type: 'string' },
            items: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

function expressionCase(r: () => number): Outcome {
  const text = r() < 0.2 ? pick(r, EXPRESSIONS) : mutateText(r, pick(r, EXPRESSIONS));
  const c = compileExpression(text, { variables: EXPR_VARS as never });
  if (!c.ok) {
    if (!c.error.message) throw new SilentRejection(`expression ${JSON.stringify(text)}: no message`);
    return 'rejected';
  }
  const spec = {
    name: pick(r, ['a', '', 'x'.repeat(1000)]),
    s: ' '.repeat(Math.floor(r() * 5000)),
    replicas: BigInt(Math.floor(r() * 10)),
    items: ['a', 'b'],
  };
  try {
    c.value.evaluate({ schema: toCel({ spec }, EXPR_VARS.schema.schema as never) }, { timeoutMs: 50 });
    return 'accepted';
  } catch (e) {
    if (!messageOf(e)) throw new SilentRejection('evaluation error without a message');
    if (
      e instanceof Error &&
      (e.name === 'EvaluationError' || expected(e) || e.constructor.name.endsWith('Error')) &&
      !(e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError)
    )
      return 'rejected';
    throw e;
  }
}

function yamlCase(r: () => number, base: Record<string, unknown>): Outcome {
  const text =
    r() < 0.5 ? mutateText(r, stringify(base), 1 + Math.floor(r() * 8)) : stringify(mutateTree(r, base));
  try {
    const docs = parseYamlText('fuzz.yaml', text);
    for (const d of docs) {
      const issues = checkRgdAgainstCrd(d.value);
      if (issues.some((i) => !i.message)) throw new SilentRejection('schema issue without a message');
    }
    return 'accepted';
  } catch (e) {
    if (e instanceof SourceError && e.message) return 'rejected';
    throw e;
  }
}

export interface FuzzOptions {
  readonly seed: number;
  readonly cases: number;
  /** A case slower than this is a hang (default 3 s). */
  readonly hangMs?: number;
  readonly onProgress?: (done: number) => void;
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const r = prng(opts.seed);
  const hangMs = opts.hangMs ?? 3000;
  const findings: Finding[] = [];
  const byFamily: Record<string, number> = {};
  let rejected = 0;
  let accepted = 0;
  let slowestMs = 0;
  for (let i = 0; i < opts.cases; i++) {
    const roll = r();
    const family = roll < 0.25 ? 'rgd' : roll < 0.6 ? 'yaml' : 'expression';
    byFamily[family] = (byFamily[family] ?? 0) + 1;
    const base = pick(r, SEEDS);
    let input = '';
    const started = performance.now();
    try {
      let outcome: Outcome;
      if (family === 'rgd') {
        const rgd = r() < 0.1 ? base : mutateTree(r, base);
        input = JSON.stringify(rgd).slice(0, 2000);
        const c = await compileCase(rgd);
        outcome = c.outcome;
        if (c.graph)
          renderCase(c.graph, mutateTree(r, { name: 'n', replicas: 2, image: 'x', tag: 't', values: {} }));
      } else if (family === 'yaml') {
        input = '(mutated YAML of a fixture)';
        outcome = yamlCase(r, base);
      } else {
        input = '(mutated expression)';
        outcome = expressionCase(r);
      }
      if (outcome === 'accepted') accepted++;
      else rejected++;
    } catch (e) {
      const kind = e instanceof SilentRejection ? 'silent' : 'crash';
      findings.push({
        kind,
        caseIndex: i,
        family,
        input,
        detail: `${e instanceof Error ? e.constructor.name : typeof e}: ${messageOf(e).slice(0, 500)}${whereOf(e)}`,
      });
    }
    const ms = performance.now() - started;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > hangMs)
      findings.push({ kind: 'hang', caseIndex: i, family, input, detail: `${ms.toFixed(0)} ms` });
    if (i % 1000 === 999) opts.onProgress?.(i + 1);
  }
  return { seed: opts.seed, cases: opts.cases, byFamily, rejected, accepted, findings, slowestMs };
}
