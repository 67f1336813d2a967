// Runtime result types: what one reconcile knows about each node. Pure data, no I/O.

import type { NodeState } from '../api/constants.js';
import type { OwnerReference } from '../api/rgd.js';
import type { JsonObject } from '../lib/json.js';

/** A child object as sent to / received from the API server (raw JSON). */
export interface RuntimeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    finalizers?: string[];
    ownerReferences?: OwnerReference[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type { OwnerReference } from '../api/rgd.js';

/** The instance as read from the API server. */
export type InstanceObject = RuntimeObject & { spec?: JsonObject; status?: JsonObject };

/** A node's outcome with state, reason and message (spec 04 §12.3). */
export interface NodeOutcome {
  readonly state: NodeState;
  readonly reason: string;
  readonly message: string;
}

/** One entry of status.managedResources. */
export interface ManagedResourceEntry {
  id: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  state: string;
  reason: string;
  message?: string;
}

/** Per-node result of a whole reconcile. */
export interface NodeReport extends NodeOutcome {
  readonly id: string;
  /** Object identity for scalar nodes, once rendered. */
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  /** Per-item outcomes for collections / external collections, in desired (API) order. */
  readonly items?: readonly ItemReport[];
}

export interface ItemReport extends NodeOutcome {
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
}

export function isSettled(state: NodeState): boolean {
  return state === 'SYNCED' || state === 'SKIPPED';
}
