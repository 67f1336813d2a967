// kro's examples/kubernetes RGDs (our own fixtures, test/fixtures/kro-examples) become Active on
// kube-apiserver and their generated CRDs are accepted and Established, including the status fields
// that project objects of built-in kinds (kro v0.9.4 compatibility, issue 11).

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { crdNamesFor } from '../../../src/crd/index.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { eventually, uniqueGroup, uniqueName } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import { condition, createRgd, deleteCrdAfter, getCrd, getRgd } from './helpers.js';

const EXAMPLES = [
  'webapp',
  'printer-columns',
  'cel-functions',
  'vote-app',
  'result-app',
  'worker-app',
  'job',
  'projections',
];

let op: TestOperator;

beforeAll(async () => {
  op = await startTestOperator();
});

function fixture(name: string, group: string): KubeObject {
  const rgd = parse(readFileSync(`test/fixtures/kro-examples/${name}.yaml`, 'utf8')) as KubeObject & {
    spec: { schema: Record<string, unknown> };
  };
  rgd.metadata = { name: uniqueName(name), labels: op.labels() };
  rgd.spec.schema['group'] = group;
  return rgd;
}

describe("kro's examples/kubernetes on kube-apiserver", () => {
  it.each(EXAMPLES)('%s becomes Active and its CRD is accepted', async (name) => {
    const group = uniqueGroup('ex');
    const rgd = fixture(name, group);
    const kind = String((rgd.spec as { schema: { kind: string } }).schema.kind);
    const crdName = crdNamesFor(kind, group).crdName;
    deleteCrdAfter(crdName);
    const rgdName = await createRgd(rgd);
    const status = await eventually(
      async () => {
        const r = await getRgd(rgdName);
        expect(condition(r, 'KindReady')?.message ?? '').not.toMatch(/refused|invalid/i);
        expect(r.status?.state).toBe('Active');
        return r;
      },
      { timeoutMs: 45_000, description: `${name} Active` },
    );
    expect(condition(status, 'Ready')?.status).toBe('True');
    const crd = await getCrd(crdName);
    const established = (
      crd?.['status'] as { conditions?: { type: string; status: string }[] } | undefined
    )?.conditions?.find((c) => c.type === 'Established');
    expect(established?.status).toBe('True');
  });
});
