// RGD status (spec 01 §6): the condition set GraphRevisionsResolved / GraphAccepted / KindReady /
// ControllerReady with root Ready, `state`, `topologicalOrder`, `resources`, `lastIssuedRevision`.
// Written with a JSON merge patch of the status subresource, only when it differs.

import { KRO_GROUP, KRO_VERSION, RGD_KIND, RgdConditionTypes, RgdStates } from '../../api/constants.js';
import type { Condition, ResourceGraphDefinition, RgdStatus } from '../../api/rgd.js';
import type { Kube } from '../../kube/index.js';
import { deepEqual } from '../../lib/json.js';
import type { ConditionContext, ConditionInput } from '../conditions.js';
import { finalizeConditions, isConditionTrue, setCondition } from '../conditions.js';

export const RGD_DEPENDENT_CONDITIONS = [
  RgdConditionTypes.graphRevisionsResolved,
  RgdConditionTypes.graphAccepted,
  RgdConditionTypes.kindReady,
  RgdConditionTypes.controllerReady,
] as const;

export const RGD_API_VERSION = `${KRO_GROUP}/${KRO_VERSION}`;

/** Accumulates this reconcile's condition changes over the stored status. */
export class RgdStatusDraft {
  conditions: Condition[];
  topologicalOrder: string[] | undefined;
  resources: { id: string; dependencies: { id: string }[] }[] | undefined;
  lastIssuedRevision: number;
  private readonly ctx: ConditionContext;

  constructor(
    private readonly rgd: ResourceGraphDefinition,
    now: string,
  ) {
    const s = rgd.status ?? {};
    this.conditions = [...(s.conditions ?? [])];
    this.topologicalOrder = s.topologicalOrder;
    this.resources = s.resources as typeof this.resources;
    this.lastIssuedRevision = typeof s.lastIssuedRevision === 'number' ? s.lastIssuedRevision : 0;
    this.ctx = {
      generation: rgd.metadata.generation ?? 0,
      now,
      deleting: rgd.metadata.deletionTimestamp !== undefined,
    };
  }

  set(cond: ConditionInput): void {
    this.conditions = setCondition(this.conditions, cond, this.ctx);
  }

  status(type: string): Condition['status'] | undefined {
    return this.conditions.find((c) => c.type === type)?.status;
  }

  /** The status to store: missing conditions added, Ready derived, sorted, state computed. */
  build(): RgdStatus {
    const conditions = finalizeConditions(this.conditions, {
      dependents: RGD_DEPENDENT_CONDITIONS,
      ctx: this.ctx,
      creationTimestamp: this.rgd.metadata.creationTimestamp ?? this.ctx.now,
    });
    const active =
      isConditionTrue(conditions, RgdConditionTypes.graphAccepted) &&
      isConditionTrue(conditions, RgdConditionTypes.kindReady) &&
      isConditionTrue(conditions, RgdConditionTypes.controllerReady);
    const out: RgdStatus = { state: active ? RgdStates.active : RgdStates.inactive, conditions };
    if (this.topologicalOrder !== undefined && this.topologicalOrder.length > 0) {
      out.topologicalOrder = this.topologicalOrder;
    }
    if (this.resources !== undefined && this.resources.length > 0) {
      (out as Record<string, unknown>)['resources'] = this.resources;
    }
    if (this.lastIssuedRevision > 0) out.lastIssuedRevision = this.lastIssuedRevision;
    return out;
  }
}

/** Merge-patches status when it differs from what is stored; returns whether it wrote. */
export async function writeRgdStatus(
  kube: Kube,
  rgd: ResourceGraphDefinition,
  next: RgdStatus,
): Promise<boolean> {
  const current = (rgd.status ?? {}) as Record<string, unknown>;
  if (deepEqual(stripUndefined(current), stripUndefined(next))) return false;
  const patch: Record<string, unknown> = { ...next };
  for (const key of Object.keys(current)) if (!(key in patch)) patch[key] = null;
  await kube.resources.mergePatchStatus(
    { apiVersion: RGD_API_VERSION, kind: RGD_KIND, name: rgd.metadata.name ?? '' },
    { status: patch },
  );
  return true;
}

function stripUndefined(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}
