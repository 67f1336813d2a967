// GraphRevision I/O for the RGD controller (kro v0.9.4's revision lifecycle, done inline): list
// an RGD's revisions through the CRD's selectable field, adopt orphans, issue a new immutable
// snapshot when the accepted spec's hash differs from the newest revision, record the compile
// result in its status (GraphVerified + Ready, topologicalOrder, resources), hold and release
// kro's finalizer, and delete the oldest beyond --rgd-max-graph-revisions.

import {
  FINALIZER,
  KRO_GROUP,
  KRO_VERSION,
  Labels,
  RGD_KIND,
  versionLabelValue,
} from '../../api/constants.js';
import type { GraphRevision } from '../../api/graph-revision.js';
import {
  GR_API_VERSION,
  GR_HASH_LABEL,
  GR_KIND,
  GR_SNAPSHOT_NAME_FIELD,
  GraphRevisionConditionTypes,
} from '../../api/graph-revision.js';
import type { Condition, ResourceGraphDefinition, RgdSpec } from '../../api/rgd.js';
import type { CompiledGraph } from '../../graph/index.js';
import type { KubeObject } from '../../kube/index.js';
import { isNotFound } from '../../kube/index.js';
import { deepEqual } from '../../lib/json.js';
import { finalizeConditions, setCondition } from '../conditions.js';
import type { RgdContext } from './context.js';
import { snapshotSpec } from './revision-hash.js';
import { graphRevisionName, revisionsToPrune } from './revision-naming.js';

export interface RevisionList {
  /** Live revisions (not being deleted), oldest first. */
  readonly live: GraphRevision[];
  readonly terminating: GraphRevision[];
}

const grRef = (name: string) => ({ apiVersion: GR_API_VERSION, kind: GR_KIND, name });

export async function listGraphRevisions(cx: RgdContext, rgdName: string): Promise<RevisionList> {
  const list = await cx.kube.resources.list({
    apiVersion: GR_API_VERSION,
    kind: GR_KIND,
    fieldSelector: `${GR_SNAPSHOT_NAME_FIELD}=${rgdName}`,
  });
  const all = (list.items as unknown as GraphRevision[]).filter((g) => g.spec?.snapshot?.name === rgdName);
  const live = all.filter((g) => g.metadata.deletionTimestamp === undefined);
  live.sort((a, b) => a.spec.revision - b.spec.revision);
  return { live, terminating: all.filter((g) => g.metadata.deletionTimestamp !== undefined) };
}

function ownerReference(rgd: ResourceGraphDefinition) {
  return {
    apiVersion: `${KRO_GROUP}/${KRO_VERSION}`,
    kind: RGD_KIND,
    name: rgd.metadata.name ?? '',
    uid: rgd.metadata.uid ?? '',
    controller: true,
  };
}

const ownedBy = (gr: GraphRevision, uid: string): boolean =>
  (gr.metadata.ownerReferences ?? []).some(
    (r) => r.uid === uid && r.kind === RGD_KIND && r.controller === true,
  );

/** Stamps the current RGD as controller owner on revisions left by an earlier RGD of that name. */
export async function adoptGraphRevisions(
  cx: RgdContext,
  rgd: ResourceGraphDefinition,
  live: readonly GraphRevision[],
): Promise<void> {
  const uid = rgd.metadata.uid ?? '';
  for (const gr of live) {
    if (ownedBy(gr, uid)) continue;
    const others = (gr.metadata.ownerReferences ?? []).filter(
      (r) => !(r.kind === RGD_KIND && r.apiVersion === `${KRO_GROUP}/${KRO_VERSION}`),
    );
    await cx.kube.resources.mergePatch(grRef(gr.metadata.name ?? ''), {
      metadata: {
        ownerReferences: [...others, ownerReference(rgd)],
        resourceVersion: gr.metadata.resourceVersion,
      },
    });
    cx.logger.info({ rgd: rgd.metadata.name, graphRevision: gr.metadata.name }, 'Adopted graph revision');
  }
}

