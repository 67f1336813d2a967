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

/** `desired` is the number of items the collection should have (observed.length for externals). */
export function collectionReadiness(
  ctx: InstanceContext,
  node: CompiledNode,
  opts: { observed: readonly RuntimeObject[]; desired: number },
): CollectionReadiness {
  const items: ItemReport[] = opts.observed.map((o) => ({
    ...evaluateReadyWhen(ctx, {
      nodeId: node.id,
      conditions: node.readyWhen,
      binding: { each: toCel(o, node.schema) },
    }),
    namespace: o.metadata.namespace,
    name: o.metadata.name,
  }));
  const error = items.find((i) => i.state === 'ERROR');
  if (error) return { outcome: { state: 'ERROR', reason: error.reason, message: error.message }, items };
  const ready = items.filter((i) => i.state === 'SYNCED').length;
  const n = Math.max(opts.desired, items.length);
  if (ready === n && items.length >= opts.desired) {
    const message = n === 0 ? '' : `${ready}/${n} items ready`;
    return { outcome: { ...SYNCED, message }, items };
  }
  const first = items.find((i) => i.state !== 'SYNCED');
  const detail = first
    ? `; ${first.namespace ? `${first.namespace}/` : ''}${first.name ?? ''}: ${first.message}`
    : `; ${opts.desired - items.length} not observed yet`;
  return {
    outcome: {
      state: 'WAITING_FOR_READINESS',
      reason: 'ItemsNotReady',
      message: `${ready}/${n} items ready${detail}`,
    },
    items,
  };
}
