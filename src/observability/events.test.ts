import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  EventRecorder,
  RGD_EVENT_COMPONENT,
  conditionTransitionMessage,
  instanceEventComponent,
  type EventRecord,
  type EventSink,
  type InvolvedObject,
} from './events.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

const T0 = Date.parse('2025-01-02T03:04:05.678Z');
const webapp: InvolvedObject = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'WebApp',
  name: 'shop',
  namespace: 'team-a',
  uid: 'u-1',
};
const rgd: InvolvedObject = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'ResourceGraphDefinition',
  name: 'webapp',
  uid: 'u-2',
};

function setup(options: { enabled?: boolean; sink?: EventSink } = {}) {
  let now = T0;
  const records: EventRecord[] = [];
  const chunks: string[] = [];
  const logger = createLogger(
    { level: 'debug', encoder: 'json', devel: false },
    {
      destination: new Writable({
        write(c: Buffer, _e, cb) {
          chunks.push(c.toString());
          cb();
        },
      }),
    },
  );
  const metrics = createMetrics({ defaultMetrics: false });
  const recorder = new EventRecorder({
    sink:
      options.sink ??
      ((r) => {
        records.push(r);
        return Promise.resolve();
      }),
    enabled: options.enabled ?? true,
    reportingInstance: 'kro-7d9f-abc',
    logger,
    metrics,
    now: () => now,
  });
  return {
    recorder,
    records,
    metrics,
    logs: () => chunks.join(''),
    advance: (ms: number) => (now += ms),
    instance: recorder.forComponent(instanceEventComponent('webapps.kro.run')),
    rgdEvents: recorder.forComponent(RGD_EVENT_COMPONENT),
  };
}

async function metricValue(
  metrics: ReturnType<typeof createMetrics>,
  line: string,
): Promise<number | undefined> {
  const found = (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.split(' ').pop());
}

describe('EventRecorder bodies', () => {
  it('builds a core/v1 Event for a namespaced instance', async () => {
    const s = setup();
    s.instance.emit({
      object: webapp,
      type: 'Normal',
      reason: 'Ready',
      message: conditionTransitionMessage(undefined, 'True', 'Ready'),
    });
    await s.recorder.flush();
    expect(s.records).toHaveLength(1);
    const [record] = s.records;
    expect(record?.operation).toBe('create');
    expect(record?.event).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: expect.stringMatching(/^shop\.[0-9a-f]+$/), namespace: 'team-a' },
      involvedObject: webapp,
      reason: 'Ready',
      message: 'none -> True: Ready',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2025-01-02T03:04:05Z',
      lastTimestamp: '2025-01-02T03:04:05Z',
      source: { component: 'kro/webapps.kro.run-controller', host: 'kro-7d9f-abc' },
      reportingComponent: 'kro/webapps.kro.run-controller',
      reportingInstance: 'kro-7d9f-abc',
    });
    expect(await metricValue(s.metrics, 'events_emitted_total{reason="Ready"}')).toBe(1);
  });

  it('puts events of cluster-scoped objects in namespace default, without involvedObject.namespace', async () => {
    const s = setup();
    s.rgdEvents.emit({
      object: { ...rgd, namespace: '' },
      type: 'Warning',
      reason: 'GraphRejected',
      message: 'bad',
    });
    await s.recorder.flush();
    const event = s.records[0]?.event;
    expect(event?.metadata.namespace).toBe('default');
    expect(event?.involvedObject).not.toHaveProperty('namespace');
    expect(event?.source.component).toBe('resourcegraphdefinition-controller');
  });

  it('gives distinct names to events created in the same millisecond and truncates long messages', async () => {
    const s = setup();
    s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: 'a' });
    s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: 'x'.repeat(5000) });
    await s.recorder.flush();
    const [a, b] = s.records.map((r) => r.event);
    expect(a?.metadata.name).not.toBe(b?.metadata.name);
    expect(b?.message).toHaveLength(1024);
    expect(b?.message.endsWith('...')).toBe(true);
  });
});

