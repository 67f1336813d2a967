// CustomResourceDefinitions: create or update from raw JSON (so `default`, `x-kubernetes-*` and
// every other schema keyword reach the server untouched) and wait until the API server serves
// the kind (Established=True). Discovery for the group is invalidated once it is established.

import { KroError } from '../lib/errors.js';
import { isPlainObject } from '../lib/json.js';
import { sleepUnlessAborted } from './backoff.js';
import { isAlreadyExists, isConflict } from './errors.js';
import type { Resources } from './resources.js';
import type { KubeObject } from './types.js';

export const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
export const CRD_KIND = 'CustomResourceDefinition';

export interface EnsureCrdOptions {
  /** Field manager recorded on create/update. Default `kro-ts`. */
  readonly fieldManager?: string;
  /** Wait for Established=True. Default true. */
  readonly waitEstablished?: boolean;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

export interface WaitOptions {
  /** Default 30 s. */
  readonly timeoutMs?: number;
  /** Default 150 ms. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

export class CrdNotEstablishedError extends KroError {
  readonly crdName: string;
  constructor(crdName: string, detail: string) {
    super('CrdNotEstablished', `CRD ${crdName} not established: ${detail}`);
    this.crdName = crdName;
  }
}

export type CrdAction = 'created' | 'updated' | 'unchanged';

/**
 * Creates the CRD, or replaces its spec (and labels/annotations, when the desired CRD sets
 * them) when it exists; retries the update on conflict. Returns the stored CRD (after
 * establishment when waiting).
 */
export async function ensureCrd(
  res: Resources,
  crd: KubeObject,
  opts: EnsureCrdOptions = {},
): Promise<KubeObject> {
  return (await ensureCrdDetailed(res, crd, opts)).crd;
}

/** ensureCrd, also saying what it did (for events such as "CRD created/updated"). */
export async function ensureCrdDetailed(
  res: Resources,
  crd: KubeObject,
  opts: EnsureCrdOptions = {},
): Promise<{ crd: KubeObject; action: CrdAction }> {
  const name = crd.metadata.name;
  if (!name) throw new TypeError('CRD has no metadata.name');
  const fieldManager = opts.fieldManager ?? 'kro-ts';
  let stored: KubeObject;
  let action: CrdAction;
  try {
    stored = await res.create(crd, { fieldManager });
    action = 'created';
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    ({ stored, action } = await updateCrd(res, crd, fieldManager));
  }
  if (opts.waitEstablished === false) return { crd: stored, action };
  const established = await waitForCrdEstablished(res, name, {
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
  });
  return { crd: established, action };
}

async function updateCrd(
  res: Resources,
  crd: KubeObject,
  fieldManager: string,
): Promise<{ stored: KubeObject; action: CrdAction }> {
  const ref = { apiVersion: CRD_API_VERSION, kind: CRD_KIND, name: crd.metadata.name ?? '' };
  for (let attempt = 0; ; attempt++) {
    const current = await res.get(ref);
    const next: KubeObject = {
      ...current,
      metadata: {
        ...current.metadata,
        ...(crd.metadata.labels ? { labels: crd.metadata.labels } : {}),
        ...(crd.metadata.annotations ? { annotations: crd.metadata.annotations } : {}),
      },
      spec: crd.spec,
    };
    try {
      const stored = await res.replace(next, { fieldManager });
      // The server skips writes that change nothing, leaving resourceVersion as it was.
      const same = stored.metadata.resourceVersion === current.metadata.resourceVersion;
      return { stored, action: same ? 'unchanged' : 'updated' };
    } catch (e) {
      if (!isConflict(e) || attempt >= 4) throw e;
    }
  }
}

/** Polls until `Established=True`; a `NamesAccepted=False` is reported at once. */
export async function waitForCrdEstablished(
  res: Resources,
  name: string,
  opts: WaitOptions = {},
): Promise<KubeObject> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 150;
  const deadline = Date.now() + timeoutMs;
  const signal = opts.signal ?? new AbortController().signal;
  let last = 'no status yet';
  for (;;) {
    const crd = await res.get({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name });
    const conds = crdConditions(crd);
    const names = conds.find((c) => c.type === 'NamesAccepted');
    if (names?.status === 'False')
      throw new CrdNotEstablishedError(name, names.message ?? 'names not accepted');
    const est = conds.find((c) => c.type === 'Established');
    if (est?.status === 'True') {
      const kinds = servedKinds(crd);
      if (kinds.length > 0) res.discovery.invalidateGroup(kinds[0]?.group ?? '');
      // Established=True is set before the API server's discovery documents list the kind (the
      // discovery controller runs asynchronously): wait for discovery too, so that the caller's
      // next request by kind does not fail with NoKindMatch (issue 14).
      const missing = await firstUnserved(res, kinds);
      if (missing === undefined) return crd;
      last = `Established=True, but discovery does not list ${missing} yet`;
    } else if (est) last = `Established=${est.status}${est.message ? `: ${est.message}` : ''}`;
    if (Date.now() >= deadline)
      throw new CrdNotEstablishedError(name, `timed out after ${timeoutMs}ms (${last})`);
    if (signal.aborted) throw new CrdNotEstablishedError(name, 'aborted');
    await sleepUnlessAborted(intervalMs, signal);
  }
}

interface ServedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

function servedKinds(crd: KubeObject): ServedKind[] {
  const spec = crd.spec;
  if (!isPlainObject(spec) || typeof spec.group !== 'string') return [];
  const names = spec.names;
  const kind = isPlainObject(names) && typeof names.kind === 'string' ? names.kind : '';
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  return versions
    .filter((v) => isPlainObject(v) && v.served !== false && typeof v.name === 'string')
    .map((v) => ({ group: spec.group as string, version: (v as { name: string }).name, kind }));
}

/** The first served kind discovery does not list (after a refetch), as apiVersion/kind. */
async function firstUnserved(res: Resources, kinds: readonly ServedKind[]): Promise<string | undefined> {
  for (const k of kinds) {
    if (k.kind === '') continue;
    const m = await res.discovery.tryResolve(k);
    if (m === undefined) {
      res.discovery.invalidate(k);
      return `${k.group}/${k.version} ${k.kind}`;
    }
  }
  return undefined;
}

interface CrdCondition {
  type: string;
  status: string;
  message?: string;
}

function crdConditions(crd: KubeObject): CrdCondition[] {
  const status = crd.status;
  if (!isPlainObject(status) || !Array.isArray(status.conditions)) return [];
  return status.conditions.filter(
    (c): c is CrdCondition => isPlainObject(c) && typeof c.type === 'string' && typeof c.status === 'string',
  );
}
