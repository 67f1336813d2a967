// Ensure the generated CRD (spec 01 §7.1): create it, or check ownership (adopting a CRD left by
// a deleted-and-recreated RGD of the same name), diff against the desired CRD, refuse breaking
// changes without `kro.run/allow-breaking-changes: "true"`, write one JSON merge patch, and wait
// until the API server serves the kind (Established, polled every 150 ms for up to 2 minutes).

import { Labels, MANAGED_BY_VALUE } from '../../api/constants.js';
import { diffCrds } from '../../crd/index.js';
import type { Kube, KubeObject } from '../../kube/index.js';
import { CRD_API_VERSION, CRD_KIND, waitForCrdEstablished } from '../../kube/index.js';
import { KroError } from '../../lib/errors.js';
import type { JsonObject } from '../../lib/json.js';
import { isPlainObject } from '../../lib/json.js';
import type { Logger } from '../../observability/logger.js';

export type CrdErrorCode = 'CrdConflict' | 'CrdUpdateRefused';

/** Ownership conflicts and refused breaking changes; their message is the KindReady message. */
export class CrdEnsureError extends KroError {
  declare readonly code: CrdErrorCode;
  constructor(code: CrdErrorCode, message: string) {
    super(code, message);
  }
}

export type EnsureCrdOutcome =
  | { readonly action: 'created'; readonly crd: KubeObject }
  | { readonly action: 'updated'; readonly crd: KubeObject; readonly changes: number }
  | { readonly action: 'unchanged'; readonly crd: KubeObject };

export interface EnsureRgdCrdOptions {
  readonly kube: Kube;
  readonly desired: Readonly<JsonObject>;
  readonly rgdName: string;
  readonly rgdUid: string;
  readonly allowBreakingChanges: boolean;
  readonly logger: Logger;
  readonly establishTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export const CRD_FIELD_MANAGER = 'kro-ts';

export function crdRef(name: string): { apiVersion: string; kind: string; name: string } {
  return { apiVersion: CRD_API_VERSION, kind: CRD_KIND, name };
}

export async function ensureRgdCrd(opts: EnsureRgdCrdOptions): Promise<EnsureCrdOutcome> {
  const desired = opts.desired as unknown as KubeObject;
  const name = desired.metadata.name ?? '';
  const res = opts.kube.resources;
  const existing = await res.tryGet(crdRef(name));
  let outcome: EnsureCrdOutcome;
  if (existing === undefined) {
    const crd = await res.create(structuredClone(desired), { fieldManager: CRD_FIELD_MANAGER });
    outcome = { action: 'created', crd };
  } else {
    checkOwnership(existing, opts);
    const diff = diffCrds(existing as unknown as JsonObject, opts.desired as JsonObject);
    if (!diff.needsUpdate) {
      outcome = { action: 'unchanged', crd: existing };
    } else {
      if (diff.hasBreakingChanges && !opts.allowBreakingChanges) {
        opts.logger.info({ crd: name, summary: diff.summary }, 'Breaking changes detected in CRD update');
        throw new CrdEnsureError(
          'CrdUpdateRefused',
          `cannot update CRD ${name}: breaking changes detected: ${diff.summary}`,
        );
      }
      const crd = await res.mergePatch(crdRef(name), crdPatch(existing, desired), {
        fieldManager: CRD_FIELD_MANAGER,
      });
      outcome = { action: 'updated', crd, changes: diff.nonBreaking.length + diff.breaking.length };
    }
  }
  const established = await waitForCrdEstablished(res, name, {
    timeoutMs: opts.establishTimeoutMs ?? 120_000,
    intervalMs: 150,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { ...outcome, crd: established };
}

function checkOwnership(existing: KubeObject, opts: EnsureRgdCrdOptions): void {
  const name = existing.metadata.name ?? '';
  const labels = existing.metadata.labels ?? {};
  const owned =
    labels[Labels.owned] !== undefined
      ? labels[Labels.owned] === 'true'
      : labels[Labels.managedBy] === MANAGED_BY_VALUE;
  if (!owned) {
    throw new CrdEnsureError(
      'CrdConflict',
      `failed to update CRD ${name}: CRD already exists and is not owned by KRO`,
    );
  }
  const owner = labels[Labels.rgdName];
  if (owner !== undefined && owner !== opts.rgdName) {
    throw new CrdEnsureError(
      'CrdConflict',
      `failed to update CRD ${name}: CRD is owned by another ResourceGraphDefinition ${owner}`,
    );
  }
  const id = labels[Labels.rgdId];
  if (id !== undefined && opts.rgdUid !== '' && id !== opts.rgdUid) {
    opts.logger.info(
      { crd: name, rgd: opts.rgdName, oldId: id, newId: opts.rgdUid },
      'Adopting CRD with different RGD ID - RGD may have been deleted and recreated',
    );
  }
}

/** One merge patch: group, names (null for cleared lists), scope, versions, labels, annotations. */
function crdPatch(existing: KubeObject, desired: KubeObject): JsonObject {
  const dSpec = isPlainObject(desired['spec']) ? desired['spec'] : {};
  const eSpec = isPlainObject(existing['spec']) ? existing['spec'] : {};
  const names: Record<string, unknown> = isPlainObject(dSpec['names']) ? { ...dSpec['names'] } : {};
  const oldNames = isPlainObject(eSpec['names']) ? eSpec['names'] : {};
  for (const key of ['shortNames', 'categories']) {
    if (names[key] === undefined && oldNames[key] !== undefined) names[key] = null;
  }
  const metadata: Record<string, unknown> = {};
  const labels = desired.metadata.labels ?? {};
  const annotations = desired.metadata.annotations ?? {};
  if (Object.keys(labels).length > 0) metadata['labels'] = labels;
  if (Object.keys(annotations).length > 0) metadata['annotations'] = annotations;
  return {
    metadata,
    spec: {
      group: dSpec['group'],
      names,
      scope: dSpec['scope'],
      versions: dSpec['versions'],
    },
  } as JsonObject;
}