describe('EventRecorder deduplication', () => {
  it('patches count and lastTimestamp of an equal event within 10 minutes', async () => {
    const s = setup();
    const e = { object: webapp, type: 'Warning', reason: 'NodeError', message: 'node "db": boom' } as const;
    s.instance.emit(e);
    s.advance(60_000);
    s.instance.emit(e);
    s.advance(9 * 60_000);
    s.instance.emit(e);
    await s.recorder.flush();
    expect(s.records.map((r) => [r.operation, r.event.count, r.event.lastTimestamp])).toEqual([
      ['create', 1, '2025-01-02T03:04:05Z'],
      ['patch', 2, '2025-01-02T03:05:05Z'],
      ['patch', 3, '2025-01-02T03:14:05Z'],
    ]);
    const names = new Set(s.records.map((r) => r.event.metadata.name));
    expect(names.size).toBe(1);
    expect(s.records[2]?.event.firstTimestamp).toBe('2025-01-02T03:04:05Z');
  });

  it('creates a new Event after 10 quiet minutes, and for any difference in object, type, reason or message', async () => {
    const s = setup();
    const e = { object: webapp, type: 'Normal', reason: 'Waiting', message: 'm' } as const;
    s.instance.emit(e);
    s.advance(10 * 60_000 + 1);
    s.instance.emit(e);
    s.instance.emit({ ...e, message: 'other' });
    s.instance.emit({ ...e, type: 'Warning' });
    s.instance.emit({ ...e, reason: 'NodeError' });
    s.instance.emit({ ...e, object: { ...webapp, name: 'other' } });
    await s.recorder.flush();
    expect(s.records.map((r) => r.operation)).toEqual([
      'create',
      'create',
      'create',
      'create',
      'create',
      'create',
    ]);
  });

  it('never lets a patch overtake the create it patches', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = setup({
      sink: async (r) => {
        if (r.operation === 'create') await gate;
        order.push(r.operation);
      },
    });
    const e = { object: webapp, type: 'Normal', reason: 'Waiting', message: 'm' } as const;
    s.instance.emit(e);
    s.instance.emit(e);
    release();
    await s.recorder.flush();
    expect(order).toEqual(['create', 'patch']);
  });
});

describe('EventRecorder rate limit and failures', () => {
  it('allows a burst of 25 per object, then one per 5 minutes, counting drops', async () => {
    const s = setup();
    for (let i = 0; i < 30; i++)
      s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: `m${i}` });
    s.rgdEvents.emit({ object: rgd, type: 'Normal', reason: 'GraphAccepted', message: 'ok' });
    await s.recorder.flush();
    expect(s.records).toHaveLength(26);
    expect(await metricValue(s.metrics, 'events_dropped_total')).toBe(5);
    s.advance(5 * 60_000);
    s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: 'later' });
    s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: 'later2' });
    await s.recorder.flush();
    expect(s.records).toHaveLength(27);
    expect(await metricValue(s.metrics, 'events_dropped_total')).toBe(6);
  });

  it('never drops a Warning for budget, and aggregates repeats once the budget is spent', async () => {
    const s = setup();
    for (let i = 0; i < 25; i++)
      s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: `m${i}` });
    s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: 'over budget' });
    s.instance.emit({ object: webapp, type: 'Warning', reason: 'ApplyFailed', message: 'port 70000' });
    s.instance.emit({ object: webapp, type: 'Warning', reason: 'ApplyFailed', message: 'port 70000' });
    s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: 'm3' });
    await s.recorder.flush();
    const byReason = (reason: string) => s.records.filter((r) => r.event.reason === reason);
    expect(byReason('ApplyFailed').map((r) => [r.operation, r.event.count, r.event.type])).toEqual([
      ['create', 1, 'Warning'],
      ['patch', 2, 'Warning'],
    ]);
    // The repeat of m3 is aggregated into its Event; only the new Normal message was dropped.
    expect(s.records.filter((r) => r.event.message === 'm3').map((r) => r.event.count)).toEqual([1, 2]);
    expect(s.records.some((r) => r.event.message === 'over budget')).toBe(false);
    expect(await metricValue(s.metrics, 'events_dropped_total')).toBe(1);
  });

  it('never throws into the caller when the sink fails, and creates afresh next time', async () => {
    let fail = true;
    const ops: string[] = [];
    const s = setup({
      sink: (r) => {
        ops.push(r.operation);
        if (fail) return Promise.reject(new Error('forbidden'));
        return Promise.resolve();
      },
    });
    const e = { object: webapp, type: 'Normal', reason: 'Waiting', message: 'm' } as const;
    expect(() => s.instance.emit(e)).not.toThrow();
    await s.recorder.flush();
    fail = false;
    s.instance.emit(e);
    await s.recorder.flush();
    expect(ops).toEqual(['create', 'create']);
    expect(await metricValue(s.metrics, 'events_dropped_total')).toBe(1);
    expect(s.logs()).toContain('Writing event failed');
  });

  it('survives a sink that throws synchronously', async () => {
    const s = setup({
      sink: () => {
        throw new Error('sync');
      },
    });
    expect(() =>
      s.instance.emit({ object: webapp, type: 'Normal', reason: 'Waiting', message: 'm' }),
    ).not.toThrow();
    await s.recorder.flush();
    expect(await metricValue(s.metrics, 'events_dropped_total')).toBe(1);
  });

  it('emits nothing with --emit-events=false', async () => {
    const s = setup({ enabled: false });
    s.instance.emit({ object: webapp, type: 'Normal', reason: 'Ready', message: 'm' });
    await s.recorder.flush();
    expect(s.records).toEqual([]);
  });
});
