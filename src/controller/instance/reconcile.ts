// One reconcile of one instance (spec 04 §1). Reads the instance fresh, handles deletion without
// the graph, ensures the managed metadata before touching any child, then runs the waves, prunes,
// and writes status only when it changed. Errors are thrown typed: the queue retries with backoff.

import {
  Annotations,
  FieldManagers,
  GRAPH_CURRENT_CONDITION,
  InstanceConditionTypes as T,
  KRO_TS_VERSION,
} from '../../api/constants.js';
import type { ConditionInput } from '../conditions.js';
import type { ServedGraph } from '../graph-registry.js';
import type { InstanceKey } from '../instance-key.js';
import { instanceGvrKey } from '../instance-key.js';
import {
  applySetId,
  evaluateAuthorConditions,
  evaluateUserStatus,
  eventLoopTurnSpent,
  nextEventLoopTurn,
  EMPTY_INVENTORY,
  InstanceContext,
  instanceState,
  managedResources,
  readInventory,
  resourcesReady,
} from '../../runtime/index.js';
import type { InstanceObject } from '../../runtime/index.js';
import { errorMessage } from '../../lib/errors.js';
import type { LatestInstance } from './instance-io.js';
import { ensureManagedMetadata, managedLabels, ownedBy, writeInventory, writeStatus } from './instance-io.js';
import { mayPrune, prune } from './prune.js';
import type { RunState } from './run-state.js';
import type { StatusInput } from './status-builder.js';
import { buildStatus, emitConditionEvents, emitNodeEvents } from './status-builder.js';
import type { InstanceEvents, InstanceReconcilerDeps, InstanceTarget, ReconcileResult } from './types.js';
import { runWaves } from './waves.js';

const SUSPENDED = new Set(['suspended', 'disabled']);

export function isSuspended(instance: InstanceObject): boolean {
  const v = instance.metadata.annotations?.[Annotations.reconcile];
  return v !== undefined && SUSPENDED.has(v.toLowerCase());
}

export interface ReconcileScope {
  readonly deps: InstanceReconcilerDeps;
  readonly key: InstanceKey;
  readonly target: InstanceTarget;
  readonly instance: InstanceObject;
  /** The newest copy of the instance (starts as `instance`; each own write's answer replaces it). */
  readonly latest: LatestInstance;
  readonly emit: InstanceEvents;
  readonly signal: AbortSignal;
}

/** Writes status built from `input` and emits condition / node events. */
export async function commitStatus(
  scope: ReconcileScope,
  input: Omit<StatusInput, 'generation' | 'creationTimestamp' | 'deleting'>,
): Promise<void> {
  const meta = scope.instance.metadata;
  let before: Record<string, unknown> = {};
  let after: Record<string, unknown> = {};
  await writeStatus(
    scope.deps.kube,
    scope.target,
    (stored) => {
      before = stored;
      after = buildStatus(stored, {
        ...input,
        generation: Number(meta['generation'] ?? 0),
        creationTimestamp: String(meta['creationTimestamp'] ?? ''),
        deleting: false,
      });
      return after;
    },
    scope.latest,
  );
  emitConditionEvents(scope.emit, before['conditions'], after['conditions']);
  if (input.managedResources) emitNodeEvents(scope.emit, before['managedResources'], input.managedResources);
}

export async function reconcileUnavailable(
  scope: ReconcileScope,
  lookup: { rgdName: string; reason: string; mayRecover: boolean },
): Promise<ReconcileResult> {
  await commitStatus(scope, {
    conditions: [
      { type: T.graphResolved, status: 'False', reason: 'ResolutionFailed', message: lookup.reason },
    ],
    state: () => 'ERROR',
  });
  const interval = scope.deps.config.instanceRequeueIntervalMs;
  return lookup.mayRecover && interval > 0 ? { requeueAfterMs: interval } : {};
}

const MANAGED = {
  type: T.instanceManaged,
  status: 'True',
  reason: 'Managed',
  message: 'instance is properly managed with finalizers and labels',
} as const;
const RESOLVED = {
  type: T.graphResolved,
  status: 'True',
  reason: 'Resolved',
  message: 'runtime graph created and all resources resolved',
} as const;

/** With author conditions: evaluate them against `ctx` (or a context with nothing observed). */
function authorConditionsFor(
  scope: ReconcileScope,
  graph: ServedGraph['graph'],
  ctx?: InstanceContext,
): Pick<StatusInput, 'authorConditions' | 'onAuthorError'> {
  if (graph.status.conditions.length === 0) return {};
  const c =
    ctx ??
    new InstanceContext(graph, scope.instance, {
      timeoutMs: scope.deps.config.celEvalTimeoutMs,
      maxCollectionSize: scope.deps.config.rgdMaxCollectionSize,
      ownerReferences: scope.deps.config.ownerReferences,
      kroVersion: KRO_TS_VERSION,
    });
  return {
    authorConditions: (builtins) => evaluateAuthorConditions(c, builtins),
    onAuthorError: (message) =>
      scope.deps.logger.warn({ instance: scope.target.key, err: message }, 'Author conditions degraded'),
  };
}

/**
 * GraphCurrent: which GraphRevision of the RGD serves the instance (the revision number kro's
 * GraphRevisions and the RGD's `lastIssuedRevision` use), or why a newer spec was refused.
 */
