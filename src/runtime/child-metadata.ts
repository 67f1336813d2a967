// What kro-ts adds to every applied child (spec 04 §6.2–6.4): its labels and annotations, the
// namespace rules, and the owner reference to the instance.

import { Annotations, Labels, MANAGED_BY_VALUE, versionLabelValue } from '../api/constants.js';
import type { CompiledNode } from '../graph/types.js';
import type { InstanceContext } from './context.js';
import type { OwnerReference, RuntimeObject } from './types.js';

export interface ItemPosition {
  readonly index: number;
  readonly size: number;
}

/** The labels of §6.2 for one child of this instance. */
export function childLabels(
  ctx: InstanceContext,
  opts: { node: CompiledNode; applySetId: string; item?: ItemPosition | undefined },
): Record<string, string> {
  const inst = ctx.instance.metadata;
  const info = ctx.graph.instance;
  const labels: Record<string, string> = {
    [Labels.owned]: 'true',
    [Labels.kroVersion]: versionLabelValue(ctx.options.kroVersion),
    [Labels.instanceId]: inst.uid ?? '',
    [Labels.instanceName]: inst.name ?? '',
    [Labels.instanceGroup]: info.group,
    [Labels.instanceVersion]: info.version,
    [Labels.instanceKind]: info.kind,
    [Labels.nodeId]: opts.node.id,
    [Labels.managedBy]: MANAGED_BY_VALUE,
    [Labels.applySetPartOf]: opts.applySetId,
  };
  if (!ctx.clusterScoped) labels[Labels.instanceNamespace] = ctx.namespace;
  if (opts.item) {
    labels[Labels.collectionIndex] = String(opts.item.index);
    labels[Labels.collectionSize] = String(opts.item.size);
  }
  return labels;
}

/**
 * Finishes a rendered template: namespace rules, labels, apply-order annotation. Returns an error
 * message when a namespaced child of a cluster-scoped instance has no namespace.
 */
export function decorateChild(
  ctx: InstanceContext,
  opts: { node: CompiledNode; rendered: RuntimeObject; applySetId: string; item?: ItemPosition | undefined },
): { ok: true; object: RuntimeObject } | { ok: false; message: string } {
  const obj = opts.rendered;
  const meta = (obj.metadata ??= {});
  const ns = resolveNamespace(ctx, opts.node, typeof meta.namespace === 'string' ? meta.namespace : '');
  if (ns === undefined) {
    return {
      ok: false,
      message: `node "${opts.node.id}" is namespaced and must resolve metadata.namespace when the instance is cluster-scoped`,
    };
  }
  if (ns === '') delete meta.namespace;
  else meta.namespace = ns;
  meta.labels = { ...stringMap(meta.labels), ...childLabels(ctx, opts) };
  meta.annotations = {
    ...stringMap(meta.annotations),
    [Annotations.applyOrder]: String(opts.node.applyOrder),
  };
  return { ok: true, object: obj };
}

/** '' for cluster-scoped kinds; undefined when a namespace is required and missing. */
export function resolveNamespace(
  ctx: InstanceContext,
  node: CompiledNode,
  rendered: string,
): string | undefined {
  if (!node.namespaced) return '';
  if (rendered !== '') return rendered;
  return ctx.clusterScoped ? undefined : ctx.namespace;
}

function stringMap(v: unknown): Record<string, string> {
  return v !== null && typeof v === 'object' ? (v as Record<string, string>) : {};
}

/** Whether Kubernetes allows the instance to own this child (§6.4). */
export function mayOwn(ctx: InstanceContext, child: RuntimeObject, namespaced: boolean): boolean {
  if (ctx.clusterScoped) return true;
  return namespaced && (child.metadata.namespace ?? '') === ctx.namespace;
}

/** Adds the instance's owner reference (mode auto), merged by UID with template references. */
export function addOwnerReference(
  ctx: InstanceContext,
  opts: { child: RuntimeObject; namespaced: boolean; live?: RuntimeObject | undefined },
): RuntimeObject {
  if (ctx.options.ownerReferences === 'none' || !mayOwn(ctx, opts.child, opts.namespaced)) return opts.child;
  const inst = ctx.instance;
  const uid = inst.metadata.uid;
  if (!uid || !inst.metadata.name) return opts.child;
  const declared = (opts.child.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
  const otherController = [...declared, ...(opts.live?.metadata.ownerReferences ?? [])].some(
    (r) => r.uid !== uid && r.controller === true,
  );
  const ref: OwnerReference = {
    apiVersion: inst.apiVersion,
    kind: inst.kind,
    name: inst.metadata.name,
    uid,
    controller: !otherController,
    blockOwnerDeletion: true,
  };
  opts.child.metadata.ownerReferences = [...declared, ref];
  return opts.child;
}
