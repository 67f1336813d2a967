// coordination.k8s.io/v1 Leases for leader election: read, create and update with optimistic
// concurrency (the update carries the resourceVersion read, so a conflict means someone else
// wrote first).

import { isNotFound } from './errors.js';
import type { Resources } from './resources.js';
import type { KubeObject } from './types.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface LeaseObject {
  readonly spec: LeaseSpec;
  readonly resourceVersion: string;
}

export interface LeaseClient {
  get(): Promise<LeaseObject | undefined>;
  /** Throws AlreadyExists when another candidate created it first. */
  create(spec: LeaseSpec): Promise<LeaseObject>;
  /** Throws Conflict when the Lease changed since `resourceVersion`. */
  update(spec: LeaseSpec, resourceVersion: string): Promise<LeaseObject>;
}

export const LEASE_API_VERSION = 'coordination.k8s.io/v1';

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function createLeaseClient(resources: Resources, namespace: string, name: string): LeaseClient {
  const ref = { apiVersion: LEASE_API_VERSION, kind: 'Lease', namespace, name };
  const toLease = (o: KubeObject): LeaseObject => ({
    spec: (o['spec'] ?? {}) as LeaseSpec,
    resourceVersion: o.metadata.resourceVersion ?? '',
  });
  return {
    async get() {
      try {
        return toLease(await resources.get(ref));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async create(spec) {
      return toLease(
        await resources.create({
          apiVersion: LEASE_API_VERSION,
          kind: 'Lease',
          metadata: { name, namespace },
          spec,
        }),
      );
    },
    async update(spec, resourceVersion) {
      return toLease(
        await resources.replace({
          apiVersion: LEASE_API_VERSION,
          kind: 'Lease',
          metadata: { name, namespace, resourceVersion },
          spec,
        }),
      );
    },
  };
}
