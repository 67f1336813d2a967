import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Kube, KubeObject } from '../../../src/kube/index.js';
import { ensureCrd } from '../../../src/kube/index.js';
import { eventually } from '../../harness/index.js';
import { repoRoot } from './paths.js';

/**
 * Makes sure namespace `name` exists and is Active (waiting out a previous test file's deletion);
 * returns true when this call created it, so the caller deletes it afterwards.
 */
export async function ensureNamespace(kube: Kube, name: string): Promise<boolean> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name };
  return eventually(
    async () => {
      const ns = await kube.resources.tryGet(ref);
      if (ns) {
        const phase = (ns['status'] as { phase?: string } | undefined)?.phase;
        if (phase === 'Terminating') throw new Error(`namespace ${name} is terminating`);
        return false;
      }
      // A create that races another one fails and is retried: the next round sees it.
      await kube.resources.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return true;
    },
    { timeoutMs: 90_000, intervalMs: 250, description: `namespace ${name} Active` },
  );
}

/** Installs crds/ (RGD and GraphRevision CRDs) and waits until served; what the install manifests do. */
export async function ensureRgdCrd(kube: Kube): Promise<void> {
  for (const file of ['kro.run_resourcegraphdefinitions.yaml', 'internal.kro.run_graphrevisions.yaml']) {
    const crd = parse(readFileSync(join(repoRoot, 'crds', file), 'utf8')) as KubeObject;
    await ensureCrd(kube.resources, crd, { timeoutMs: 60_000 });
  }
}
