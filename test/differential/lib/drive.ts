// Applying the corpus to one side and waiting for it to settle.

import type { Kube, KubeObject } from '../../../src/kube/index.js';
import { isNoKindMatch, isNotFound } from '../../../src/kube/index.js';
import type { Corpus } from './corpus.js';
import { log } from './processes.js';
import type { SettleResult } from './snapshot.js';
import { rgdSettledReason, waitSettled } from './snapshot.js';

const FIELD_MANAGER = 'kubectl';

function ref(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

async function applyOne(kube: Kube, o: KubeObject, retryMs = 0): Promise<string | undefined> {
  const deadline = Date.now() + retryMs;
  for (;;) {
    try {
      await kube.resources.apply(o, { fieldManager: FIELD_MANAGER, force: true });
      return undefined;
    } catch (e) {
      if ((isNoKindMatch(e) || isNotFound(e)) && Date.now() < deadline) {
        kube.discovery.invalidate();
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      return (e as { serverMessage?: string }).serverMessage || String(e);
    }
  }
}

export interface DriveResult extends SettleResult {
  /** Objects the API server refused, by `Kind ns/name`, with its message. */
  readonly applyErrors: Map<string, string>;
  readonly rgdStates: Map<string, string>;
  /** RGDs that never settled before instances were applied (`name: why`). */
  readonly unsettledRgds: string[];
}

interface RgdView {
  readonly state: string;
  /** Why this RGD has not settled yet, empty when it has. */
  readonly pending: string;
}

async function rgdViews(kube: Kube): Promise<{ views: Map<string, RgdView>; fingerprint: string }> {
  const list = await kube.resources.list({ apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition' });
  return {
    views: new Map(
      list.items.map((r) => [
        r.metadata.name ?? '',
        {
          state: (r['status'] as { state?: string } | undefined)?.state ?? '',
          pending: rgdSettledReason(r),
        },
      ]),
    ),
    fingerprint: list.items.map((r) => `${r.metadata.name}@${r.metadata.resourceVersion}`).join(','),
  };
}

export interface RgdSettleResult {
  readonly states: Map<string, string>;
  /** `name: why` for every RGD that had not settled at the deadline; empty when all settled. */
  readonly unsettled: string[];
}

/**
 * Polls until every RGD in `names` has settled (rgdSettledReason) and no RGD changed for
 * `quietMs`, or the deadline; at the deadline the RGDs that never settled are named.
 */
export async function waitRgdsSettled(
  kube: Kube,
  names: readonly string[],
  deadlineMs: number,
  quietMs = 2000,
): Promise<RgdSettleResult> {
  const deadline = Date.now() + deadlineMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const { views, fingerprint } = await rgdViews(kube);
    if (fingerprint !== last) {
      last = fingerprint;
      since = Date.now();
    }
    const unsettled = names
      .map((n) => [n, views.get(n)?.pending ?? 'not found'] as const)
      .filter(([, why]) => why !== '')
      .map(([n, why]) => `${n}: ${why}`);
    const states = new Map([...views].map(([n, v]) => [n, v.state]));
    if (!unsettled.length && Date.now() - since >= quietMs) return { states, unsettled };
    if (Date.now() > deadline) return { states, unsettled };
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Namespaces, then the other prerequisites, then all RGDs at once; once every RGD has a state,
 * the instances of the Active ones (an instance of an Inactive RGD is recorded as refused); then
 * waits until the side settles.
 */
export async function driveSide(
  side: string,
  kube: Kube,
  corpus: Corpus,
  deadlineMs: number,
): Promise<DriveResult> {
  const start = Date.now();
  const applyErrors = new Map<string, string>();
  const record = (o: KubeObject, err: string | undefined): void => {
    if (err) applyErrors.set(ref(o), err);
  };
  const ns = corpus.prereqs.filter((o) => o.kind === 'Namespace');
  await Promise.all(ns.map(async (o) => record(o, await applyOne(kube, o))));
  const others = corpus.prereqs.filter((o) => o.kind !== 'Namespace');
  await Promise.all(others.map(async (o) => record(o, await applyOne(kube, o, 10_000))));
  await Promise.all(corpus.rgds.map(async (o) => record(o, await applyOne(kube, o))));
  const want = corpus.rgds.map((r) => r.metadata.name ?? '');
  const { states, unsettled } = await waitRgdsSettled(kube, want, Math.min(deadlineMs, 240_000));
  const counts: Record<string, number> = {};
  for (const n of want) {
    const v = states.get(n) || 'none';
    counts[v] = (counts[v] ?? 0) + 1;
  }
  if (unsettled.length)
    log(
      `${side}: ${unsettled.length} of ${want.length} RGDs did NOT settle after ${Date.now() - start} ms:\n  ${unsettled.join('\n  ')}`,
    );
  else log(`${side}: ${want.length} RGDs settled after ${Date.now() - start} ms: ${JSON.stringify(counts)}`);
  kube.discovery.invalidate();
  await Promise.all(
    corpus.files.flatMap((f) =>
      f.instances.map(async (o) => {
        const rgd = f.rgds.find(
          (r) => (r as unknown as { spec: { schema: { kind: string } } }).spec.schema.kind === o.kind,
        );
        const state = rgd ? states.get(rgd.metadata.name ?? '') : undefined;
        if (state !== 'Active') {
          applyErrors.set(ref(o), `not applied: its RGD is ${state || 'without a state'}`);
          return;
        }
        record(o, await applyOne(kube, o, 30_000));
      }),
    ),
  );
  const settled = await waitSettled(kube, corpus, {
    deadlineMs: Math.max(30_000, deadlineMs - (Date.now() - start)),
  });
  log(
    `${side}: ${settled.settled ? 'settled' : `did NOT settle (${settled.reason})`} after ${Date.now() - start} ms`,
  );
  if (unsettled.length && settled.settled)
    return {
      ...settled,
      settled: false,
      reason: `RGDs never settled before their instances were applied: ${unsettled.join('; ')}`,
      applyErrors,
      rgdStates: states,
      unsettledRgds: unsettled,
    };
  return { ...settled, applyErrors, rgdStates: states, unsettledRgds: unsettled };
}
