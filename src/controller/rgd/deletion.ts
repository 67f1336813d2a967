// Deleting an RGD (spec 01 §10). Default: deregister the kind and remove the finalizer; the CRD
// and instances stay. With --allow-crd-deletion and a CRD labelled for this RGD: delete every
// instance while the kind is still registered (so each goes through ordered deletion), requeue
// until none is left, then deregister, delete the CRD and remove the finalizer (kro difference,
// bug fix: kro deregisters first and leaves the CRD hanging).

import { FINALIZER, Labels, RgdConditionTypes as C } from '../../api/constants.js';
import type { ResourceGraphDefinition } from '../../api/rgd.js';
import { isNoKindMatch, isNotFound } from '../../kube/index.js';
import type { KubeObject } from '../../kube/index.js';
import { EventReasons } from '../../observability/events.js';
import type { ReconcileResult } from '../queue.js';
import type { RgdContext } from './context.js';
import { instanceGvrOf, rgdRef } from './context.js';
import { crdRef } from './ensure-crd.js';
import { emit, writeStatusWithMetrics } from './reconcile.js';
import { RgdStatusDraft } from './status.js';

export async function finalizeRgd(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
): Promise<ReconcileResult | void> {
  const name = rgd.metadata.name ?? '';
  if (!(rgd.metadata.finalizers ?? []).includes(FINALIZER)) {
    cx.memory.delete(name);
    return undefined;
  }
  const started = performance.now();
  const kind = instanceGvrOf(rgd);
  const gvrKey = `${kind.gvr.group}/${kind.gvr.version}/${kind.gvr.resource}`;
  if (cx.config.allowCrdDeletion) {
    const crd = await cx.kube.resources.tryGet(crdRef(kind.crdName));
    if (crd?.metadata.labels?.[Labels.rgdName] === name) {
      const remaining = await listInstances(cx, kind);
      if (remaining.length > 0) {
        await ensureRegisteredForDrain(cx, rgd, gvrKey);
        await deleteInstances(cx, kind, remaining);
        const draft = new RgdStatusDraft(rgd, cx.now());
        draft.set({
          type: C.kindReady,
          status: 'False',
          reason: 'Deleting',
          message: `deleting ${remaining.length} instances before the CRD`,
        });
        await writeStatusWithMetrics(cx, rgd, draft);
        return { requeueAfterMs: Math.max(cx.config.rgdProgressRequeueDelayMs, 1) };
      }
      cx.manager.deregisterKind(gvrKey);
      await deleteIgnoringNotFound(cx, crdRef(kind.crdName));
      emit(cx, rgd, {
        type: 'Normal',
        reason: EventReasons.crdDeleted,
        message: `deleted CRD ${kind.crdName}`,
      });
    }
  }
  cx.manager.deregisterKind(gvrKey);
  // The CRD stays (no --allow-crd-deletion, or not ours to delete): its instances must still be
  // deletable, so their deletions keep being processed.
  if (
    await cx.kube.resources
      .tryGet(crdRef(kind.crdName))
      .then((c) => c?.metadata.deletionTimestamp === undefined && c !== undefined)
  ) {
    cx.manager.retainForDeletion(kind.gvr, name);
  }
  const finalizers = (rgd.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
  try {
    await cx.kube.resources.mergePatch(rgdRef(name), {
      metadata: { finalizers, resourceVersion: rgd.metadata.resourceVersion },
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  cx.memory.delete(name);
  cx.metrics.rgdDeletionsTotal.inc({ name });
  cx.metrics.rgdDeletionDuration.observe({ name }, (performance.now() - started) / 1000);
  cx.logger.info({ rgd: name }, 'RGD finalized');
  return undefined;
}

/**
 * Instances need the instance controller to run their ordered deletion; after a restart the kind
 * may not be registered yet (the RGD went straight to deletion), so build and register it.
 */
async function ensureRegisteredForDrain(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
  gvrKey: string,
): Promise<void> {
  if (cx.manager.isRegistered(gvrKey) && cx.manager.registry.lookup(gvrKey)?.kind === 'served') return;
  const built = await cx.buildGraph(rgd);
  if (!built.ok) {
    cx.logger.info(
      { rgd: rgd.metadata.name },
      'Cannot build the graph to drain instances; deleting them without it',
    );
    return;
  }
  cx.manager.registerKind({
    graph: built.value,
    rgdName: rgd.metadata.name ?? '',
    rgdUid: rgd.metadata.uid ?? '',
    revision: rgd.status?.lastIssuedRevision ?? 0,
  });
}

async function listInstances(cx: RgdContext, kind: ReturnType<typeof instanceGvrOf>): Promise<KubeObject[]> {
  try {
    const list = await cx.kube.resources.list({
      apiVersion: kind.apiVersion,
      kind: kind.kind,
      metadataOnly: true,
    });
    return list.items;
  } catch (e) {
    if (isNotFound(e) || isNoKindMatch(e)) return [];
    throw e;
  }
}

async function deleteInstances(
  cx: RgdContext,
  kind: ReturnType<typeof instanceGvrOf>,
  items: readonly KubeObject[],
): Promise<void> {
  for (const item of items) {
    if (item.metadata.deletionTimestamp !== undefined) continue;
    // Metadata-only list items are PartialObjectMetadata: address them by the instance kind.
    await deleteIgnoringNotFound(cx, {
      apiVersion: kind.apiVersion,
      kind: kind.kind,
      name: item.metadata.name ?? '',
      namespace: item.metadata.namespace,
    });
  }
}

async function deleteIgnoringNotFound(
  cx: RgdContext,
  ref: { apiVersion: string; kind: string; name: string; namespace?: string | undefined },
): Promise<void> {
  try {
    await cx.kube.resources.delete(ref);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
