// The EventRecorder's sink (spec 05 §9): writes core/v1 Events. A `patch` updates count,
// lastTimestamp and message of an Event the recorder created earlier; Events expire (1 h by
// default), so a patch that finds nothing creates the Event instead.

import type { EventRecord, EventSink } from '../observability/events.js';
import { isAlreadyExists, isNotFound } from './errors.js';
import type { Resources } from './resources.js';
import type { KubeObject } from './types.js';

export function createEventSink(resources: Resources): EventSink {
  return async (record: EventRecord): Promise<void> => {
    const { event } = record;
    const body = event as unknown as KubeObject;
    if (record.operation === 'patch') {
      try {
        await resources.mergePatch(
          { apiVersion: 'v1', kind: 'Event', name: event.metadata.name, namespace: event.metadata.namespace },
          { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message },
        );
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    try {
      await resources.create(structuredClone(body));
    } catch (e) {
      // A create retried after a timeout may find its own Event.
      if (!isAlreadyExists(e)) throw e;
    }
  };
}
