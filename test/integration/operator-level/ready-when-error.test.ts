// A readyWhen that fails at run time (not false, not pending: an evaluation error) puts its node
// in ERROR with the expression in the message, in status and as a NodeError Event, through the
// whole operator (spec 04 §7, §12.3; spec 05 §9).

import { beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, getKube } from '../../harness/index.js';
import type { TestOperator } from '../operator.js';
import { startTestOperator } from '../operator.js';
import type { KindRef } from './helpers.js';
import {
  conditionOf,
  createActiveRgd,
  createInstance,
  eventsOf,
  getInstance,
  nodeEntry,
  statusOf,
  untilInstance,
} from './helpers.js';

let op: TestOperator;
let kind: KindRef;
let ns: string;

const DIVIDE = '${int(cm.data.n) / int(cm.data.d) == 1}';
const CONVERT = '${int(cm.data.word) == 1}';

beforeAll(async () => {
  op = await startTestOperator();
  kind = await createActiveRgd(op, {
    kind: 'Faulty',
    spec: { divisor: 'integer | default=0', word: 'string | default=seven' },
    resources: [
      {
        id: 'cm',
        readyWhen: [DIVIDE, CONVERT],
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${schema.metadata.name}-cm' },
          data: { n: '1', d: '${string(schema.spec.divisor)}', word: '${schema.spec.word}' },
        },
      },
      {
        id: 'after',
        template: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '${cm.metadata.name}-after' },
        },
      },
    ],
  });
  ns = await createTestNamespace('op-readywhen');
});

describe('readyWhen failing at run time', () => {
  it('division by zero: node ERROR naming the expression, instance ERROR, NodeError event', async () => {
    const name = 'div';
    await createInstance(kind, { name, namespace: ns, spec: { divisor: 0, word: '1' } });
    const expected = `node "cm" readyWhen[0] "${DIVIDE}"`;
    const inst = await untilInstance(
      { kind, name, namespace: ns },
      (i) => {
        expect(statusOf(i)['state']).toBe('ERROR');
        expect(nodeEntry(i, 'cm')).toMatchObject({ state: 'ERROR', reason: 'ReadyWhenError' });
      },
      'node cm in ERROR',
    );
    const entry = nodeEntry(inst, 'cm');
    expect(String(entry?.['message'])).toContain(expected);
    expect(String(entry?.['message'])).toMatch(/division by zero|divide by zero/i);
    // Its dependent is not applied: it waits for the node in error.
    expect(nodeEntry(inst, 'after')?.['state']).toBe('IN_PROGRESS');
    expect(conditionOf(inst, 'ResourcesReady')).toMatchObject({ status: 'False', reason: 'ResourceError' });
    expect(String(conditionOf(inst, 'ResourcesReady')?.['message'])).toContain(`resource error: `);
    expect(String(conditionOf(inst, 'ResourcesReady')?.['message'])).toContain(expected);
    expect(conditionOf(inst, 'Ready')).toMatchObject({ status: 'False' });

    const event = await eventually(
      async () => {
        const e = (await eventsOf(name, ns)).find((x) => x['reason'] === 'NodeError');
        if (!e) throw new Error('no NodeError event yet');
        return e;
      },
      { timeoutMs: 20_000, description: 'NodeError event' },
    );
    expect(event).toMatchObject({ type: 'Warning', involvedObject: { kind: kind.kind, name } });
    expect(String(event['message'])).toContain(`node "cm": ${expected}`);
  });

  it('a bad conversion in the second expression is reported the same way, then recovers', async () => {
    const name = 'conv';
    await createInstance(kind, { name, namespace: ns, spec: { divisor: 1, word: 'seven' } });
    const inst = await untilInstance(
      { kind, name, namespace: ns },
      (i) => expect(nodeEntry(i, 'cm')).toMatchObject({ state: 'ERROR', reason: 'ReadyWhenError' }),
      'node cm in ERROR',
    );
    expect(String(nodeEntry(inst, 'cm')?.['message'])).toContain(`node "cm" readyWhen[1] "${CONVERT}"`);
    await eventually(
      async () => {
        const e = (await eventsOf(name, ns)).find((x) => x['reason'] === 'NodeError');
        expect(String(e?.['message'])).toContain(`readyWhen[1] "${CONVERT}"`);
      },
      { timeoutMs: 20_000, description: 'NodeError event' },
    );

    // Fixing the input clears the error: every node SYNCED, Ready=True.
    const kube = await getKube();
    await kube.resources.mergePatch(
      { apiVersion: kind.apiVersion, kind: kind.kind, name, namespace: ns },
      { spec: { word: '1' } },
    );
    await untilInstance(
      { kind, name, namespace: ns },
      (i) => {
        expect(statusOf(i)['state']).toBe('ACTIVE');
        expect(nodeEntry(i, 'cm')).toMatchObject({ state: 'SYNCED' });
        expect(nodeEntry(i, 'after')).toMatchObject({ state: 'SYNCED' });
        expect(conditionOf(i, 'Ready')).toMatchObject({ status: 'True' });
      },
      'recovered',
    );
    expect(statusOf(await getInstance(kind, name, ns))['observedGeneration']).toBe(2);
  });
});
