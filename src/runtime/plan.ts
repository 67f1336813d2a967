// Planning one node before any write (spec 04 §5, inner loop): skip cascade, includeWhen, forEach
// and rendering give either a final outcome (skipped, pending, error) or what to do with the API
// server: apply these objects, GET this external object, LIST this external collection.

import { decodeSelector } from '../graph/selector.js';
import type { NodeState } from '../api/constants.js';
import type { CompiledNode } from '../graph/types.js';
import type { JsonObject } from '../lib/json.js';
import { decorateChild } from './child-metadata.js';
import type { ItemPosition } from './child-metadata.js';
import { evaluateIncludeWhen } from './conditions.js';
import type { InstanceContext } from './context.js';
import { expandForEach } from './for-each.js';
import { renderTemplate } from './render.js';
import type { NodeOutcome, RuntimeObject } from './types.js';

export interface DesiredItem {
  readonly object: RuntimeObject;
  readonly item?: ItemPosition | undefined;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export type NodePlan =
  | { readonly kind: 'outcome'; readonly outcome: NodeOutcome }
  | { readonly kind: 'apply'; readonly objects: readonly DesiredItem[] }
  | {
      readonly kind: 'get';
      readonly ref: { apiVersion: string; kind: string; name: string; namespace: string };
    }
  | {
      readonly kind: 'list';
      readonly apiVersion: string;
      readonly kind_: string;
      readonly namespace: string;
      readonly selector: LabelSelector;
    };

export function planNode(
  ctx: InstanceContext,
  opts: { node: CompiledNode; applySetId: string; stateOf: (id: string) => NodeState | undefined },
): NodePlan {
  const { node } = opts;
  const skippedDep = node.dependencies.find((d) => opts.stateOf(d) === 'SKIPPED');
  if (skippedDep !== undefined) {
    return done({
      state: 'SKIPPED',
      reason: 'DependencySkipped',
      message: `dependency "${skippedDep}" is skipped`,
    });
  }
  const include = evaluateIncludeWhen(ctx, node.id, node.includeWhen);
  if (include) return done(include);
  switch (node.type) {
    case 'resource':
      return planResource(ctx, node, opts.applySetId);
    case 'collection':
      return planCollection(ctx, node, opts.applySetId);
    case 'external':
    case 'externalCollection':
      return planExternal(ctx, node);
  }
}

function done(outcome: NodeOutcome): NodePlan {
  return { kind: 'outcome', outcome };
}

function renderChild(
  ctx: InstanceContext,
  node: CompiledNode,
  opts: { applySetId: string; bindings?: Record<string, unknown>; item?: ItemPosition },
): { object: RuntimeObject } | { outcome: NodeOutcome } {
  const r = renderTemplate(ctx, {
    nodeId: node.id,
    template: node.template,
    fields: node.fields,
    bindings: opts.bindings,
  });
  if (r.kind === 'pending')
    return { outcome: { state: 'IN_PROGRESS', reason: 'DataPending', message: r.message } };
  if (r.kind === 'error') return { outcome: { state: 'ERROR', reason: r.reason, message: r.message } };
  const rendered = r.object as unknown as RuntimeObject;
  const d = decorateChild(ctx, { node, rendered, applySetId: opts.applySetId, item: opts.item });
  if (!d.ok) return { outcome: { state: 'ERROR', reason: 'TemplateError', message: d.message } };
  return { object: d.object };
}

function planResource(ctx: InstanceContext, node: CompiledNode, applySetId: string): NodePlan {
  const r = renderChild(ctx, node, { applySetId });
  return 'outcome' in r ? done(r.outcome) : { kind: 'apply', objects: [{ object: r.object }] };
}

function planCollection(ctx: InstanceContext, node: CompiledNode, applySetId: string): NodePlan {
  const fe = expandForEach(ctx, node.id, node.forEach);
  if (fe.kind === 'outcome') return done(fe.outcome);
  const size = fe.bindings.length;
  const objects: DesiredItem[] = [];
  const seen = new Set<string>();
  for (const [index, bindings] of fe.bindings.entries()) {
    const item = { index, size };
    const r = renderChild(ctx, node, { applySetId, bindings, item });
    if ('outcome' in r) return done(r.outcome);
    const identity = identityOf(r.object);
    if (seen.has(identity)) {
      return done(collision(identity));
    }
    seen.add(identity);
    objects.push({ object: r.object, item });
  }
  return { kind: 'apply', objects };
}

function planExternal(ctx: InstanceContext, node: CompiledNode): NodePlan {
  const r = renderTemplate(ctx, { nodeId: node.id, template: node.template, fields: node.fields });
  if (r.kind === 'pending') return done({ state: 'IN_PROGRESS', reason: 'DataPending', message: r.message });
  if (r.kind === 'error') return done({ state: 'ERROR', reason: r.reason, message: r.message });
  const meta = (r.object['metadata'] ?? {}) as JsonObject;
  const rendered = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
  const namespace = node.namespaced ? rendered || ctx.namespace : '';
  if (node.type === 'externalCollection') {
    // kro v0.9.4: decoded strictly, so a misspelled field fails instead of matching everything.
    const decoded = decodeSelector(meta['selector']);
    if (!decoded.ok) {
      return done({
        state: 'ERROR',
        reason: 'InvalidSelector',
        message: `failed to convert selector for ${node.id}: ${decoded.error}`,
      });
    }
    const selector = decoded.value as LabelSelector;
    return {
      kind: 'list',
      apiVersion: node.apiVersion,
      kind_: node.kind,
      namespace: node.namespaced ? rendered : '',
      selector,
    };
  }
  return {
    kind: 'get',
    ref: { apiVersion: node.apiVersion, kind: node.kind, name: String(meta['name'] ?? ''), namespace },
  };
}

/** `group/Kind/namespace/name`: two children with the same identity are the same object. */
export function identityOf(o: {
  apiVersion: string;
  kind: string;
  metadata: { namespace?: string; name?: string };
}): string {
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  return `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/** Two nodes (or two items of one collection) render the same object (spec 04 §6.3). */
export function collision(ident: string): NodeOutcome {
  return { state: 'ERROR', reason: 'IdentityCollision', message: `duplicate identity: ${ident}` };
}
