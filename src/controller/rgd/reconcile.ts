// One RGD reconcile (spec 01 §8): finalizer → spec hash → build (or reuse) → GraphAccepted →
// ensure CRD → KindReady → register/replace the graph → ControllerReady → status. An invalid
// update leaves the last good graph serving and the CRD untouched. Deletion is in deletion.ts.

import { Annotations, FINALIZER, RgdConditionTypes as C } from '../../api/constants.js';
import type { GraphRevision } from '../../api/graph-revision.js';
import { GR_CRD_NAME } from '../../api/graph-revision.js';
import type { ResourceGraphDefinition } from '../../api/rgd.js';
import type { CompiledGraph } from '../../graph/index.js';
import type { KubeObject } from '../../kube/index.js';
import { KroError, errorMessage } from '../../lib/errors.js';
import { formatIssues } from '../../lib/issue.js';
import type { Issue } from '../../lib/issue.js';
import { EventReasons } from '../../observability/events.js';
import type { ServedGraph } from '../graph-registry.js';
import type { ReconcileResult } from '../queue.js';
import type { RgdContext, RgdMemory } from './context.js';
import { instanceGvrOf, involvedObject, rgdRef } from './context.js';
import { CrdEnsureError, ensureRgdCrd } from './ensure-crd.js';
import type { RevisionList } from './graph-revisions.js';
import {
  adoptGraphRevisions,
  createGraphRevision,
  listGraphRevisions,
  pruneGraphRevisions,
  recordGraphRevision,
  releaseGraphRevision,
} from './graph-revisions.js';
import { graphRevisionHash } from './revision-hash.js';
import { graphRevisionName } from './revision-naming.js';
import { specHash } from './spec-hash.js';
import { RgdStatusDraft, writeRgdStatus } from './status.js';

export class GraphBuildError extends KroError {
  constructor(message: string) {
    super('GraphRejected', message);
  }
}

export async function ensureFinalizer(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
): Promise<ResourceGraphDefinition> {
  const finalizers = rgd.metadata.finalizers ?? [];
  if (finalizers.includes(FINALIZER)) return rgd;
  const patch = {
    metadata: { finalizers: [...finalizers, FINALIZER], resourceVersion: rgd.metadata.resourceVersion },
  };
  const out = await cx.kube.resources.mergePatch(rgdRef(rgd.metadata.name ?? ''), patch);
  return out as unknown as ResourceGraphDefinition;
}

/** Steps 2–6 for an RGD that is not being deleted. */
export async function reconcileRgd(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
  signal: AbortSignal,
): Promise<ReconcileResult | void> {
  const name = rgd.metadata.name ?? '';
  const mem: RgdMemory = cx.memory.get(name) ?? {};
  const draft = new RgdStatusDraft(rgd, cx.now());
  const hash = specHash(rgd);
  const generation = rgd.metadata.generation ?? 0;
  const reuse = mem.served !== undefined && mem.hash === hash && mem.generation === generation;
  let graph: CompiledGraph;
  if (reuse && mem.served) {
    graph = mem.served.graph;
  } else {
    const built = await buildRgd(cx, rgd);
    if (!built.ok) return rejectRgd(cx, { rgd, draft, mem, issues: built.error });
    graph = built.value;
  }
  if (draft.status(C.graphAccepted) !== 'True') {
    emit(cx, rgd, {
      type: 'Normal',
      reason: EventReasons.graphAccepted,
      message: 'resource graph and schema are valid',
    });
  }
  draft.set({
    type: C.graphAccepted,
    status: 'True',
    reason: 'Valid',
    message: 'resource graph and schema are valid',
  });
  const revision = await resolveRevision(cx, { rgd, draft, graph });
  const summary = graph.toStatus();
  draft.topologicalOrder = summary.topologicalOrder;
  draft.resources = summary.resources;

  const kindOk = await ensureKind(cx, { rgd, draft, graph, signal });
  if (!kindOk.ok) {
    await writeRgdStatus(cx.kube, rgd, draft.build());
    throw kindOk.error;
  }
  const served: ServedGraph =
    reuse && mem.served && mem.served.revision === revision
      ? mem.served
      : {
          graph,
          rgdName: name,
          rgdUid: rgd.metadata.uid ?? '',
          revision,
          rgdGeneration: generation,
          ...(draft.status(C.graphRevisionsResolved) === 'True'
            ? { graphRevision: graphRevisionName(name, revision) }
            : {}),
        };
  if (served !== mem.served || !cx.manager.isRegistered(gvrKeyOf(graph))) cx.manager.registerKind(served);
  const watchError = cx.manager.kindWatchError(gvrKeyOf(graph));
  draft.set(
    watchError === undefined
      ? { type: C.controllerReady, status: 'True', reason: 'Running', message: 'controller is running' }
      : {
          type: C.controllerReady,
          status: 'False',
          reason: 'FailedToStart',
          message: `cannot watch instances of ${graph.instance.plural}.${graph.instance.group}: ${watchError}`,
        },
  );
  cx.memory.set(name, { hash, generation, served });
  await writeStatusWithMetrics(cx, rgd, draft);
  await pruneGraphRevisions(cx, name);
  return undefined;
}

