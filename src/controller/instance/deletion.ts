// Deletion (spec 04 §15), driven by the persisted inventory only: no graph, no CEL. Members are
// deleted in apply-order waves, highest first; the finalizer goes when nothing is left.

import { Annotations, FINALIZER, InstanceConditionTypes as T, Labels } from '../../api/constants.js';
import type { KubeObject } from '../../kube/index.js';
import { isConflict, isNotFound, refOf } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import type { InstanceObject, Inventory, ManagedResourceEntry } from '../../runtime/index.js';
import { applySetId, readInventory } from '../../runtime/index.js';
import { getInstance, removeFinalizer, writeStatus } from './instance-io.js';
import type { Member } from './members.js';
import { listMembers } from './members.js';
import { isOrphanPolicy } from '../watch-layer-triggers.js';
import { buildStatus, emitConditionEvents } from './status-builder.js';
import type { InstanceEvents, InstanceReconcilerDeps, InstanceTarget, ReconcileResult } from './types.js';

export class DeletionBlockedError extends Error {
  readonly code = 'DeletionBlocked';
}

export function applyOrderOf(o: { metadata: { annotations?: Record<string, string> } }): number {
  const n = Number(o.metadata.annotations?.[Annotations.applyOrder]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The instance being deleted and how to report on it. */
interface DeletionScope {
  target: InstanceTarget;
  instance: InstanceObject;
  emit: InstanceEvents;
  authorConditions?: boolean;
}

export async function reconcileDeletion(
  deps: InstanceReconcilerDeps,
  opts: DeletionScope,
): Promise<ReconcileResult> {
  const { target, instance } = opts;
  if (!(instance.metadata.finalizers ?? []).includes(FINALIZER)) return {};
  const id = applySetId({
    name: target.name,
    namespace: target.namespace,
    kind: target.kind,
    group: target.group,
  });
  const inv = readInventory(instance.metadata, id);
  if (isOrphanPolicy(instance)) return abandon(deps, opts, id, inv.ok ? inv.inventory : undefined);
  if (!inv.ok) {
    const message = `deletion blocked: validate deletion inventory: ${inv.message}`;
    await writeDeletionStatus(deps, opts, { message });
    throw new DeletionBlockedError(message);
  }
  const members = await listMembers(deps.kube, {
    applySetId: id,
    inventory: inv.inventory,
    namespace: target.namespace,
  });
  if (members.length === 0) {
    deps.watches.dropInstance(target.key);
    const fresh = (await getInstance(deps.kube, target)) ?? instance;
    await removeFinalizer(deps.kube, target, fresh);
    return {};
  }
  const wave = Math.max(...members.map((m) => applyOrderOf(m.object)));
  const current = members.filter((m) => applyOrderOf(m.object) === wave);
  let conflict = false;
  await Promise.all(
    current.map(async (m) => {
      if (m.object.metadata.deletionTimestamp) return;
      const r = await deleteOne(deps, m);
      if (r === 'conflict') conflict = true;
      if (r === 'deleted') opts.emit('Normal', 'ResourceDeleted', `deleted ${describe(m)}`);
    }),
  );
  const message = conflict
    ? 'deletion blocked: deletion encountered UID conflicts; retrying'
    : 'deleting resources';
  await writeDeletionStatus(deps, opts, { message, entries: deletionEntries(members, wave) });
  deps.logger.debug({ wave }, 'deleting apply-order wave');
  return { requeueAfterMs: deps.config.instanceRequeueIntervalMs || 1000 };
}

/**
 * The way out of a deletion that cannot finish (an unreadable inventory, a child the controller
 * may not delete, a child held by someone else's finalizer): children are left in place, each
 * released where possible (the instance's ownerReference and the ApplySet part-of label removed,
 * so neither the garbage collector nor a later instance of the same name touches it), then the
 * finalizer goes. Nothing here may block: every failure is reported in an Event and skipped.
 */
async function abandon(
  deps: InstanceReconcilerDeps,
  opts: { target: InstanceTarget; instance: InstanceObject; emit: InstanceEvents },
  id: string,
  inventory: Inventory | undefined,
): Promise<ReconcileResult> {
  const { target, instance } = opts;
  const uid = instance.metadata.uid;
  let members: Member[] = [];
  const problems: string[] = [];
  if (inventory === undefined) problems.push('the inventory is unreadable, children were not looked up');
  else {
    try {
      members = await listMembers(deps.kube, { applySetId: id, inventory, namespace: target.namespace });
    } catch (e) {
      problems.push(`listing children failed: ${errorMessage(e)}`);
    }
  }
  let released = 0;
  for (const m of members) {
    const o = m.object;
    const owners = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    try {
      await deps.kube.resources.mergePatch(refOf(o as KubeObject), {
        metadata: {
          ownerReferences: owners.length > 0 ? owners : null,
          labels: { [Labels.applySetPartOf]: null },
          ...(o.metadata.uid ? { uid: o.metadata.uid } : {}),
        },
      });
      released++;
    } catch (e) {
      if (!isNotFound(e)) problems.push(`${describe(m)}: ${errorMessage(e)}`);
    }
  }
  deps.watches.dropInstance(target.key);
  const fresh = (await getInstance(deps.kube, target)) ?? instance;
  await removeFinalizer(deps.kube, target, fresh);
  const note =
    problems.length > 0 ? `; not released (left to the garbage collector): ${problems.join('; ')}` : '';
  opts.emit(
    problems.length > 0 ? 'Warning' : 'Normal',
    'DeletionAbandoned',
    `${Annotations.deletionPolicy}=orphan: left ${released} resources in place, removed the finalizer${note}`.slice(
      0,
      1024,
    ),
  );
  deps.logger.info({ instance: target.key, released, problems }, 'Deletion abandoned (orphan policy)');
  return {};
}

function describe(m: Member): string {
  const o = m.object;
  const at = o.metadata.namespace
    ? `${o.metadata.namespace}/${o.metadata.name ?? ''}`
    : (o.metadata.name ?? '');
  return `${o.kind} ${at} (node ${o.metadata.labels?.[Labels.nodeId] ?? ''})`;
}

async function deleteOne(deps: InstanceReconcilerDeps, m: Member): Promise<'deleted' | 'gone' | 'conflict'> {
  const o = m.object;
  try {
    await deps.kube.resources.delete(refOf(o as KubeObject), {
      ...(o.metadata.uid ? { uid: o.metadata.uid } : {}),
      propagationPolicy: 'Background',
    });
    return 'deleted';
  } catch (e) {
    if (isNotFound(e)) return 'gone';
    if (isConflict(e)) return 'conflict';
    throw e;
  }
}

function deletionEntries(members: readonly Member[], wave: number): ManagedResourceEntry[] {
  return members.map((m) => {
    const o = m.object;
    const inWave = applyOrderOf(o) === wave;
    const terminating = o.metadata.deletionTimestamp !== undefined;
    const fin = o.metadata.finalizers ?? [];
    const e: ManagedResourceEntry = {
      id: o.metadata.labels?.[Labels.nodeId] ?? '',
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name ?? '',
      state: 'DELETING',
      reason: !inWave ? 'WaitingForWave' : terminating ? 'ResourceTerminating' : 'Deleting',
    };
    if (o.metadata.namespace) e.namespace = o.metadata.namespace;
    if (terminating && fin.length > 0) e.message = `held by finalizers: ${fin.join(', ')}`;
    return e;
  });
}

async function writeDeletionStatus(
  deps: InstanceReconcilerDeps,
  opts: DeletionScope,
  s: { message: string; entries?: ManagedResourceEntry[] },
): Promise<void> {
  let before: unknown;
  let after: unknown;
  await writeStatus(deps.kube, opts.target, (stored) => {
    before = stored['conditions'];
    const out = buildStatus(stored, {
      generation: Number(opts.instance.metadata['generation'] ?? 0),
      creationTimestamp: String(opts.instance.metadata['creationTimestamp'] ?? ''),
      deleting: true,
      conditions: [
        { type: T.resourcesReady, status: 'Unknown', reason: 'UnderDeletion', message: s.message },
      ],
      state: () => 'DELETING',
      managedResources: s.entries,
      authorDeletion: opts.authorConditions === true,
    });
    after = out['conditions'];
    return out;
  });
  emitConditionEvents(opts.emit, before, after);
}
