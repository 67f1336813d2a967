// Reading and writing the instance object itself: GET (never cached), managed metadata with the
// labeller field manager, the ApplySet inventory with the applyset-parent field manager, the
// finalizer removal, and the status PUT when the canonical JSON changed.

import { FieldManagers, FINALIZER, Labels, versionLabelValue } from '../../api/constants.js';
import type { Kube, KubeObject } from '../../kube/index.js';
import { isConflict, isNotFound } from '../../kube/index.js';
import { sortKeysDeep } from '../../lib/json.js';
import type { Inventory, InstanceObject } from '../../runtime/index.js';
import {
  applySetMetadata,
  hasApplySetMetadata,
  readInventory,
  EMPTY_INVENTORY,
} from '../../runtime/index.js';
import type { InstanceTarget } from './types.js';

export class ManagementError extends Error {
  readonly code = 'ManagementFailed';
}

export async function getInstance(kube: Kube, t: InstanceTarget): Promise<InstanceObject | undefined> {
  const ref = { apiVersion: t.apiVersion, kind: t.kind, name: t.name, namespace: t.namespace || undefined };
  return (await kube.resources.tryGet(ref)) as InstanceObject | undefined;
}

function envelope(t: InstanceTarget): KubeObject {
  return {
    apiVersion: t.apiVersion,
    kind: t.kind,
    metadata: { name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) },
  };
}

/** The labels kro-ts keeps on the instance (spec 04 §2). */
export function managedLabels(opts: {
  rgdUid: string;
  rgdName: string;
  kroVersion: string;
}): Record<string, string> {
  return {
    [Labels.owned]: 'true',
    [Labels.kroVersion]: versionLabelValue(opts.kroVersion),
    [Labels.rgdId]: opts.rgdUid,
    [Labels.rgdName]: opts.rgdName,
  };
}

/**
 * Ensures finalizer, labels and (first time) an empty ApplySet inventory, in one apply sent only
 * when something is missing. Returns the fresh instance.
 */
export async function ensureManagedMetadata(
  kube: Kube,
  opts: {
    target: InstanceTarget;
    instance: InstanceObject;
    labels: Record<string, string>;
    applySetId: string;
  },
): Promise<InstanceObject> {
  const meta = opts.instance.metadata;
  const hasFinalizer = (meta.finalizers ?? []).includes(FINALIZER);
  const labelsOk = Object.entries(opts.labels).every(([k, v]) => meta.labels?.[k] === v);
  const hasInventory = hasApplySetMetadata(meta);
  if (hasFinalizer && labelsOk && hasInventory) return opts.instance;
  let inventory: Inventory | undefined = EMPTY_INVENTORY;
  if (hasInventory) {
    const r = readInventory(meta, opts.applySetId);
    if (!r.ok && !hasFinalizer) {
      throw new ManagementError(
        `cannot install finalizer with invalid ApplySet inventory; repair the metadata, or remove it only after confirming no managed members remain: ${r.message}`,
      );
    }
    // Re-asserting the recorded values keeps them when this manager re-applies later.
    inventory = r.ok ? r.inventory : undefined;
  }
  const body = envelope(opts.target);
  body.metadata.finalizers = [FINALIZER];
  body.metadata.labels = { ...opts.labels };
  if (inventory) {
    const applySet = applySetMetadata(opts.applySetId, inventory);
    body.metadata.labels = { ...body.metadata.labels, ...applySet.labels };
    body.metadata.annotations = applySet.annotations;
  }
  const out = await kube.resources.apply(body, { fieldManager: FieldManagers.labeller, force: true });
  return out as InstanceObject;
}

/** True when a managedFields entry of `manager` exists on the object. */
export function ownedBy(obj: { metadata: { [key: string]: unknown } }, manager: string): boolean {
  const fields = obj.metadata['managedFields'];
  return (Array.isArray(fields) ? fields : []).some(
    (f) => (f as { manager?: string } | null)?.manager === manager,
  );
}

/**
 * The newest copy of the instance one reconcile holds: its first GET, then the answer of each of
 * its own writes. The status write starts from it instead of a GET of its own; the API server's
 * resourceVersion check still refuses it if anyone else wrote in between (then it reads afresh).
 */
export interface LatestInstance {
  object: InstanceObject | undefined;
}

/** Writes the inventory (grow or shrink) with the applyset-parent field manager. */
export async function writeInventory(
  kube: Kube,
  opts: {
    target: InstanceTarget;
    applySetId: string;
    inventory: Inventory;
    latest?: LatestInstance | undefined;
  },
): Promise<void> {
  const body = envelope(opts.target);
  const md = applySetMetadata(opts.applySetId, opts.inventory);
  body.metadata.labels = md.labels;
  body.metadata.annotations = md.annotations;
  const out = await kube.resources.apply(body, { fieldManager: FieldManagers.applySetParent, force: true });
  if (opts.latest) opts.latest.object = out as InstanceObject;
}

/** Removes kro's finalizer with a merge patch carrying resourceVersion, retried on conflict. */
export async function removeFinalizer(
  kube: Kube,
  t: InstanceTarget,
  instance: InstanceObject,
): Promise<void> {
  let current: InstanceObject | undefined = instance;
  for (let attempt = 0; attempt < 5 && current; attempt++) {
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    if (finalizers.length === (current.metadata.finalizers ?? []).length) return;
    const patch = { metadata: { finalizers, resourceVersion: current.metadata['resourceVersion'] } };
    try {
      await kube.resources.mergePatch(envelopeRef(t), patch);
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e)) throw e;
      current = await getInstance(kube, t);
    }
  }
}

function envelopeRef(t: InstanceTarget): {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
} {
  return {
    apiVersion: t.apiVersion,
    kind: t.kind,
    name: t.name,
    ...(t.namespace ? { namespace: t.namespace } : {}),
  };
}

/** JSON with sorted keys and `3.0` == `3` (JSON.stringify already writes whole doubles as ints). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeysDeep(v ?? {}));
}

/**
 * PUT status when it differs from the stored one: built on `latest` (this reconcile's newest copy)
 * when given, else on a GET; a conflict means someone else wrote, so it reads afresh and retries.
 */
export async function writeStatus(
  kube: Kube,
  t: InstanceTarget,
  build: (stored: Record<string, unknown>) => Record<string, unknown>,
  latest?: LatestInstance,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const known = attempt === 0 ? latest?.object : undefined;
    const fresh = known ?? (await getInstance(kube, t));
    if (!fresh) return false;
    const stored = (fresh.status ?? {}) as Record<string, unknown>;
    const next = build(stored);
    if (canonicalJson(next) === canonicalJson(stored)) return false;
    try {
      const out = await kube.resources.replaceStatus({ ...fresh, status: next } as KubeObject, {
        fieldManager: FieldManagers.status,
      });
      if (latest) latest.object = out as InstanceObject;
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      if (!isConflict(e)) throw e;
    }
  }
  return false;
}
