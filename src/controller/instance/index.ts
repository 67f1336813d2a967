// controller/instance: the reconciler of instances of every generated kind (spec 04). The
// manager's shared work queue calls `reconcile(key)`; everything an instance needs is read fresh
// from the API server, the graph comes from the GraphRegistry, watches are declared through the
// WatchLayer. One reconcile never affects another: failures are thrown as typed errors and the
// queue's crash boundary retries with backoff.

import { gvrLabel } from '../../observability/metrics.js';
import { instanceEventComponent } from '../../observability/events.js';
import type { InstanceKey } from '../instance-key.js';
import { formatInstanceKey, instanceGvrKey } from '../instance-key.js';
import { AppliedCache } from './applied-cache.js';
import { reconcileDeletion } from './deletion.js';
import { getInstance } from './instance-io.js';
import { reconcileServed, reconcileUnavailable } from './reconcile.js';
import type {
  InstanceEvents,
  InstanceReconciler,
  InstanceReconcilerDeps,
  InstanceTarget,
  ReconcileResult,
} from './types.js';

export type { InstanceReconciler, InstanceReconcilerDeps, ReconcileResult } from './types.js';
export { isSuspended } from './reconcile.js';

export function createInstanceReconciler(given: InstanceReconcilerDeps): InstanceReconciler {
  const deps: InstanceReconcilerDeps = { ...given, applied: given.applied ?? new AppliedCache() };
  return {
    reconcile: async (key, ctx) => {
      const gvr = gvrLabel(key.group, key.version, key.plural);
      const end = deps.metrics.instanceReconcileDuration.startTimer({ gvr });
      deps.metrics.instanceReconcileTotal.inc({ gvr });
      try {
        return await reconcileKey(deps, key, ctx.signal);
      } catch (e) {
        deps.metrics.instanceReconcileErrorsTotal.inc({ gvr });
        throw e;
      } finally {
        end();
      }
    },
  };
}

async function reconcileKey(
  deps: InstanceReconcilerDeps,
  key: InstanceKey,
  signal: AbortSignal,
): Promise<ReconcileResult> {
  const mapping = await deps.kube.discovery.resolveResource({
    group: key.group,
    version: key.version,
    resource: key.plural,
  });
  if (!mapping) return {};
  const target: InstanceTarget = {
    apiVersion: key.group ? `${key.group}/${key.version}` : key.version,
    kind: mapping.gvk.kind,
    group: key.group,
    namespaced: mapping.namespaced,
    namespace: mapping.namespaced ? key.namespace : '',
    name: key.name,
    key: formatInstanceKey(key),
    gvrLabel: gvrLabel(key.group, key.version, key.plural),
  };
  const instance = await getInstance(deps.kube, target);
  if (!instance) {
    deps.watches.dropInstance(target.key);
    return {};
  }
  const emitter = deps.events.forComponent(instanceEventComponent(`${key.plural}.${key.group}`));
  const object = {
    apiVersion: target.apiVersion,
    kind: target.kind,
    name: target.name,
    ...(target.namespace ? { namespace: target.namespace } : {}),
    ...(instance.metadata.uid ? { uid: instance.metadata.uid } : {}),
  };
  const emit: InstanceEvents = (type, reason, message) => emitter.emit({ object, type, reason, message });
  const lookup = deps.graphs.lookup(instanceGvrKey(key));
  if (instance.metadata.deletionTimestamp) {
    const authorConditions = lookup?.kind === 'served' && lookup.served.graph.status.conditions.length > 0;
    return reconcileDeletion(deps, { target, instance, emit, authorConditions });
  }
  if (!lookup || (lookup.kind === 'unavailable' && lookup.orphaned === true)) return {};
  const scope = { deps, key, target, instance, latest: { object: instance }, emit, signal };
  if (lookup.kind === 'unavailable') return reconcileUnavailable(scope, lookup);
  return reconcileServed(scope, lookup.served);
}