export function graphCurrent(served: ServedGraph): ConditionInput {
  const parts = [
    served.graphRevision !== undefined ? `GraphRevision ${served.graphRevision}` : undefined,
    served.rgdGeneration !== undefined ? `RGD generation ${served.rgdGeneration}` : undefined,
  ].filter((p) => p !== undefined);
  const from = `revision ${served.revision} of ResourceGraphDefinition ${served.rgdName}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
  if (served.rejected === undefined) {
    return {
      type: GRAPH_CURRENT_CONDITION,
      status: 'True',
      reason: 'Current',
      message: `served from ${from}`,
    };
  }
  const message = `generation ${served.rejected.generation} of ResourceGraphDefinition ${served.rgdName} was rejected; still served from ${from}: ${served.rejected.message}`;
  return {
    type: GRAPH_CURRENT_CONDITION,
    status: 'False',
    reason: 'NewerSpecRejected',
    message: message.length <= 1024 ? message : `${message.slice(0, 1021)}...`,
  };
}

export async function reconcileServed(scope: ReconcileScope, served: ServedGraph): Promise<ReconcileResult> {
  const { deps, target } = scope;
  const graph = served.graph;
  const id = applySetId({
    name: target.name,
    namespace: target.namespace,
    kind: target.kind,
    group: target.group,
  });
  let instance: InstanceObject;
  try {
    instance = await ensureManagedMetadata(deps.kube, {
      target,
      instance: scope.instance,
      labels: managedLabels({ rgdUid: served.rgdUid, rgdName: served.rgdName, kroVersion: KRO_TS_VERSION }),
      applySetId: id,
    });
    scope.latest.object = instance;
  } catch (e) {
    const message = `finalizer/labeling failed: ${errorMessage(e)}`;
    await commitStatus(scope, {
      conditions: [
        { type: T.instanceManaged, status: 'False', reason: 'ManagementFailed', message },
        RESOLVED,
      ],
      state: () => 'ERROR',
      ...authorConditionsFor(scope, graph),
      graphCurrent: graphCurrent(served),
    });
    throw e;
  }
  if (isSuspended(instance)) {
    await commitStatus(scope, {
      conditions: [
        MANAGED,
        RESOLVED,
        {
          type: T.resourcesReady,
          status: 'False',
          reason: 'ReconciliationSuspended',
          message: 'reconciliation suspended via kro.run/reconcile annotation',
        },
      ],
      state: () => 'IN_PROGRESS',
      declared: graph.status.declared,
      ...authorConditionsFor(scope, graph),
      graphCurrent: graphCurrent(served),
    });
    return {};
  }
  const recorded = readInventory(instance.metadata, id);
  const ctx = new InstanceContext(graph, instance, {
    timeoutMs: deps.config.celEvalTimeoutMs,
    reconcileBudgetMs: deps.config.celReconcileBudgetMs,
    maxCollectionSize: deps.config.rgdMaxCollectionSize,
    ownerReferences: deps.config.ownerReferences,
    kroVersion: KRO_TS_VERSION,
  });
  const run: RunState = {
    deps,
    ctx,
    target,
    applySetId: id,
    inventory: recorded.ok ? recorded.inventory : EMPTY_INVENTORY,
    current: EMPTY_INVENTORY,
    parentOwned: ownedBy(instance, FieldManagers.applySetParent),
    reports: new Map(),
    appliedUids: new Set(),
    interests: new Map(),
    collectionItems: [],
    emit: scope.emit,
    retrying: false,
    waves: 0,
    signal: scope.signal,
    latest: scope.latest,
  };
  await runWaves(run);
  // The inventory grows before anything is applied, so a reconcile that started from a valid,
  // empty inventory has no member from before it: nothing to prune, no LIST needed.
  const nothingBefore =
    recorded.ok && recorded.inventory.groupKinds.length === 0 && recorded.inventory.namespaces.length === 0;
  const conflicts = mayPrune(run) && !nothingBefore ? await prune(run) : false;
  if (!run.parentOwned) {
    // kro applies the inventory with the applyset-parent manager on every reconcile, even one that
    // applied nothing: do it once so the instance's managedFields look the same under both.
    await writeInventory(deps.kube, { target, applySetId: id, inventory: run.inventory, latest: run.latest });
    run.parentOwned = true;
  }
  return finish(scope, run, conflicts, served);
}

async function finish(
  scope: ReconcileScope,
  run: RunState,
  conflicts: boolean,
  served: ServedGraph,
): Promise<ReconcileResult> {
  const { deps } = scope;
  const graph = run.ctx.graph;
  deps.watches.setInterests(scope.target.key, [...run.interests.values()]);
  while (eventLoopTurnSpent()) await nextEventLoopTurn();
  const user = evaluateUserStatus(run.ctx);
  const rr = resourcesReady(graph, run.reports, user.errors);
  const mr = managedResources(graph, run.reports, deps.config.statusMaxManagedResources);
  await commitStatus(scope, {
    conditions: [MANAGED, RESOLVED, { type: T.resourcesReady, ...rr }],
    state: (ready) =>
      instanceState({ ready, reports: run.reports.values(), statusError: user.errors.length > 0 }),
    userFields: user.fields,
    managedResources: mr,
    declared: graph.status.declared,
    ...authorConditionsFor(scope, graph, run.ctx),
    graphCurrent: graphCurrent(served),
  });
  deps.metrics.instanceReconcileWaves.observe({ gvr: scope.target.gvrLabel }, run.waves);
  const waiting = [...run.reports.values()].some((r) => r.state !== 'SYNCED' && r.state !== 'SKIPPED');
  const interval = deps.config.instanceRequeueIntervalMs;
  if ((waiting || conflicts || run.retrying) && interval > 0) return { requeueAfterMs: interval };
  return {};
}

export { instanceGvrKey };
