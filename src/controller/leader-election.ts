// Leader election on the Lease `controller.kro.run` (spec 05 §7), with client-go's Lease-lock
// semantics: try every retry period until the Lease is free or expired; renew every retry
// period; step down when no renew succeeded within the renew deadline (the caller then exits 1
// so the restarted pod competes afresh); release the Lease on graceful shutdown.

import { LEADER_ELECTION_LEASE } from '../api/constants.js';
import type { Kube } from '../kube/index.js';
import { isAlreadyExists, isConflict } from '../kube/index.js';
import type { LeaseClient, LeaseSpec } from '../kube/lease.js';
import { createLeaseClient, formatMicroTime } from '../kube/lease.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Observation } from './leader-election-decision.js';
import { decideLease, releasedRecord } from './leader-election-decision.js';

export interface LeaderElectorOptions {
  readonly kube?: Kube;
  /** Injected for tests; built from kube otherwise. */
  readonly lease?: LeaseClient;
  readonly namespace: string;
  readonly name?: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

export class LeaderElector {
  private readonly lease: LeaseClient;
  private readonly name: string;
  private observation: Observation = { record: undefined, observedAtMs: 0 };
  private observedKey = '';
  private lastRecord: { spec: LeaseSpec; resourceVersion: string } | undefined;
  private leading = false;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: LeaderElectorOptions) {
    this.name = options.name ?? LEADER_ELECTION_LEASE;
    if (options.lease) this.lease = options.lease;
    else if (options.kube)
      this.lease = createLeaseClient(options.kube.resources, options.namespace, this.name);
    else throw new Error('LeaderElector needs kube or lease');
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Acquires, then renews until stopped or the lease is lost. */
  async run(): Promise<void> {
    this.setGauge(false);
    while (!this.stopped && !(await this.tryAcquireOrRenew())) await this.sleep(this.options.retryPeriodMs);
    if (this.stopped) return;
    this.leading = true;
    this.setGauge(true);
    this.options.logger.info({ identity: this.options.identity, lease: this.name }, 'Became leader');
    this.options.onStartedLeading();
    let lastRenew = Date.now();
    while (!this.stopped) {
      await this.sleep(this.options.retryPeriodMs);
      if (this.stopped) break;
      if (
        await this.withDeadline(
          this.tryAcquireOrRenew(),
          lastRenew + this.options.renewDeadlineMs - Date.now(),
        )
      ) {
        lastRenew = Date.now();
      } else if (Date.now() - lastRenew >= this.options.renewDeadlineMs) {
        this.leading = false;
        this.setGauge(false);
        this.options.logger.error(
          { identity: this.options.identity },
          'Failed to renew lease; stepping down',
        );
        this.options.onStoppedLeading();
        return;
      }
    }
  }

  /** Stops the loops without touching the Lease (it expires after the lease duration). */
  abandon(): void {
    this.stopped = true;
    this.leading = false;
    this.wake?.();
  }

  /** Stops the loops; when leading, gives the Lease up so another candidate takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (!this.leading) return;
    this.leading = false;
    this.setGauge(false);
    const last = this.lastRecord;
    if (last === undefined || last.spec.holderIdentity !== this.options.identity) return;
    try {
      await this.lease.update(releasedRecord(last.spec, Date.now(), formatMicroTime), last.resourceVersion);
      this.options.logger.info({ identity: this.options.identity }, 'Released lease');
    } catch (err) {
      this.options.logger.warn({ err }, 'Releasing lease failed');
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    try {
      const current = await this.lease.get();
      const now = Date.now();
      const key = current ? `${current.resourceVersion}` : '';
      if (key !== this.observedKey || this.observation.record === undefined) {
        this.observedKey = key;
        this.observation = { record: current?.spec, observedAtMs: now };
      }
      const decision = decideLease({
        observation: this.observation,
        identity: this.options.identity,
        nowMs: now,
        leaseDurationMs: this.options.leaseDurationMs,
        formatTime: formatMicroTime,
      });
      if (decision.action === 'wait') return false;
      const written =
        decision.action === 'create'
          ? await this.lease.create(decision.record)
          : await this.lease.update(decision.record, current?.resourceVersion ?? '');
      this.lastRecord = written;
      this.observedKey = written.resourceVersion;
      this.observation = { record: written.spec, observedAtMs: Date.now() };
      return true;
    } catch (err) {
      if (!isConflict(err) && !isAlreadyExists(err)) this.options.logger.warn({ err }, 'Lease update failed');
      return false;
    }
  }

  /** A renew that hangs (dead connection) must not keep a stale leader alive past its deadline. */
  private withDeadline(attempt: Promise<boolean>, ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, ms));
    });
    return Promise.race([attempt, expired]).finally(() => clearTimeout(timer));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private setGauge(leader: boolean): void {
    this.options.metrics?.leaderElectionMasterStatus.set({ name: this.name }, leader ? 1 : 0);
  }
}
