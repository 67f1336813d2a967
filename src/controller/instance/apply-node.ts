// The I/O of one planned node in a wave: read the current objects, check ownership and
// termination, apply with server-side apply (kro.run/applyset, force) and compute readiness on the
// apply responses; externals are read (GET / LIST) and never written.

import { FieldManagers, Labels } from '../../api/constants.js';
import type { CompiledNode } from '../../graph/types.js';
import type { KubeObject } from '../../kube/index.js';
import { formatLabelSelector, isKubeApiError, isNotFound } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import type { DesiredItem, ItemReport, NodeOutcome, NodeReport, RuntimeObject } from '../../runtime/index.js';
import { addOwnerReference, collectionReadiness, scalarReadiness } from '../../runtime/index.js';
import type { NodePlan } from '../../runtime/index.js';
import { AppliedCache, childKey } from './applied-cache.js';
import { changedFields, describeChanges, ownedByOthers } from './changes.js';
import type { RunState } from './run-state.js';
import { gvrOf } from './run-state.js';

type ApplyResult = { kind: 'applied'; object: RuntimeObject } | { kind: 'outcome'; outcome: ItemReport };

const resourceVersionOf = (o: RuntimeObject): string | undefined => {
  const rv = o.metadata['resourceVersion'];
  return typeof rv === 'string' ? rv : undefined;
};

