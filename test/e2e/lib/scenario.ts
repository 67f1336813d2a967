// Scenario folders (test/e2e/scenarios/<name>/): YAML files driven through kubectl and checked by
// polling partial-object assertions. A folder holds either steps.yaml (a list of steps, below) or
// the default trio rgd.yaml → instance.yaml → assert.yaml. `__NAMESPACE__` anywhere in a file or
// step is replaced by the scenario's own namespace.
//
// Steps (paths are relative to the scenario folder):
//   - apply: <file> | { file, set?: { "<dotted.path>": value }, unset?: [path], args?: [kubectl flags],
//       expectError?: <regex>, waitActive?: bool }
//       kubectl apply -f; RGDs in the file are waited for (state Active, CRD established) unless
//       waitActive is false; expectError polls until kubectl fails with a matching message
//   - assert: <file> | { file, timeoutSeconds? }      every document matches (see subset.ts);
//       a document with `$absent: true` at top level asserts the object does not exist
//   - patch: { apiVersion, kind, name, namespace?, patch, subresource?: status }   merge patch
//   - markPodsReady: { selector, namespace? }   plays the kubelet: Pods Running and Ready
//   - delete: { apiVersion, kind, name, namespace?, wait?: bool }
//   - kubectl: { args: [...], expect?: [<regex>...], expectError?: <regex>, timeoutSeconds? }
//       polled until the output matches every regex (or the command fails matching expectError)

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Kube, KubeObject, ObjectRef } from '../../../src/kube/index.js';
import { isNotFound } from '../../../src/kube/index.js';
import { eventually } from '../../harness/index.js';
import { kubectl } from './kubectl.js';
import { findMismatch } from './subset.js';

export interface ScenarioContext {
  readonly dir: string;
  readonly namespace: string;
  readonly kubeconfig: string;
  readonly kube: Kube;
  /** Names of the RGDs the scenario applied (cleanup deletes their instances, RGDs and CRDs). */
  readonly rgds: Set<string>;
}

type Step = Record<string, unknown>;
type Obj = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 60_000;
const RGD_API_VERSION = 'kro.run/v1alpha1';
const RGD_KIND = 'ResourceGraphDefinition';

export function loadSteps(dir: string): Step[] {
  const file = join(dir, 'steps.yaml');
  if (existsSync(file)) return readYamlDocs(file, '__NAMESPACE__')[0] as Step[];
  return [{ apply: 'rgd.yaml' }, { apply: 'instance.yaml' }, { assert: 'assert.yaml' }];
}

function substitute(value: unknown, namespace: string): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll('__NAMESPACE__', namespace)) as unknown;
}

export function readYamlDocs(file: string, namespace: string): unknown[] {
  const text = readFileSync(file, 'utf8').replaceAll('__NAMESPACE__', namespace);
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
      return d.toJS() as unknown;
    })
    .filter((d) => d !== null && d !== undefined);
}

function setPath(obj: Obj, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Obj;
  }
  cur[keys.at(-1)!] = value;
}

function unsetPath(obj: Obj, dotted: string): void {
  const keys = dotted.split('.');
  let cur: unknown = obj;
  for (const k of keys.slice(0, -1))
    cur = typeof cur === 'object' && cur !== null ? (cur as Obj)[k] : undefined;
  if (typeof cur === 'object' && cur !== null) delete (cur as Obj)[keys.at(-1)!];
}

function refOf(o: Obj): ObjectRef {
  const md = (o['metadata'] ?? {}) as Obj;
  return {
    apiVersion: String(o['apiVersion']),
    kind: String(o['kind']),
    name: String(md['name'] ?? o['name']),
    ...((md['namespace'] ?? o['namespace']) ? { namespace: String(md['namespace'] ?? o['namespace']) } : {}),
  };
}

