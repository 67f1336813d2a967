// Migration on a live cluster, both ways (README "Install, upgrade, uninstall"): kro serves the
// corpus; kro is stopped and kro-ts started on the same control plane: no RGD that kro had Active
// turns Inactive, no child is recreated or rewritten beyond MIGRATION_ALLOW_LIST, instances still
// reconcile. Then back: kro-ts stopped, `kro.run/allow-breaking-changes: "true"` set on each RGD
// once, kro's CRDs re-applied and kro started: same checks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKube } from '../../src/kube/index.js';
import type { Kube } from '../../src/kube/index.js';
import { kubectl } from '../e2e/lib/kubectl.js';
import { MIGRATION_ALLOW_LIST } from './allow-list.js';
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
import type { Snapshot } from './lib/snapshot.js';
import { waitSettled } from './lib/snapshot.js';

const corpus = loadCorpus(process.env['DIFF_MIGRATION_CORPUS'] ?? process.env['DIFF_CORPUS']);
let plane: ControlPlane;
let kube: Kube;
let bin: string;
let controller: Controller | undefined;

beforeAll(async () => {
  bin = kroBinDir();
  plane = await startControlPlane('migration');
  await applyCrdFiles(plane.kubeconfig, kroCrdFiles(bin));
  kube = await connectKube({ kubeconfigPath: plane.kubeconfig, qps: 0 });
}, 900_000);

afterAll(async () => {
  await controller?.stop().catch(() => undefined);
  kube?.close();
  removeDist();
  await plane?.stop();
}, 120_000);

function rgdStates(s: Snapshot): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of s.values())
    if (o.category === 'rgd')
      m.set(o.obj.metadata.name ?? '', (o.obj['status'] as { state?: string })?.state ?? '');
  return m;
}

function children(s: Snapshot): Snapshot {
  return new Map([...s].filter(([, o]) => o.category === 'child'));
}

/** The checks after a controller takes over: RGD states kept, children kept (same uid), allowed changes only. */
function checkTakeover(label: string, before: Snapshot, after: Snapshot): void {
  const was = rgdStates(before);
  const now = rgdStates(after);
  const lost = [...was]
    .filter(([n, s]) => s === 'Active' && now.get(n) !== 'Active')
    .map(([n]) => `${n}=${now.get(n)}`);
  expect(lost, `${label}: RGDs Active before and not after`).toEqual([]);
  const recreated: string[] = [];
  let rvChanged = 0;
  for (const [key, o] of children(before)) {
    const a = after.get(key);
    if (!a) recreated.push(`${key} (gone)`);
    else if (a.obj.metadata.uid !== o.obj.metadata.uid) recreated.push(`${key} (new uid)`);
    else if (a.obj.metadata.resourceVersion !== o.obj.metadata.resourceVersion) rvChanged++;
  }
  expect(recreated, `${label}: children deleted or recreated`).toEqual([]);
  const diffs = compareSnapshots(children(before), children(after)).filter(
    (d) => d.kind !== 'Deployment' || !d.path.startsWith('status.'), // the deployment controller's own writes
  );
  const verdict = applyAllowList(diffs, MIGRATION_ALLOW_LIST);
  log(
    `${label}: ${children(before).size} children, ${rvChanged} rewritten (resourceVersion changed), ` +
      `${diffs.length} differences, allow-list:\n${formatAllowList(MIGRATION_ALLOW_LIST, verdict.used)}`,
  );
  expect(
    verdict.unexplained.length,
    `${label}: children changed:\n${formatDifferences(verdict.unexplained)}`,
  ).toBe(0);
}

async function expectReconciles(seed: string): Promise<void> {
  const r = await kubectl(plane.kubeconfig, [
    '-n',
    'diff-a',
    'patch',
    'diffchain.kro.run/ch',
    '--type=merge',
    '-p',
    JSON.stringify({ spec: { seed } }),
  ]);
  expect(r.code, r.stderr).toBe(0);
  const deadline = Date.now() + 60_000;
  let v = '';
  while (Date.now() < deadline) {
    const cm = await kube.resources.tryGet({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'diff-a',
      name: 'ch-d',
    });
    v = (cm?.['data'] as { v?: string } | undefined)?.v ?? '';
    if (v === `${seed}abcd`) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  expect(v, 'the chain instance reconciled after the switch').toBe(`${seed}abcd`);
}

describe('migration between kro v0.9.4 and kro-ts on a live cluster', () => {
  it('kro → kro-ts → kro keeps RGDs Active and children untouched, and instances reconcile', async () => {
    controller = await startKro(bin, plane.kubeconfig);
    const underKro = await driveSide('kro', kube, corpus, 300_000);
    expect(underKro.settled, underKro.reason).toBe(true);
    expect(corpus.files.some((f) => f.file.includes('chain'))).toBe(true);

    // kro → kro-ts: stop kro (its CRDs stay), install kro-ts's CRDs, start kro-ts.
    await controller.stop();
    controller = undefined;
    await applyCrdFiles(plane.kubeconfig, kroTsCrdFiles());
    controller = await startKroTs(plane.kubeconfig);
    const underTs = await waitSettled(kube, corpus, { deadlineMs: 300_000 });
    expect(underTs.settled, underTs.reason).toBe(true);
    checkTakeover('kro → kro-ts', underKro.snapshot, underTs.snapshot);
    await expectReconciles('m');

    // kro-ts → kro: stop kro-ts, allow the breaking change once per RGD, kro's CRDs, start kro.
    const beforeBack = await waitSettled(kube, corpus, { deadlineMs: 120_000 });
    await controller.stop();
    controller = undefined;
    const ann = await kubectl(plane.kubeconfig, [
      'annotate',
      '--overwrite',
      'resourcegraphdefinitions.kro.run',
      '--all',
      'kro.run/allow-breaking-changes=true',
    ]);
    expect(ann.code, ann.stderr).toBe(0);
    await applyCrdFiles(plane.kubeconfig, kroCrdFiles(bin));
    controller = await startKro(bin, plane.kubeconfig);
    const back = await waitSettled(kube, corpus, { deadlineMs: 300_000 });
    expect(back.settled, back.reason).toBe(true);
    checkTakeover('kro-ts → kro', beforeBack.snapshot, back.snapshot);
    await expectReconciles('k');
  }, 1_500_000);
});
