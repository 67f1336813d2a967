// Snapshot of one side (kro or kro-ts): RGDs, the instance CRDs, instances and every object of the
// corpus's child kinds in `diff-*` namespaces (or named `diff-*` when cluster-scoped); waiting until
// the side settles; normalising so that the two sides compare.

import type { Kube, KubeObject } from '../../../src/kube/index.js';
import { isNoKindMatch, isNotFound } from '../../../src/kube/index.js';
import type { Corpus } from './corpus.js';

export type Category = 'rgd' | 'revision' | 'crd' | 'instance' | 'child';

export interface SnapObject {
  readonly category: Category;
  /** `<category> <apiVersion> <kind> <namespace>/<name>` */
  readonly key: string;
  readonly obj: KubeObject;
}

export type Snapshot = Map<string, SnapObject>;

const OWN_CRDS = new Set(['resourcegraphdefinitions.kro.run']);
const SYSTEM_CHILDREN = new Set(['v1/ConfigMap kube-root-ca.crt', 'v1/ServiceAccount default']);

function keyOf(category: Category, o: KubeObject): string {
  return `${category} ${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

async function listOrEmpty(kube: Kube, apiVersion: string, kind: string): Promise<KubeObject[]> {
  try {
    return (await kube.resources.list({ apiVersion, kind })).items;
  } catch (e) {
    if (isNoKindMatch(e)) {
      kube.discovery.invalidate(); // a CRD not yet in discovery: look again next time
      return [];
    }
    if (isNotFound(e)) return [];
    throw e;
  }
}

const knownKinds = new WeakMap<Kube, Set<string>>();

export async function takeSnapshot(kube: Kube, corpus: Corpus): Promise<Snapshot> {
  const snap: Snapshot = new Map();
  const add = (category: Category, o: KubeObject): void => {
    snap.set(keyOf(category, o), { category, key: keyOf(category, o), obj: o });
  };
  for (const r of await listOrEmpty(kube, 'kro.run/v1alpha1', 'ResourceGraphDefinition')) add('rgd', r);
  for (const r of await listOrEmpty(kube, 'internal.kro.run/v1alpha1', 'GraphRevision')) add('revision', r);
  const crds = await listOrEmpty(kube, 'apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  const rgdKinds = new Set(
    corpus.rgds.map((r) => (r as unknown as { spec: { schema: { kind: string } } }).spec.schema.kind),
  );
  const instanceKinds: { apiVersion: string; kind: string }[] = [];
  for (const c of crds) {
    const name = c.metadata.name ?? '';
    if (OWN_CRDS.has(name) || name.endsWith('.internal.kro.run')) continue;
    const spec = c['spec'] as {
      group: string;
      names: { kind: string };
      versions: { name: string; storage: boolean }[];
    };
    if (!rgdKinds.has(spec.names.kind)) continue;
    add('crd', c);
    const v = spec.versions.find((x) => x.storage) ?? spec.versions[0];
    if (v) instanceKinds.push({ apiVersion: `${spec.group}/${v.name}`, kind: spec.names.kind });
  }
  // Discovery is refreshed only when a CRD appeared since the last snapshot.
  const known = knownKinds.get(kube) ?? new Set<string>();
  knownKinds.set(kube, known);
  if (instanceKinds.some((k) => !known.has(`${k.apiVersion}/${k.kind}`))) kube.discovery.invalidate();
  for (const k of instanceKinds) known.add(`${k.apiVersion}/${k.kind}`);
  for (const k of instanceKinds) {
    for (const o of await listOrEmpty(kube, k.apiVersion, k.kind)) add('instance', o);
  }
  for (const k of corpus.childKinds) {
    for (const o of await listOrEmpty(kube, k.apiVersion, k.kind)) {
      const ns = o.metadata.namespace;
      if (ns ? !ns.startsWith('diff-') : !(o.metadata.name ?? '').startsWith('diff-')) continue;
      if (SYSTEM_CHILDREN.has(`${o.apiVersion}/${o.kind} ${o.metadata.name}`)) continue;
      add('child', o);
    }
  }
  return snap;
}

/**
 * An RGD has settled when it is Active, or Inactive because a condition is False (a terminal
 * failure such as an invalid graph), and every condition it has was written for its current
 * generation. Inactive with only Unknown conditions is a transient state (kro reports it while the
 * generated CRD is being established or a GraphRevision compiles).
 */
export function rgdSettledReason(r: KubeObject): string {
  const status = r['status'] as
    | {
        state?: string;
        conditions?: { type: string; status: string; reason?: string; observedGeneration?: number }[];
      }
    | undefined;
  const state = status?.state ?? '';
  const conditions = status?.conditions ?? [];
  const gen = r.metadata.generation;
  const stale = conditions.filter(
    (c) => c.observedGeneration !== undefined && gen !== undefined && c.observedGeneration !== gen,
  );
  if (stale.length) return `conditions of an older generation: ${stale.map((c) => c.type).join(', ')}`;
  if (state === 'Active') return '';
  if (state === 'Inactive') {
    if (conditions.some((c) => c.status === 'False')) return '';
    return `Inactive with no False condition (${conditions.map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`).join(' ')})`;
  }
  return state ? `state ${state}` : 'no state yet';
}

function fingerprint(s: Snapshot): string {
  return [...s.values()]
    .map((o) => `${o.key}@${o.obj.metadata.resourceVersion}`)
    .sort()
    .join('\n');
}

export interface SettleResult {
  readonly snapshot: Snapshot;
  readonly settled: boolean;
  readonly waitedMs: number;
  /** Why it did not settle (deadline), empty when settled. */
  readonly reason: string;
}

/**
 * Polls until every RGD has settled (rgdSettledReason), every instance has been taken by the
 * controller (a status.state or its finalizer), and no object
 * of the snapshot changed for `quietMs`; gives up at `deadlineMs` and returns the last snapshot.
 */
export async function waitSettled(
  kube: Kube,
  corpus: Corpus,
  opts: { quietMs?: number; deadlineMs?: number; expectInstances?: boolean } = {},
): Promise<SettleResult> {
  const quietMs = opts.quietMs ?? 5000;
  const deadline = Date.now() + (opts.deadlineMs ?? 240_000);
  const start = Date.now();
  let last = '';
  let since = Date.now();
  let snap = await takeSnapshot(kube, corpus);
  let reason = '';
  for (;;) {
    const fp = fingerprint(snap);
    if (fp !== last) {
      last = fp;
      since = Date.now();
    }
    const pending = [...snap.values()].filter((o) => {
      const status = o.obj['status'] as { state?: string } | undefined;
      if (o.category === 'rgd') return rgdSettledReason(o.obj) !== '';
      // An instance is taken when it has a state, or the controller's finalizer (kro leaves the
      // state unset when it cannot write the status at all, e.g. a bytes value in a status field).
      if (o.category === 'instance')
        return !status?.state && !(o.obj.metadata.finalizers ?? []).includes('kro.run/finalizer');
      return false;
    });
    reason = pending.length
      ? `waiting for a settled state on: ${pending
          .map((p) => (p.category === 'rgd' ? `${p.key} (${rgdSettledReason(p.obj)})` : p.key))
          .join(', ')}`
      : `objects still changing`;
    if (!pending.length && Date.now() - since >= quietMs)
      return { snapshot: snap, settled: true, waitedMs: Date.now() - start, reason: '' };
    if (Date.now() > deadline)
      return { snapshot: snap, settled: false, waitedMs: Date.now() - start, reason };
    await new Promise((r) => setTimeout(r, 1000));
    snap = await takeSnapshot(kube, corpus);
  }
}