interface ResolveInput {
  readonly rgd: ResourceGraphDefinition;
  readonly draft: RgdStatusDraft;
  readonly graph: CompiledGraph;
}

/**
 * The revision the accepted spec is served as: the newest GraphRevision when its snapshot hashes
 * like the current spec, else a newly issued one numbered past both `lastIssuedRevision` and the
 * newest existing revision. Sets GraphRevisionsResolved and lastIssuedRevision.
 */
async function resolveRevision(cx: RgdContext, input: ResolveInput): Promise<number> {
  const { rgd, draft, graph } = input;
  const name = rgd.metadata.name ?? '';
  let list: RevisionList;
  try {
    list = await listGraphRevisions(cx, name);
  } catch (err) {
    draft.lastIssuedRevision = Math.max(draft.lastIssuedRevision, 1);
    draft.set({
      type: C.graphRevisionsResolved,
      status: 'False',
      reason: 'Failed',
      message: `cannot list GraphRevisions (is crds/${GR_CRD_NAME}.yaml installed?): ${errorMessage(err)}`,
    });
    return draft.lastIssuedRevision;
  }
  for (const gr of list.terminating) await releaseGraphRevision(cx, gr as unknown as KubeObject);
  await adoptGraphRevisions(cx, rgd, list.live);
  const hash = graphRevisionHash(rgd.spec);
  const latest = list.live.at(-1);
  const current =
    latest !== undefined && graphRevisionHash(latest.spec.snapshot.spec) === hash
      ? latest
      : await createGraphRevision(cx, {
          rgd,
          hash,
          revision: Math.max(draft.lastIssuedRevision, latest?.spec.revision ?? 0) + 1,
        });
  await recordGraphRevision(cx, current, { ok: true, graph });
  return markResolved(draft, current.spec.revision);
}

function markResolved(draft: RgdStatusDraft, revision: number): number {
  draft.lastIssuedRevision = Math.max(draft.lastIssuedRevision, revision);
  draft.set({
    type: C.graphRevisionsResolved,
    status: 'True',
    reason: 'Resolved',
    message: `revision ${revision} compiled and active`,
  });
  return revision;
}

/**
 * After a restart the current spec does not build: serve the newest GraphRevision's snapshot
 * (the last accepted spec) so instances keep running, as they would have without the restart.
 */
async function recoverFromRevisions(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
  draft: RgdStatusDraft,
  rejected: ServedGraph['rejected'],
): Promise<ServedGraph | undefined> {
  const name = rgd.metadata.name ?? '';
  let latest: GraphRevision | undefined;
  try {
    latest = (await listGraphRevisions(cx, name)).live.at(-1);
  } catch {
    return undefined;
  }
  if (latest === undefined) return undefined;
  const built = await cx.buildGraph({ ...rgd, spec: latest.spec.snapshot.spec });
  await recordGraphRevision(
    cx,
    latest,
    built.ok ? { ok: true, graph: built.value } : { ok: false, message: formatIssues(built.error) },
  );
  if (!built.ok) return undefined;
  const served: ServedGraph = {
    graph: built.value,
    rgdName: name,
    rgdUid: rgd.metadata.uid ?? '',
    revision: latest.spec.revision,
    rgdGeneration: latest.spec.snapshot.generation,
    graphRevision: latest.metadata.name ?? graphRevisionName(name, latest.spec.revision),
    ...(rejected ? { rejected } : {}),
  };
  cx.manager.registerKind(served);
  markResolved(draft, latest.spec.revision);
  cx.logger.info({ rgd: name, revision: latest.spec.revision }, 'Serving the last accepted graph revision');
  return served;
}

const gvrKeyOf = (g: CompiledGraph): string =>
  `${g.instance.group}/${g.instance.version}/${g.instance.plural}`;

async function buildRgd(cx: RgdContext, rgd: ResourceGraphDefinition) {
  const name = rgd.metadata.name ?? '';
  const started = performance.now();
  cx.metrics.rgdGraphBuildTotal.inc({ name });
  try {
    const result = await cx.buildGraph(rgd);
    if (!result.ok) cx.metrics.rgdGraphBuildErrorsTotal.inc({ name });
    return result;
  } finally {
    cx.metrics.rgdGraphBuildDuration.observe({ name }, (performance.now() - started) / 1000);
  }
}

interface RejectInput {
  readonly rgd: ResourceGraphDefinition;
  readonly draft: RgdStatusDraft;
  readonly mem: RgdMemory;
  readonly issues: readonly Issue[];
}

