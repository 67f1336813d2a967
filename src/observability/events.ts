// Kubernetes Events (spec/05 §9), as client-go's recorder does them but without its goroutines:
// - an event equal to one emitted in the last 10 minutes (same object, type, reason, message)
//   patches that Event's `count` and `lastTimestamp` instead of creating another: repeats are
//   aggregated, never dropped;
// - per involved object a token bucket (burst 25, then one per 5 minutes) limits new Normal
//   Events; dropped ones are counted in `events_dropped_total`. Warnings are never dropped for
//   budget (a failure must always be visible); they are aggregated like every other event;
// - writing is asynchronous and best effort: `emit` never throws, never waits, and a failed write
//   is logged and counted, never surfaced to the reconcile.
// The API write is injected (`EventSink`); kube/ provides the one that creates/patches Events.

import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { TokenBucket } from './token-bucket.js';

export type EventType = 'Normal' | 'Warning';

/** Reasons of spec/05 §9 (the condition reasons use the condition type names). */
export const EventReasons = {
  ready: 'Ready',
  instanceManaged: 'InstanceManaged',
  graphResolved: 'GraphResolved',
  resourcesReady: 'ResourcesReady',
  resourceCreated: 'ResourceCreated',
  resourceAdopted: 'ResourceAdopted',
  resourcePruned: 'ResourcePruned',
  resourceUpdated: 'ResourceUpdated',
  resourceDriftReverted: 'ResourceDriftReverted',
  metadataChangeIgnored: 'MetadataChangeIgnored',
  resourceDeleted: 'ResourceDeleted',
  applyFailed: 'ApplyFailed',
  nodeError: 'NodeError',
  waiting: 'Waiting',
  graphAccepted: 'GraphAccepted',
  graphRejected: 'GraphRejected',
  crdCreated: 'CRDCreated',
  crdUpdated: 'CRDUpdated',
  crdDeleted: 'CRDDeleted',
  crdUpdateRefused: 'CRDUpdateRefused',
  crdConflict: 'CRDConflict',
} as const;

/** `source.component` of RGD events. */
export const RGD_EVENT_COMPONENT = 'resourcegraphdefinition-controller';

/** `source.component` of instance events, as kro: `kro/<crd-name>-controller`. */
export function instanceEventComponent(crdName: string): string {
  return `kro/${crdName}-controller`;
}

/** kro's condition-transition message: `<old> -> <new>: <reason>`, old `none` when new. */
export function conditionTransitionMessage(from: string | undefined, to: string, reason: string): string {
  return `${from ?? 'none'} -> ${to}: ${reason}`;
}

export interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent or '' for cluster-scoped objects (their events go to `default`). */
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

/** The core/v1 Event body. */
export interface CoreV1Event {
  readonly apiVersion: 'v1';
  readonly kind: 'Event';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly involvedObject: InvolvedObject;
  readonly reason: string;
  readonly message: string;
  readonly type: EventType;
  readonly count: number;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  readonly source: { readonly component: string; readonly host?: string };
  readonly reportingComponent: string;
  readonly reportingInstance: string;
}

/**
 * `create`: a new Event. `patch`: update `count`, `lastTimestamp` (and `message`) of the Event
 * named in `event.metadata`; when it no longer exists (Events expire), the sink should create it.
 */
export interface EventRecord {
  readonly operation: 'create' | 'patch';
  readonly event: CoreV1Event;
}

export type EventSink = (record: EventRecord) => Promise<void>;

export interface EventRecorderOptions {
  readonly sink: EventSink;
  /** `--emit-events`. */
  readonly enabled: boolean;
  /** The pod name (`reportingInstance`, `source.host`). */
  readonly reportingInstance: string;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Wall-clock milliseconds (timestamps, windows). */
  readonly now?: () => number;
}

export interface EmitOptions {
  readonly object: InvolvedObject;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

export interface EventEmitter {
  /** Fire and forget. */
  emit(event: EmitOptions): void;
}

// client-go's defaults (tools/record: EventCorrelator, EventSourceObjectSpamFilter).
const SPAM_BURST = 25;
const SPAM_REFILL_PER_SECOND = 1 / 300;
const DEDUPE_WINDOW_MS = 10 * 60 * 1000;
const CACHE_SIZE = 4096;
const MESSAGE_LIMIT = 1024;

interface Emitted {
  readonly name: string;
  readonly namespace: string;
  readonly firstTimestamp: string;
  count: number;
  lastMs: number;
  /** The previous write of this Event: a patch must not overtake its create. */
  tail: Promise<void>;
}

export class EventRecorder {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly emitted = new Map<string, Emitted>();
  private readonly pending = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly log: Logger;
  private sequence = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.logger;
  }

