// The I/O of a collection node in a wave (spec 04 §10): one LIST with `kro.run/instance-id` and
// `kro.run/node-id` across all namespaces finds the existing items, matched to the desired ones by
// namespace and name; desired items not found are checked for a foreign owner (GET when few,
// otherwise one LIST per namespace of the objects owned by another ApplySet), then every item is
// applied concurrently. Existing items no longer desired are left to the prune, which also sees
// them here so that every namespace the collection spans is covered.

import { Labels } from '../../api/constants.js';
import type { CompiledNode } from '../../graph/types.js';
import type { LabelSelectorLike } from '../../kube/index.js';
import { isKubeApiError } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import type { DesiredItem, ItemResult, NodeReport, RuntimeObject } from '../../runtime/index.js';
import { collectionOutcome } from '../../runtime/index.js';
import type { KnownLive } from './apply-node.js';
import { applyItem } from './apply-node.js';
import { mapConcurrent } from './concurrency.js';
import type { RunState } from './run-state.js';

/** Up to this many unknown items are read one by one; more are checked with a LIST per namespace. */
export const FOREIGN_GET_LIMIT = 8;

export function collectionSelector(run: RunState, node: CompiledNode): LabelSelectorLike {
  return {
    matchLabels: { [Labels.instanceId]: run.ctx.instance.metadata.uid ?? '', [Labels.nodeId]: node.id },
  };
}

const keyOf = (o: RuntimeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export async function applyCollection(
  run: RunState,
  node: CompiledNode,
  objects: readonly DesiredItem[],
): Promise<NodeReport> {
  let known: Map<string, KnownLive | undefined>;
  try {
    known = await findLive(run, node, objects);
  } catch (e) {
    if (isKubeApiError(e) && e.retryable) {
      run.retrying = true;
      return { id: node.id, state: 'IN_PROGRESS', reason: 'ApplyRetrying', message: e.serverMessage };
    }
    return { id: node.id, state: 'ERROR', reason: 'ApplyFailed', message: errorMessage(e) };
  }
  const applied = await mapConcurrent(objects, (d) => applyItem(run, node, d, known.get(keyOf(d.object))));
  const results: ItemResult[] = applied.map((r) =>
    r.kind === 'applied' ? { kind: 'observed', object: r.object } : { kind: 'failed', report: r.outcome },
  );
  const r = collectionOutcome(run.ctx, node, { results, desired: objects.length });
  const observed = results.flatMap((x) => (x.kind === 'observed' ? [x.object] : []));
  if (r.outcome.state === 'SYNCED') run.ctx.observe(node, observed);
  else if (r.outcome.state === 'WAITING_FOR_READINESS' && observed.length === objects.length)
    run.ctx.observeUnready(node, observed);
  return { id: node.id, ...r.outcome, items: r.items };
}

/**
 * What is known of each desired item before applying, by `namespace/name`: the item found by the
 * collection LIST, a foreign object found by the ownership LIST, or undefined (read it by GET).
 */
async function findLive(
  run: RunState,
  node: CompiledNode,
  objects: readonly DesiredItem[],
): Promise<Map<string, KnownLive | undefined>> {
  const res = run.deps.kube.resources;
  const list = await res.list({
    apiVersion: node.apiVersion,
    kind: node.kind,
    labelSelector: `${Labels.instanceId}=${run.ctx.instance.metadata.uid ?? ''},${Labels.nodeId}=${node.id}`,
    metadataOnly: true,
  });
  const existing = list.items.map(
    (o) => ({ ...o, apiVersion: node.apiVersion, kind: node.kind }) as unknown as RuntimeObject,
  );
  run.collectionItems.push(...existing.map((object) => ({ object, namespaced: node.namespaced })));
  const byKey = new Map(existing.map((o) => [keyOf(o), o]));
  const known = new Map<string, KnownLive | undefined>();
  const unknown: RuntimeObject[] = [];
  for (const d of objects) {
    const live = byKey.get(keyOf(d.object));
    if (live) known.set(keyOf(d.object), { live });
    else unknown.push(d.object);
  }
  // Few unknown items: each is read by GET in applyItem (undefined entry).
  if (unknown.length <= FOREIGN_GET_LIMIT) return known;
  const namespaces = node.namespaced
    ? [...new Set(unknown.map((o) => o.metadata.namespace ?? ''))]
    : [undefined];
  const foreign = new Map<string, RuntimeObject>();
  const lists = await Promise.all(
    namespaces.map((namespace) =>
      res.list({
        apiVersion: node.apiVersion,
        kind: node.kind,
        ...(namespace ? { namespace } : {}),
        labelSelector: `${Labels.applySetPartOf},${Labels.applySetPartOf}!=${run.applySetId}`,
        metadataOnly: true,
      }),
    ),
  );
  for (const l of lists) for (const o of l.items) foreign.set(keyOf(o as RuntimeObject), o as RuntimeObject);
  // Not ours and not another ApplySet's: absent, or an unlabelled object the apply adopts.
  for (const o of unknown) known.set(keyOf(o), { live: foreign.get(keyOf(o)) });
  return known;
}