async function rejectRgd(cx: RgdContext, input: RejectInput): Promise<never> {
  const { rgd, draft, mem, issues } = input;
  const name = rgd.metadata.name ?? '';
  const message = formatIssues(issues);
  if (draft.status(C.graphAccepted) !== 'False' || findMessage(rgd) !== message) {
    emit(cx, rgd, { type: 'Warning', reason: EventReasons.graphRejected, message });
  }
  draft.set({ type: C.graphAccepted, status: 'False', reason: 'InvalidResourceGraph', message });
  draft.topologicalOrder = undefined;
  draft.resources = undefined;
  // The last good graph keeps serving (after a restart: the newest GraphRevision's snapshot); its
  // instances say which revision serves them and why the newer spec was refused (GraphCurrent=False):
  // the swap re-enqueues them, once per refused generation.
  const rejected = { generation: rgd.metadata.generation ?? 0, message };
  let served = mem.served ?? (await recoverFromRevisions(cx, rgd, draft, rejected));
  if (mem.served !== undefined && mem.served.rejected?.generation !== rejected.generation) {
    served = { ...mem.served, rejected };
    if (cx.manager.isRegistered(gvrKeyOf(served.graph))) cx.manager.registerKind(served);
  }
  cx.memory.set(name, { ...mem, ...(served ? { served } : {}), rejectedGroups: referencedGroups(rgd) });
  cx.logger.info({ rgd: name, issues: issues.length }, 'Resource graph rejected');
  if (served === undefined) await cx.markUnavailable(rgd, message);
  await writeStatusWithMetrics(cx, rgd, draft);
  throw new GraphBuildError(message);
}

function findMessage(rgd: ResourceGraphDefinition): string | undefined {
  return rgd.status?.conditions?.find((c) => c.type === C.graphAccepted)?.message;
}

function referencedGroups(rgd: ResourceGraphDefinition): Set<string> {
  const groups = new Set<string>();
  for (const r of rgd.spec.resources ?? []) {
    const src = (r.template ?? r.externalRef) as { apiVersion?: unknown } | undefined;
    if (typeof src?.apiVersion !== 'string') continue;
    const slash = src.apiVersion.indexOf('/');
    groups.add(slash < 0 ? '' : src.apiVersion.slice(0, slash));
  }
  return groups;
}

interface EnsureKindInput {
  readonly rgd: ResourceGraphDefinition;
  readonly draft: RgdStatusDraft;
  readonly graph: CompiledGraph;
  readonly signal: AbortSignal;
}

async function ensureKind(
  cx: RgdContext,
  input: EnsureKindInput,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  const { rgd, draft, graph } = input;
  const crdName = (graph.crd['metadata'] as { name?: string } | undefined)?.name ?? '';
  try {
    const outcome = await ensureRgdCrd({
      kube: cx.kube,
      desired: graph.crd,
      rgdName: rgd.metadata.name ?? '',
      rgdUid: rgd.metadata.uid ?? '',
      allowBreakingChanges: rgd.metadata.annotations?.[Annotations.allowBreakingChanges] === 'true',
      logger: cx.logger,
      signal: input.signal,
    });
    if (outcome.action === 'created')
      emit(cx, rgd, { type: 'Normal', reason: EventReasons.crdCreated, message: `created CRD ${crdName}` });
    if (outcome.action === 'updated') {
      emit(cx, rgd, {
        type: 'Normal',
        reason: EventReasons.crdUpdated,
        message: `updated CRD ${crdName} (${outcome.changes} changes)`,
      });
    }
    const kind = acceptedKind(outcome.crd) ?? graph.instance.kind;
    draft.set({
      type: C.kindReady,
      status: 'True',
      reason: 'Ready',
      message: `kind ${kind} has been accepted and ready`,
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof CrdEnsureError) {
      const reason = error.code === 'CrdConflict' ? EventReasons.crdConflict : EventReasons.crdUpdateRefused;
      emit(cx, rgd, { type: 'Warning', reason, message: error.message });
    }
    draft.set({ type: C.kindReady, status: 'False', reason: 'Failed', message: errorMessage(error) });
    return { ok: false, error };
  }
}

function acceptedKind(crd: KubeObject): string | undefined {
  const status = crd['status'] as { acceptedNames?: { kind?: unknown } } | undefined;
  const kind = status?.acceptedNames?.kind;
  return typeof kind === 'string' && kind !== '' ? kind : undefined;
}

export async function writeStatusWithMetrics(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
  draft: RgdStatusDraft,
): Promise<void> {
  const next = draft.build();
  const from = rgd.status?.state;
  await writeRgdStatus(cx.kube, rgd, next);
  if (from !== next.state) {
    cx.metrics.rgdStateTransitionsTotal.inc({
      name: rgd.metadata.name ?? '',
      from: from ?? '',
      to: next.state ?? '',
    });
    cx.logger.info({ rgd: rgd.metadata.name, from, to: next.state }, 'RGD state changed');
  }
}

export function emit(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
  event: { type: 'Normal' | 'Warning'; reason: string; message: string },
): void {
  cx.events.emit({ object: involvedObject(rgd), ...event });
}

export { instanceGvrOf };