  /** An emitter whose events carry `source.component`. */
  forComponent(component: string): EventEmitter {
    return { emit: (event) => this.emit(component, event) };
  }

  /** Resolves when every write started so far has finished (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private emit(component: string, event: EmitOptions): void {
    if (!this.options.enabled) return;
    try {
      this.record(component, event);
    } catch (error) {
      // Best effort by contract: an event must never fail a reconcile.
      this.dropped({ err: error, reason: event.reason }, 'Building event failed');
    }
  }

  private record(component: string, event: EmitOptions): void {
    const { object } = event;
    const objectKey = JSON.stringify([
      component,
      object.apiVersion,
      object.kind,
      object.namespace ?? '',
      object.name,
      object.uid ?? '',
    ]);
    const message = truncate(event.message);
    const key = JSON.stringify([objectKey, event.type, event.reason, message]);
    const now = this.now();
    const timestamp = formatTime(now);
    let entry = touch(this.emitted, key);
    const operation = entry !== undefined && now - entry.lastMs <= DEDUPE_WINDOW_MS ? 'patch' : 'create';
    if (operation === 'create' && event.type === 'Normal' && !this.bucketFor(objectKey).tryTake()) {
      this.dropped(
        { reason: event.reason, kind: object.kind, name: object.name },
        'Event dropped by rate limit',
      );
      return;
    }
    if (entry === undefined || operation === 'create') {
      const namespace =
        object.namespace !== undefined && object.namespace !== '' ? object.namespace : 'default';
      entry = {
        name: `${object.name}.${this.suffix(now)}`,
        namespace,
        firstTimestamp: timestamp,
        count: 0,
        lastMs: now,
        tail: Promise.resolve(),
      };
      remember(this.emitted, key, entry);
    }
    entry.count += 1;
    entry.lastMs = now;
    const body: CoreV1Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: entry.name, namespace: entry.namespace },
      involvedObject: cleanObject(object),
      reason: event.reason,
      message,
      type: event.type,
      count: entry.count,
      firstTimestamp: entry.firstTimestamp,
      lastTimestamp: timestamp,
      source: this.options.reportingInstance === '' ? { component } : { component, host: this.options.reportingInstance },
      reportingComponent: component,
      reportingInstance: this.options.reportingInstance,
    }; // prettier-ignore
    this.write(key, entry, { operation, event: body });
  }

  private write(key: string, entry: Emitted, record: EventRecord): void {
    const write = entry.tail.then(async () => {
      try {
        await this.options.sink(record);
        this.options.metrics?.eventsEmittedTotal.inc({ reason: record.event.reason });
      } catch (error) {
        // Forget it so the next equal event creates a fresh Event rather than patching a ghost.
        if (this.emitted.get(key) === entry) this.emitted.delete(key);
        this.dropped(
          { err: error, reason: record.event.reason, event: record.event.metadata.name },
          'Writing event failed',
        );
      }
    });
    entry.tail = write;
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  private bucketFor(objectKey: string): TokenBucket {
    const existing = touch(this.buckets, objectKey);
    if (existing !== undefined) return existing;
    const bucket = new TokenBucket({
      ratePerSecond: SPAM_REFILL_PER_SECOND,
      burst: SPAM_BURST,
      now: this.now,
    });
    remember(this.buckets, objectKey, bucket);
    return bucket;
  }

  private dropped(fields: Record<string, unknown>, msg: string): void {
    this.options.metrics?.eventsDroppedTotal.inc();
    this.log.debug(fields, msg);
  }

  /** client-go names Events `<object>.<unix nanoseconds in hex>`; the sequence keeps them unique. */
  private suffix(nowMs: number): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return (BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(this.sequence)).toString(16);
  }
}

/** Moves a hit to the back of the Map so that eviction drops the least recently used. */
function touch<V>(map: Map<string, V>, key: string): V | undefined {
  const v = map.get(key);
  if (v !== undefined) {
    map.delete(key);
    map.set(key, v);
  }
  return v;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > CACHE_SIZE) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}

function cleanObject(o: InvolvedObject): InvolvedObject {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.name,
    ...(o.namespace !== undefined && o.namespace !== '' ? { namespace: o.namespace } : {}),
    ...(o.uid !== undefined ? { uid: o.uid } : {}),
    ...(o.resourceVersion !== undefined ? { resourceVersion: o.resourceVersion } : {}),
  };
}

function truncate(message: string): string {
  return message.length <= MESSAGE_LIMIT ? message : `${message.slice(0, MESSAGE_LIMIT - 3)}...`;
}

/** metav1.Time: RFC 3339 with second precision. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
