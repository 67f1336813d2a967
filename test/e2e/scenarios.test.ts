// The e2e scenario runner: every folder under test/e2e/scenarios/ is one test, run in order
// against the harness's cluster (the local control plane, or KRO_TS_TEST_KUBECONFIG) with the
// operator as a separate process built from this checkout, or already running in the cluster
// (KRO_TS_E2E_OPERATOR=in-cluster). Each scenario gets its own namespace and is cleaned up after
// itself; on failure the operator's log since the scenario began is printed and attached.
// Format of a scenario: test/e2e/lib/scenario.ts. KRO_TS_E2E_SCENARIO=<name> runs one folder.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kube } from '../../src/kube/index.js';
import { getKube, getKubeConfigPath, uniqueName } from '../harness/index.js';
import { cleanupScenario } from './lib/cleanup.js';
import { ensureRgdCrd } from './lib/namespace.js';
import type { BuiltDist, RunningOperator } from './lib/operator-process.js';
import { attachInCluster, buildDist, operatorMode, startOperatorProcess } from './lib/operator-process.js';
import { repoRoot } from './lib/paths.js';
import { describeStep, loadSteps, runStep } from './lib/scenario.js';

const scenariosDir = join(repoRoot, 'test/e2e/scenarios');
const only = process.env['KRO_TS_E2E_SCENARIO'];
const scenarios = readdirSync(scenariosDir)
  .filter((n) => statSync(join(scenariosDir, n)).isDirectory())
  .filter((n) => !only || n === only)
  .sort();

let kube: Kube;
let kubeconfig: string;
let operator: RunningOperator;
let built: BuiltDist | undefined;
/** Every RGD the scenarios applied. */
const appliedRgds = new Set<string>();

beforeAll(async () => {
  kube = await getKube();
  kubeconfig = getKubeConfigPath();
  if (operatorMode() === 'in-cluster') {
    operator = await attachInCluster(kubeconfig);
    return;
  }
  // The operator needs the RGD CRD, which the install manifests provide in a real cluster.
  await ensureRgdCrd(kube);
  built = buildDist();
  operator = await startOperatorProcess({ kubeconfig, dist: built.dist });
});

afterAll(async () => {
  const code = await operator?.stop();
  built?.remove();
  // SIGTERM drains and exits 0 (spec 05 §1).
  if (operator?.mode === 'process') expect(code).toBe(0);
});

describe('e2e scenarios', () => {
  it('finds scenario folders', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  for (const name of scenarios) {
    it(name, async () => {
      const dir = join(scenariosDir, name);
      const namespace = uniqueName(`e2e-${name}`).slice(0, 63);
      await kube.resources.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      const ctx = { dir, namespace, kubeconfig, kube, rgds: new Set<string>() };
      const mark = operator.mark();
      let failure: unknown;
      let current = '';
      try {
        for (const [i, step] of loadSteps(dir).entries()) {
          current = `step ${i + 1} (${describeStep(step)})`;
          await runStep(ctx, step);
        }
      } catch (e) {
        failure = e;
      }
      for (const r of ctx.rgds) appliedRgds.add(r);
      const problems = await cleanupScenario({ kube, rgds: ctx.rgds, namespace });
      if (failure !== undefined) {
        const logs = await operator.logsSince(mark);
        process.stderr.write(`\n===== operator log for scenario ${name} =====\n${logs}\n===== end =====\n`);
        const tail = logs.split('\n').slice(-40).join('\n');
        const msg = failure instanceof Error ? failure.message : String(failure);
        throw new Error(`${name}: ${current} failed: ${msg}\n--- operator log (last 40 lines) ---\n${tail}`, {
          cause: failure,
        });
      }
      expect(problems, 'cleanup').toEqual([]);
    });
  }

  it('counted what the scenarios did in its metrics (kro names and label formats)', async () => {
    const text = await operator.metrics();
    for (const rgd of appliedRgds) {
      expect(text).toMatch(new RegExp(`^rgd_graph_build_total\\{[^}]*name="${rgd}"[^}]*\\} [1-9]`, 'm'));
    }
    if (scenarios.includes('frontend-app-v2')) {
      expect(text).toMatch(
        /^instance_reconcile_total\{[^}]*gvr="kro\.run\/v1alpha1, Resource=frontendappv2s"[^}]*\} [1-9]/m,
      );
      expect(text).toMatch(/^events_emitted_total\{[^}]*reason="ResourceCreated"[^}]*\} [1-9]/m);
    }
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