export async function createGraphRevision(
  cx: RgdContext,
  input: { rgd: ResourceGraphDefinition; revision: number; hash: string },
): Promise<GraphRevision> {
  const { rgd, revision, hash } = input;
  const name = rgd.metadata.name ?? '';
  const gr: GraphRevision = {
    apiVersion: GR_API_VERSION,
    kind: GR_KIND,
    metadata: {
      name: graphRevisionName(name, revision),
      labels: {
        ...(cx.revisionLabels ?? {}),
        [Labels.owned]: 'true',
        [Labels.kroVersion]: versionLabelValue(),
        [Labels.rgdName]: name,
        [GR_HASH_LABEL]: hash,
      },
      finalizers: [FINALIZER],
      ownerReferences: [ownerReference(rgd)],
    },
    spec: {
      revision,
      snapshot: {
        name,
        generation: rgd.metadata.generation ?? 0,
        spec: snapshotSpec(rgd.spec) as unknown as RgdSpec,
      },
    },
  };
  const created = (await cx.kube.resources.create(gr as unknown as KubeObject)) as unknown as GraphRevision;
  cx.logger.info({ rgd: name, graphRevision: created.metadata.name, revision }, 'Issued graph revision');
  return created;
}

export type CompileOutcome = { ok: true; graph: CompiledGraph } | { ok: false; message: string };

/** Holds kro's finalizer and records the compile result, writing only what differs. */
export async function recordGraphRevision(
  cx: RgdContext,
  gr: GraphRevision,
  outcome: CompileOutcome,
): Promise<void> {
  const name = gr.metadata.name ?? '';
  const finalizers = gr.metadata.finalizers ?? [];
  if (!finalizers.includes(FINALIZER)) {
    await cx.kube.resources.mergePatch(grRef(name), {
      metadata: { finalizers: [...finalizers, FINALIZER], resourceVersion: gr.metadata.resourceVersion },
    });
  }
  const next = graphRevisionStatus(gr, outcome, cx.now());
  if (deepEqual(JSON.parse(JSON.stringify(gr.status ?? {})), next)) return;
  const patch: Record<string, unknown> = { ...next };
  for (const key of Object.keys(gr.status ?? {})) if (!(key in patch)) patch[key] = null;
  await cx.kube.resources.mergePatchStatus(grRef(name), { status: patch });
}

/** The GraphRevision status for a compile outcome (exported for tests). */
export function graphRevisionStatus(
  gr: GraphRevision,
  outcome: CompileOutcome,
  now: string,
): Record<string, unknown> {
  const ctx = { generation: gr.metadata.generation ?? 1, now };
  const type = GraphRevisionConditionTypes.graphVerified;
  const conditions: Condition[] = setCondition(
    gr.status?.conditions ?? [],
    outcome.ok
      ? { type, status: 'True', reason: 'Verified', message: 'graph revision compiled and verified' }
      : { type, status: 'False', reason: 'InvalidGraph', message: outcome.message },
    ctx,
  );
  const out: Record<string, unknown> = {
    conditions: finalizeConditions(conditions, {
      dependents: [type],
      ctx,
      creationTimestamp: gr.metadata.creationTimestamp ?? now,
    }),
  };
  if (outcome.ok) {
    const summary = outcome.graph.toStatus();
    if (summary.topologicalOrder.length > 0) out['topologicalOrder'] = summary.topologicalOrder;
    if (summary.resources.length > 0) out['resources'] = summary.resources;
  }
  return out;
}

/** Lets a deleted revision go: removes kro's finalizer (the GraphRevision controller's part). */
export async function releaseGraphRevision(cx: RgdContext, gr: KubeObject): Promise<void> {
  const finalizers = gr.metadata.finalizers ?? [];
  if (!finalizers.includes(FINALIZER)) return;
  try {
    await cx.kube.resources.mergePatch(grRef(gr.metadata.name ?? ''), {
      metadata: {
        finalizers: finalizers.filter((f) => f !== FINALIZER),
        resourceVersion: gr.metadata.resourceVersion,
      },
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Deletes the oldest revisions beyond --rgd-max-graph-revisions; best effort, as kro. */
export async function pruneGraphRevisions(cx: RgdContext, rgdName: string): Promise<void> {
  const max = cx.config.rgdMaxGraphRevisions;
  if (max <= 0) return;
  try {
    const { live } = await listGraphRevisions(cx, rgdName);
    const doomed = new Set(
      revisionsToPrune(
        live.map((g) => g.spec.revision),
        max,
      ),
    );
    for (const gr of live) {
      if (!doomed.has(gr.spec.revision)) continue;
      const ref = grRef(gr.metadata.name ?? '');
      try {
        const answer = (await cx.kube.resources.delete(ref, { uid: gr.metadata.uid ?? '' })) as KubeObject;
        if (answer?.metadata?.deletionTimestamp !== undefined) await releaseGraphRevision(cx, answer);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      cx.logger.info(
        { rgd: rgdName, graphRevision: gr.metadata.name },
        'Deleted graph revision beyond retention',
      );
    }
  } catch (err) {
    cx.logger.warn({ rgd: rgdName, err }, 'Graph revision retention failed');
  }
}
