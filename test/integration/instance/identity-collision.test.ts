// Identity collisions on the real API server: the operator and `kro-ts render` drive one
// scheduler, so the RGD whose resources render the same ConfigMap (in one wave, and across two)
// gets the same states from both, and the operator's waves are the ones `kro-ts graph` prints.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ResourceGraphDefinition } from '../../../src/api/rgd.js';
import { renderInstance } from '../../../src/cli/render-engine.js';
import { ObservedObjects } from '../../../src/cli/observed.js';
import type { KubeObject } from '../../../src/kube/index.js';
import type { InstanceObject } from '../../../src/runtime/index.js';
import { staticWaves } from '../../../src/runtime/index.js';
import { createTestNamespace } from '../../harness/index.js';
import type { InstanceEnv } from './env.js';
import { startInstanceEnv, statusOf } from './env.js';

let env: InstanceEnv;
let ns: string;

beforeAll(async () => {
  const file = fileURLToPath(new URL('../../fixtures/cli/rgds/duplicate-identity.yaml', import.meta.url));
  env = await startInstanceEnv(parse(readFileSync(file, 'utf8')) as ResourceGraphDefinition);
  ns = await createTestNamespace('inst-dup');
});

describe('identity collisions', () => {
  it('the operator reports what render reports, in the waves graph prints', async () => {
    await env.kube.resources.create({
      ...env.ref('dup', ns),
      metadata: { name: 'dup', namespace: ns },
      spec: { name: 'dup' },
    } as KubeObject);
    env.waves.length = 0;
    await env.reconcile(env.key('dup', ns));
    const inst = (await env.get('dup', ns))!;
    const operator = Object.fromEntries(
      (statusOf(inst)['managedResources'] as { id: string; state: string; reason: string }[]).map((e) => [
        e.id,
        `${e.state} ${e.reason}`,
      ]),
    );
    expect(operator).toEqual({
      left: 'ERROR IdentityCollision',
      right: 'ERROR IdentityCollision',
      early: 'ERROR IdentityCollision',
      late: 'ERROR IdentityCollision',
      after: 'IN_PROGRESS WaitingForDependency',
    });
    expect(statusOf(inst)['state']).toBe('ERROR');

    const offline = renderInstance(env.graph, inst as unknown as InstanceObject, new ObservedObjects());
    expect(Object.fromEntries(offline.nodes.map((n) => [n.id, `${n.state} ${n.reason}`]))).toEqual(operator);

    // The operator ran the static waves up to the collision ('after' waits on the failed 'late').
    expect(env.waves.map((w) => w.nodes)).toEqual(staticWaves(env.graph).slice(0, 2));
    expect(staticWaves(env.graph)).toEqual([['left', 'right', 'early'], ['late'], ['after']]);
    // Neither of the two same-wave colliders was applied; the earlier-wave one was.
    const cm = (name: string) =>
      env.kube.resources.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });
    expect(await cm('dup-shared')).toBeUndefined();
    expect(await cm('dup-early')).toBeDefined();
  });
});