function describeRef(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

const NOT_YET_SERVED =
  /no matches for kind|ensure CRDs are installed|the server could not find the requested resource/;

async function stepApply(ctx: ScenarioContext, spec: Obj): Promise<void> {
  const docs = readYamlDocs(join(ctx.dir, String(spec['file'])), ctx.namespace) as Obj[];
  const set = (substitute(spec['set'] ?? {}, ctx.namespace) ?? {}) as Obj;
  const unset = ((spec['unset'] ?? []) as unknown[]).map(String);
  for (const d of docs) {
    for (const [path, v] of Object.entries(set)) setPath(d, path, v);
    for (const path of unset) unsetPath(d, path);
  }
  const input = docs.map((d) => JSON.stringify(d)).join('\n');
  const extraArgs = ((spec['args'] ?? []) as unknown[]).map(String);
  const expectError = spec['expectError'] === undefined ? undefined : new RegExp(String(spec['expectError']));
  const fatal = await eventually(
    async (): Promise<Error | undefined> => {
      const r = await kubectl(ctx.kubeconfig, ['apply', ...extraArgs, '-f', '-'], input);
      const out = r.stderr + r.stdout;
      if (expectError) {
        if (r.code === 0)
          return new Error(`kubectl apply succeeded; expected an error matching ${expectError}:\n${out}`);
        if (!expectError.test(out))
          throw new Error(`kubectl apply failed, but not with ${expectError}:\n${out}`);
        return undefined;
      }
      if (r.code === 0) return undefined;
      // A new CRD takes a moment to be served (and kubectl's discovery to notice it): retry only that.
      if (NOT_YET_SERVED.test(out)) throw new Error(out);
      return new Error(`kubectl apply -f ${String(spec['file'])} failed:\n${out}`);
    },
    { timeoutMs: 30_000, intervalMs: 500, description: `kubectl apply -f ${String(spec['file'])}` },
  );
  if (fatal) throw fatal;
  for (const d of docs.filter((x) => x['kind'] === RGD_KIND)) {
    const name = refOf(d).name;
    ctx.rgds.add(name);
    if (!expectError && spec['waitActive'] !== false) await waitRgdActive(ctx, name);
  }
}

/** The RGD is Active and its CRD is established. */
export async function waitRgdActive(ctx: ScenarioContext, name: string): Promise<void> {
  await eventually(
    async () => {
      const rgd = await ctx.kube.resources.get({ apiVersion: RGD_API_VERSION, kind: RGD_KIND, name });
      const status = (rgd['status'] ?? {}) as Obj;
      if (status['state'] !== 'Active') throw new Error(`RGD ${name} status: ${JSON.stringify(status)}`);
      const crds = await generatedCrds(ctx.kube, name);
      const established = crds.some((c) =>
        (((c['status'] as Obj | undefined)?.['conditions'] ?? []) as Obj[]).some(
          (x) => x['type'] === 'Established' && x['status'] === 'True',
        ),
      );
      if (!established) throw new Error(`CRD of RGD ${name} not established yet`);
    },
    {
      timeoutMs: DEFAULT_TIMEOUT_MS,
      intervalMs: 250,
      description: `RGD ${name} Active with its CRD established`,
    },
  );
}

export async function generatedCrds(kube: Kube, rgdName: string): Promise<KubeObject[]> {
  const list = await kube.resources.list({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    labelSelector: `kro.run/resource-graph-definition-name=${rgdName}`,
  });
  return list.items;
}

async function stepAssert(ctx: ScenarioContext, spec: Obj): Promise<void> {
  const docs = readYamlDocs(join(ctx.dir, String(spec['file'])), ctx.namespace) as Obj[];
  const timeoutMs = Number(spec['timeoutSeconds'] ?? DEFAULT_TIMEOUT_MS / 1000) * 1000;
  for (const expected of docs) {
    const ref = refOf(expected);
    const { $absent: absent, ...subset } = expected;
    await eventually(
      async () => {
        const actual = await ctx.kube.resources.tryGet(ref);
        if (absent === true) {
          if (actual) throw new Error(`${describeRef(ref)} still exists`);
          return;
        }
        if (!actual) throw new Error(`${describeRef(ref)} not found`);
        const mismatch = findMismatch(subset, actual);
        if (mismatch !== undefined) throw new Error(`${describeRef(ref)}: ${mismatch}`);
      },
      { timeoutMs, intervalMs: 250, description: `${String(spec['file'])}: ${describeRef(ref)}` },
    );
  }
}

async function stepPatch(ctx: ScenarioContext, spec: Obj): Promise<void> {
  const s = substitute(spec, ctx.namespace) as Obj;
  const ref = refOf(s);
  await eventually(
    async () => {
      if (s['subresource'] === 'status') await ctx.kube.resources.mergePatchStatus(ref, s['patch']);
      else await ctx.kube.resources.mergePatch(ref, s['patch']);
    },
    { timeoutMs: 30_000, intervalMs: 250, description: `patch ${describeRef(ref)}` },
  );
}

async function stepMarkPodsReady(ctx: ScenarioContext, spec: Obj): Promise<void> {
  const s = substitute(spec, ctx.namespace) as Obj;
  const namespace = String(s['namespace'] ?? ctx.namespace);
  await eventually(
    async () => {
      const pods = await ctx.kube.resources.list({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace,
        labelSelector: String(s['selector']),
      });
      if (pods.items.length === 0) throw new Error(`no pods with ${String(s['selector'])} yet`);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      for (const p of pods.items) {
        await ctx.kube.resources.mergePatchStatus(
          { apiVersion: 'v1', kind: 'Pod', name: p.metadata.name ?? '', namespace },
          {
            status: {
              phase: 'Running',
              conditions: [
                { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
                { type: 'Ready', status: 'True', lastTransitionTime: now },
                { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
              ],
            },
          },
        );
      }
    },
    { timeoutMs: 30_000, intervalMs: 250, description: `pods ${String(s['selector'])} marked ready` },
  );
}

async function stepDelete(ctx: ScenarioContext, spec: Obj): Promise<void> {
  const s = substitute(spec, ctx.namespace) as Obj;
  const ref = refOf(s);
  try {
    await ctx.kube.resources.delete(ref, { propagationPolicy: 'Background' });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (s['wait'] === false) return;
  await eventually(
    async () => {
      if (await ctx.kube.resources.tryGet(ref)) throw new Error(`${describeRef(ref)} still exists`);
    },
    { timeoutMs: DEFAULT_TIMEOUT_MS, intervalMs: 250, description: `${describeRef(ref)} deleted` },
  );
}

async function stepKubectl(ctx: ScenarioContext, spec: Obj): Promise<void> {
  const s = substitute(spec, ctx.namespace) as Obj;
  const args = (s['args'] as unknown[]).map(String);
  const expect = ((s['expect'] ?? []) as unknown[]).map((x) => new RegExp(String(x), 'm'));
  const expectError = s['expectError'] === undefined ? undefined : new RegExp(String(s['expectError']), 'm');
  await eventually(
    async () => {
      const r = await kubectl(ctx.kubeconfig, args);
      const out = r.stdout + r.stderr;
      if (expectError) {
        if (r.code === 0 || !expectError.test(out))
          throw new Error(`expected failure matching ${expectError}, got exit ${r.code}:\n${out}`);
        return;
      }
      if (r.code !== 0) throw new Error(`exit ${r.code}:\n${out}`);
      const missing = expect.filter((re) => !re.test(out));
      if (missing.length > 0) throw new Error(`output lacks ${missing.join(', ')}:\n${out}`);
    },
    {
      timeoutMs: Number(s['timeoutSeconds'] ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
      intervalMs: 500,
      description: `kubectl ${args.join(' ')}`,
    },
  );
}

function asSpec(v: unknown): Obj {
  return typeof v === 'string' ? { file: v } : (v as Obj);
}

export async function runStep(ctx: ScenarioContext, step: Step): Promise<void> {
  const [kind, value] = Object.entries(step)[0] ?? [];
  switch (kind) {
    case 'apply':
      return stepApply(ctx, asSpec(value));
    case 'assert':
      return stepAssert(ctx, asSpec(value));
    case 'patch':
      return stepPatch(ctx, value as Obj);
    case 'markPodsReady':
      return stepMarkPodsReady(ctx, value as Obj);
    case 'delete':
      return stepDelete(ctx, value as Obj);
    case 'kubectl':
      return stepKubectl(ctx, value as Obj);
    default:
      throw new Error(`unknown step ${JSON.stringify(step)}`);
  }
}

export function describeStep(step: Step): string {
  const [kind, value] = Object.entries(step)[0] ?? ['?', ''];
  if (typeof value === 'string') return `${kind} ${value}`;
  const v = value as Obj;
  if (kind === 'kubectl') return `kubectl ${((v['args'] ?? []) as unknown[]).join(' ')}`;
  return `${kind} ${String(v['file'] ?? v['name'] ?? v['selector'] ?? '')}`;
}
