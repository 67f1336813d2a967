// The differential tier: the corpus under test/differential/corpus/ applied to two local control
// planes, one served by kro v0.9.4 (hack/kro/build.sh), one by kro-ts; once both settle, the
// generated CRDs, RGD status, instance status and every child are normalised and compared.
// Differences not in allow-list.ts fail with a readable report; the allow-list is printed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube } from '../../src/kube/index.js';
import type { Kube } from '../../src/kube/index.js';
import { ALLOW_LIST } from './allow-list.js';
import type { Difference } from './lib/compare.js';
import { applyAllowList, compareSnapshots, formatAllowList, formatDifferences } from './lib/compare.js';
import { loadCorpus } from './lib/corpus.js';
import { driveSide } from './lib/drive.js';
import type { Controller, ControlPlane } from './lib/processes.js';
import {
  applyCrdFiles,
  kroBinDir,
  kroCrdFiles,
  kroTsCrdFiles,
  log,
  removeDist,
  startControlPlane,
  startKro,
  startKroTs,
} from './lib/processes.js';

const corpus = loadCorpus();

/**
 * kube-apiserver lists an object's validation errors (`is invalid: [a, b]`) in no fixed order:
 * the list is sorted so that the same errors compare equal.
 */
function sameErrorsInAnyOrder(message: string | undefined): string | undefined {
  const m = message?.match(/^(.*? is invalid: )\[(.*)\]$/s);
  return m ? `${m[1]}[${m[2]!.split(', ').sort().join(', ')}]` : message;
}
const cleanups: (() => Promise<void> | void)[] = [];
let kroKube: Kube;
let tsKube: Kube;

beforeAll(async () => {
  const t0 = Date.now();
  const bin = kroBinDir();
  const [a, b] = await Promise.all([startControlPlane('kro'), startControlPlane('kro-ts')]);
  cleanups.push(
    () => a.stop(),
    () => b.stop(),
  );
  await Promise.all([
    applyCrdFiles(a.kubeconfig, kroCrdFiles(bin)),
    applyCrdFiles(b.kubeconfig, kroTsCrdFiles()),
  ]);
  const [kro, ts]: [Controller, Controller] = await Promise.all([
    startKro(bin, a.kubeconfig),
    startKroTs(b.kubeconfig),
  ]);
  cleanups.push(
    () => kro.stop(),
    () => ts.stop(),
    () => removeDist(),
  );
  kroKube = await connectKube({ kubeconfigPath: a.kubeconfig, qps: 0 });
  tsKube = await connectKube({ kubeconfigPath: b.kubeconfig, qps: 0 });
  cleanups.push(
    () => kroKube.close(),
    () => tsKube.close(),
  );
  log(`two control planes, kro (log ${kro.logFile}) and kro-ts started in ${Date.now() - t0} ms`);
  planes.push(a, b);
}, 900_000);

const planes: ControlPlane[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch (e) {
      log(`cleanup failed: ${String(e)}`);
    }
  }
}, 120_000);

describe('differential: kro v0.9.4 vs kro-ts on the corpus', () => {
  it(`${corpus.rgds.length} RGDs and ${corpus.instances.length} instances from ${corpus.files.length} files settle to the same state`, async () => {
    const t0 = Date.now();
    const [kro, ts] = await Promise.all([
      driveSide('kro', kroKube, corpus, 300_000),
      driveSide('kro-ts', tsKube, corpus, 300_000),
    ]);
    const diffs: Difference[] = compareSnapshots(kro.snapshot, ts.snapshot);
    for (const key of [...new Set([...kro.applyErrors.keys(), ...ts.applyErrors.keys()])].sort()) {
      const x = sameErrorsInAnyOrder(kro.applyErrors.get(key));
      const y = sameErrorsInAnyOrder(ts.applyErrors.get(key));
      if (x !== y)
        diffs.push({
          object: `apply ${key}`,
          category: 'instance',
          kind: key.split(' ')[0]!,
          path: 'applyError',
          kro: x,
          kroTs: y,
        });
    }
    const verdict = applyAllowList(diffs, ALLOW_LIST);
    const states = [...kro.rgdStates].map(([n, s]) => `${n}=${s}/${ts.rgdStates.get(n) ?? ''}`);
    log(`RGD states (kro/kro-ts): ${states.join(' ')}`);
    log(
      `compared ${kro.snapshot.size} objects (kro) with ${ts.snapshot.size} (kro-ts) after ${Date.now() - t0} ms`,
    );
    log(`allow-list (${ALLOW_LIST.length} entries):\n${formatAllowList(ALLOW_LIST, verdict.used)}`);
    if (verdict.unexplained.length)
      log(`unexplained differences:\n${formatDifferences(verdict.unexplained)}`);
    expect(kro.settled, `kro did not settle: ${kro.reason}`).toBe(true);
    expect(ts.settled, `kro-ts did not settle: ${ts.reason}`).toBe(true);
    expect(
      verdict.unexplained.length,
      `${verdict.unexplained.length} differences not in test/differential/allow-list.ts:\n${formatDifferences(verdict.unexplained)}`,
    ).toBe(0);
  }, 900_000);
});
