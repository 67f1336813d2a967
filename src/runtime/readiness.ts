// Readiness of an observed node (spec 04 §7): readyWhen with the node's id bound to its observed
// object, or `each` bound to every item of a collection. An empty collection is ready.

import { toCel } from '../cel/index.js';
import type { CompiledNode } from '../graph/types.js';
import { evaluateReadyWhen, SYNCED } from './conditions.js';
import type { InstanceContext } from './context.js';
import type { ItemReport, NodeOutcome, RuntimeObject } from './types.js';

export function scalarReadiness(
  ctx: InstanceContext,
  node: CompiledNode,
  observed: RuntimeObject,
): NodeOutcome {
  return evaluateReadyWhen(ctx, {
    nodeId: node.id,
    conditions: node.readyWhen,
    binding: { [node.id]: toCel(observed, node.schema) },
  });
}

export interface CollectionReadiness {
  readonly outcome: NodeOutcome;
  readonly items: readonly ItemReport[];
}

/** One item of a collection after its apply: the observed object, or why there is none. */
export type ItemResult =
  | { readonly kind: 'observed'; readonly object: RuntimeObject }
  | { readonly kind: 'failed'; readonly report: ItemReport };

/** `desired` is the number of items the collection should have (observed.length for externals). */
export function collectionReadiness(
  ctx: InstanceContext,
  node: CompiledNode,
  opts: { observed: readonly RuntimeObject[]; desired: number },
): CollectionReadiness {
  const results = opts.observed.map((object) => ({ kind: 'observed', object }) as const);
  return collectionOutcome(ctx, node, { results, desired: opts.desired });
}

/**
 * The node outcome of a collection from its items in desired order (spec 04 §7, §10): an item in
 * ERROR makes the node ERROR, a terminating one DELETING, one still being applied IN_PROGRESS;
 * otherwise ready when every desired item is observed and every readyWhen holds for it (`each`),
 * else ItemsNotReady with `<k>/<n> items ready` and the first item that is not.
 */
export function collectionOutcome(
  ctx: InstanceContext,
  node: CompiledNode,
  opts: { results: readonly ItemResult[]; desired: number },
): CollectionReadiness {
  const items: ItemReport[] = opts.results.map((r) =>
    r.kind === 'failed'
      ? r.report
      : {
          ...evaluateReadyWhen(ctx, {
            nodeId: node.id,
            conditions: node.readyWhen,
            binding: { each: toCel(r.object, node.schema) },
          }),
          namespace: r.object.metadata.namespace,
          name: r.object.metadata.name,
        },
  );
  const ready = items.filter((i) => i.state === 'SYNCED').length;
  const n = Math.max(opts.desired, items.length);
  const counted = `${ready}/${n} items ready`;
  for (const state of ['ERROR', 'DELETING', 'IN_PROGRESS'] as const) {
    const worst = items.find((i) => i.state === state);
    if (worst) {
      const message = state === 'ERROR' ? worst.message : `${counted}; ${describe(worst)}`;
      return { outcome: { state, reason: worst.reason, message }, items };
    }
  }
  if (ready === n && items.length >= opts.desired) return { outcome: { ...SYNCED, message: counted }, items };
  const first = items.find((i) => i.state !== 'SYNCED');
  const detail = first ? describe(first) : `${opts.desired - items.length} not observed yet`;
  return {
    outcome: { state: 'WAITING_FOR_READINESS', reason: 'ItemsNotReady', message: `${counted}; ${detail}` },
    items,
  };
}

function describe(item: ItemReport): string {
  return `${item.namespace ? `${item.namespace}/` : ''}${item.name ?? ''}: ${item.message || item.reason}`;
}