const where = (o: RuntimeObject): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ''}` : (o.metadata.name ?? '');

/**
 * What is known about the live object before applying: `undefined` = read it (GET); otherwise
 * `live` is the object found by a LIST (absent: not found, or found only unlabelled).
 */
export interface KnownLive {
  readonly live: RuntimeObject | undefined;
}

export async function applyItem(
  run: RunState,
  node: CompiledNode,
  desired: DesiredItem,
  known?: KnownLive,
): Promise<ApplyResult> {
  const obj = desired.object;
  const ident = { namespace: obj.metadata.namespace, name: obj.metadata.name };
  const res = run.deps.kube.resources;
  const out = (outcome: NodeOutcome): ApplyResult => ({ kind: 'outcome', outcome: { ...outcome, ...ident } });
  try {
    const live = known
      ? known.live
      : ((await res.tryGet({ ...obj, name: obj.metadata.name ?? '', namespace: obj.metadata.namespace })) as
          RuntimeObject | undefined);
    const owner = live?.metadata.labels?.[Labels.applySetPartOf];
    if (owner !== undefined && owner !== run.applySetId) {
      const by = live?.metadata.labels?.[Labels.instanceName];
      const message = `resource belongs to a different ApplySet ${owner}${by ? ` (instance ${by})` : ''}`;
      return out({ state: 'ERROR', reason: 'OwnershipConflict', message });
    }
    if (live?.metadata.deletionTimestamp) {
      return out({
        state: 'DELETING',
        reason: 'ResourceTerminating',
        message: `${where(live)} is being deleted`,
      });
    }
    const body = addOwnerReference(run.ctx, { child: obj, namespaced: node.namespaced, live });
    // Unchanged since this reconciler's last apply (same body, the child not written since): no
    // write. Only with a full object from a GET (a collection LIST reads metadata only).
    const cache = run.deps.applied;
    const key = childKey(body);
    const digest = cache ? AppliedCache.digest(body) : '';
    if (cache && live && !known && cache.unchanged(key, digest, resourceVersionOf(live))) {
      if (live.metadata.uid) run.appliedUids.add(live.metadata.uid);
      return { kind: 'applied', object: live };
    }
    cache?.forget(key);
    const r = await res.applyDetailed(body as KubeObject, {
      fieldManager: FieldManagers.applySet,
      force: true,
    });
    const applied = r.object as RuntimeObject;
    cache?.record(key, digest, resourceVersionOf(applied));
    run.deps.watches.noteOwnWrite?.(run.target.key, gvrOf(node), r.object);
    if (applied.metadata.uid) run.appliedUids.add(applied.metadata.uid);
    const msg = `${obj.kind} ${where(applied)} (node ${node.id})`;
    if (r.created) run.emit('Normal', 'ResourceCreated', `created ${msg}`);
    else if (owner === undefined) run.emit('Normal', 'ResourceAdopted', `adopted ${msg}`);
    else if (live !== undefined && !known) emitChange(run, { body, live, applied, msg });
    return { kind: 'applied', object: applied };
  } catch (e) {
    // An object a LIST did not show may exist unlabelled with details the apply must respect
    // (another controller's owner reference): read it and try once more.
    if (known && !known.live && isKubeApiError(e) && !e.retryable) return applyItem(run, node, desired);
    if (isKubeApiError(e) && e.retryable) {
      run.retrying = true;
      return out({
        state: 'IN_PROGRESS',
        reason: 'ApplyRetrying',
        message: e.serverMessage || errorMessage(e),
      });
    }
    const message = isKubeApiError(e) ? e.serverMessage : errorMessage(e);
    run.emit(
      'Warning',
      'ApplyFailed',
      `apply of ${obj.kind} ${where(obj)} (node ${node.id}) failed: ${message}`,
    );
    return out({ state: 'ERROR', reason: 'ApplyFailed', message });
  }
}

/**
 * One event per apply that changed a child kro-ts already managed: `ResourceDriftReverted` when a
 * changed field was owned by another field manager (someone edited it), else `ResourceUpdated`
 * (the desired value changed, e.g. a new image tag). Both name the fields and values.
 */
function emitChange(
  run: RunState,
  o: { body: RuntimeObject; live: RuntimeObject; applied: RuntimeObject; msg: string },
): void {
  if (o.live.metadata.resourceVersion === o.applied.metadata.resourceVersion) return;
  const changes = changedFields(o.body, o.live, o.applied);
  if (changes.length === 0) return;
  const drift = changes.filter((c) => ownedByOthers(o.live, c.path, FieldManagers.applySet));
  if (drift.length > 0) {
    run.emit('Normal', 'ResourceDriftReverted', `reverted drift on ${o.msg}: ${describeChanges(drift)}`);
    return;
  }
  run.emit('Normal', 'ResourceUpdated', `updated ${o.msg}: ${describeChanges(changes)}`);
}

/** Applies a resource node and returns its report (observing it when settled). */
export async function applyNode(
  run: RunState,
  node: CompiledNode,
  objects: readonly DesiredItem[],
): Promise<NodeReport> {
  const desired = objects[0];
  if (!desired) return { id: node.id, state: 'ERROR', reason: 'TemplateError', message: 'nothing rendered' };
  const r = await applyItem(run, node, desired);
  if (r.kind === 'outcome') return { id: node.id, ...r.outcome };
  return finishScalar(run, node, r.object);
}

function finishScalar(run: RunState, node: CompiledNode, observed: RuntimeObject): NodeReport {
  const outcome = scalarReadiness(run.ctx, node, observed);
  if (outcome.state === 'SYNCED') run.ctx.observe(node, observed);
  else if (outcome.state === 'WAITING_FOR_READINESS') run.ctx.observeUnready(node, observed);
  return { id: node.id, ...outcome, namespace: observed.metadata.namespace, name: observed.metadata.name };
}

/** Reads an external node (by name or by selector). */
export async function readExternal(
  run: RunState,
  node: CompiledNode,
  plan: Extract<NodePlan, { kind: 'get' | 'list' }>,
): Promise<NodeReport> {
  const res = run.deps.kube.resources;
  try {
    if (plan.kind === 'get') {
      const { ref } = plan;
      const obj = (await res.tryGet({ ...ref, namespace: ref.namespace || undefined })) as
        RuntimeObject | undefined;
      if (!obj) {
        const message = `waiting for external reference "${node.id}": not found`;
        return {
          id: node.id,
          state: 'WAITING_FOR_READINESS',
          reason: 'ExternalRefNotFound',
          message,
          name: ref.name,
          namespace: ref.namespace || undefined,
        };
      }
      return finishScalar(run, node, obj);
    }
    const list = await res.list({
      apiVersion: plan.apiVersion,
      kind: plan.kind_,
      namespace: plan.namespace || undefined,
      labelSelector: formatLabelSelector(plan.selector),
    });
    const items = list.items as RuntimeObject[];
    const r = collectionReadiness(run.ctx, node, { observed: items, desired: items.length });
    if (r.outcome.state === 'SYNCED') run.ctx.observe(node, items);
    else if (r.outcome.state === 'WAITING_FOR_READINESS') run.ctx.observeUnready(node, items);
    return { id: node.id, ...r.outcome, items: r.items };
  } catch (e) {
    if (isKubeApiError(e) && e.retryable) {
      run.retrying = true;
      return { id: node.id, state: 'IN_PROGRESS', reason: 'ApplyRetrying', message: e.serverMessage };
    }
    if (isNotFound(e)) {
      return {
        id: node.id,
        state: 'WAITING_FOR_READINESS',
        reason: 'ExternalRefNotFound',
        message: `waiting for external reference "${node.id}": not found`,
      };
    }
    return { id: node.id, state: 'ERROR', reason: 'ExternalRefError', message: errorMessage(e) };
  }
}
