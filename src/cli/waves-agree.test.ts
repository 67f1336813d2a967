// `kro-ts graph`, `kro-ts render` and the operator share one wave scheduler (runtime/scheduler.ts):
// the waves `graph` prints are the waves `render` processes the same RGD in, node for node
// (test/integration/instance/frontend-app.test.ts checks the operator's against the same waves),
// and `render` reports two resources rendering one object as the operator does.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileOne, createResolver } from '../source/index.js';
import type { InstanceObject } from '../runtime/index.js';
import { prepareInstance } from './instance.js';
import { ObservedObjects } from './observed.js';
import { renderInstance } from './render-engine.js';
import { runCli } from './run.js';

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function graphWaves(rgd: string): Promise<string[][]> {
  const r = await cli(['graph', rgd, '--format', 'json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { applyWaves: string[][] }).applyWaves;
}

/** `# wave N: id` headers of render's output, as waves of ids (each id once). */
function renderWaves(stdout: string): string[][] {
  const waves: string[][] = [];
  for (const m of stdout.matchAll(/^# wave (\d+): (\S+)/gm)) {
    const wave = (waves[Number(m[1]) - 1] ??= []);
    if (!wave.includes(m[2] as string)) wave.push(m[2] as string);
  }
  return waves;
}

const F = 'test/fixtures/cli';
const CASES: [string, string, string[]][] = [
  [
    'frontend-app (deploy/examples)',
    'deploy/examples/frontend-app/rgd.yaml',
    ['deploy/examples/frontend-app/instance.yaml'],
  ],
  ['frontend-app-v2 (fixture)', `${F}/rgds/frontend-app-v2.yaml`, [`${F}/instances/frontend.yaml`]],
  [
    'webapp with an observed Deployment',
    `${F}/rgds/webapp.yaml`,
    [`${F}/instances/webapp.yaml`, '--observed', `${F}/observed`],
  ],
];

describe('graph and render agree on waves', () => {
  it.each(CASES)('%s', async (_name, rgd, rest) => {
    const expected = await graphWaves(rgd);
    const r = await cli(['render', rgd, ...rest]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Every node reaches its wave: nothing waits on readiness in these renders.
    expect(renderWaves(r.stdout)).toEqual(expected);
  });

  it('frontend-app: the Service (no dependency) runs in wave 1 beside the ConfigMap', async () => {
    expect(await graphWaves('deploy/examples/frontend-app/rgd.yaml')).toEqual([
      ['configMap', 'service'],
      ['deployment'],
    ]);
  });
});

/** Every node (external ones too) by the wave render processed it in, through the engine. */
async function engineWaves(rgd: string, instance: string, observed?: string): Promise<string[][]> {
  const compiled = await compileOne(rgd, createResolver({ crdPaths: [] }));
  if (!compiled.result.ok) throw new Error(`${rgd} does not compile`);
  const graph = compiled.result.value;
  const prepared = prepareInstance(parse(readFileSync(instance, 'utf8')), graph);
  expect(prepared.errors).toEqual([]);
  const out = renderInstance(graph, prepared.object as InstanceObject, ObservedObjects.load(observed));
  const waves: string[][] = [];
  for (const n of out.nodes) if (n.wave !== undefined) (waves[n.wave - 1] ??= []).push(n.id);
  expect(out.nodes.every((n) => n.wave !== undefined)).toBe(true);
  return waves;
}

describe('graph and the render engine agree on every node, external ones included', () => {
  it.each([
    ['collection', 'deploy/examples/collection', undefined],
    [
      'external-ref (platform settings observed)',
      'deploy/examples/external-ref',
      'deploy/examples/external-ref',
    ],
    ['frontend-app', 'deploy/examples/frontend-app', undefined],
  ])('%s', async (_name, dir, observed) => {
    const rgd = `${dir}/rgd.yaml`;
    expect(await engineWaves(rgd, `${dir}/instance.yaml`, observed)).toEqual(await graphWaves(rgd));
  });
});

describe('render reports identity collisions like the operator', () => {
  it('two resources rendering one ConfigMap, in one wave or in two, are errors (exit 1)', async () => {
    const r = await cli([
      'render',
      `${F}/rgds/duplicate-identity.yaml`,
      `${F}/instances/duplicate-identity.yaml`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      'error: node left: IdentityCollision: duplicate identity: /ConfigMap/develop/dup-shared',
      'error: node right: IdentityCollision: duplicate identity: /ConfigMap/develop/dup-shared',
      'error: node early: IdentityCollision: duplicate identity: /ConfigMap/develop/dup-early',
      'error: node late: IdentityCollision: duplicate identity: /ConfigMap/develop/dup-early',
    ]);
    // The dependent of the colliding node waits for it, as in the operator.
    expect(r.stdout).toContain('#   after: IN_PROGRESS WaitingForDependency: waiting for late (ERROR: ');
  });
});
