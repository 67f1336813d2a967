// Existing vs desired instance CRD (spec 01 §7.1–7.2): kro's breaking-change report over the
// single version's schema, kro's summary text, and whether kro-ts must write at all. kro-ts
// writes for any difference in group, names, scope, versions or its managed labels/annotations
// (kro difference, bug fix); the breaking classification is kro's.

import type { OpenApiSchema } from '../api/openapi.js';
import type { JsonObject } from '../lib/json.js';
import { deepEqual, isPlainObject } from '../lib/json.js';
import type { CrdChange } from './changes.js';
import { makeChange } from './changes.js';
import { KRO_TS_STATUS_FIELDS } from './status-schema.js';
import type { Report } from './schema-compare.js';
import { addChange, compareSchemas, newReport } from './schema-compare.js';

export interface CrdDiff {
  readonly breaking: readonly CrdChange[];
  readonly nonBreaking: readonly CrdChange[];
  /** kro's report text: up to three breaking changes joined by `; `, then `and <n> more changes`. */
  readonly summary: string;
  readonly hasBreakingChanges: boolean;
  /** True when a write is needed (any managed difference, breaking or not). */
  readonly needsUpdate: boolean;
  /** kro's comparison error (not exactly one version, missing schema); treat as a failed check. */
  readonly error?: string;
}

const MAX_SUMMARY = 3;

export function summarize(breaking: readonly CrdChange[]): string {
  if (breaking.length === 0) return 'no breaking changes';
  const parts = breaking.slice(0, MAX_SUMMARY).map((c) => c.description);
  if (breaking.length > MAX_SUMMARY) parts.push(`and ${breaking.length - MAX_SUMMARY} more changes`);
  return parts.join('; ');
}

export function diffCrds(existing: JsonObject, desired: JsonObject): CrdDiff {
  const oldSpec = obj(existing['spec']);
  const newSpec = obj(desired['spec']);
  const needsUpdate = managedFieldsDiffer(existing, desired);
  const compared = compareVersions(list(oldSpec['versions']), list(newSpec['versions']));
  if (typeof compared === 'string') {
    return {
      breaking: [],
      nonBreaking: [],
      summary: compared,
      hasBreakingChanges: false,
      needsUpdate,
      error: compared,
    };
  }
  for (const key of ['group', 'names', 'scope'] as const) {
    if (!deepEqual(oldSpec[key], newSpec[key]))
      addChange(compared, makeChange(`spec.${key}`, 'OTHER_CHANGED'));
  }
  if (needsUpdate && compared.breaking.length + compared.nonBreaking.length === 0) {
    addChange(compared, makeChange('metadata', 'OTHER_CHANGED'));
  }
  let breaking = compared.breaking;
  let nonBreaking = compared.nonBreaking;
  if (writtenByKro(existing, desired)) {
    // Adopting kro's CRD for the same RGD (switching from kro): the status schema differs only in
    // how kro and kro-ts spell the same inferred fields, plus kro-ts's additive fields; status is
    // rewritten by the controller on every reconcile, so no stored value depends on it.
    const isStatus = (c: CrdChange): boolean =>
      c.path === STATUS_PATH || c.path.startsWith(`${STATUS_PATH}.`);
    nonBreaking = [...nonBreaking, ...breaking.filter(isStatus)];
    breaking = breaking.filter((c) => !isStatus(c));
  }
  return {
    breaking,
    nonBreaking,
    summary: summarize(breaking),
    hasBreakingChanges: breaking.length > 0,
    needsUpdate,
  };
}

const STATUS_PATH = '.properties.status';

/**
 * True for a CRD that kro (not kro-ts) generated from this RGD: kro-ts adds `observedGeneration`
 * and `managedResources` to every status schema it writes (unless the RGD declares them itself,
 * in which case both schemas carry them and this is false), kro never does.
 */
function writtenByKro(existing: JsonObject, desired: JsonObject): boolean {
  const statusProps = (crd: JsonObject): JsonObject => {
    const version = obj(list(obj(crd['spec'])['versions'])[0]);
    const root = obj(obj(version['schema'])['openAPIV3Schema']);
    return obj(obj(obj(root['properties'])['status'])['properties']);
  };
  const have = statusProps(existing);
  const want = statusProps(desired);
  return KRO_TS_STATUS_FIELDS.every((f) => !(f in have) && f in want);
}

function compareVersions(oldVersions: unknown[], newVersions: unknown[]): Report | string {
  if (oldVersions.length !== 1 || newVersions.length !== 1) {
    return (
      `expected exactly one version in each CRD, got ${oldVersions.length} old ` +
      `and ${newVersions.length} new versions`
    );
  }
  const o = obj(oldVersions[0]);
  const n = obj(newVersions[0]);
  const r = newReport();
  if (o['name'] !== n['name']) {
    addChange(r, makeChange('version', 'TYPE_CHANGED', String(o['name'] ?? ''), String(n['name'] ?? '')));
    return r;
  }
  const oldSchema = obj(o['schema'])['openAPIV3Schema'];
  const newSchema = obj(n['schema'])['openAPIV3Schema'];
  if (!isPlainObject(oldSchema)) return `old version ${String(o['name'])} has no schema`;
  if (!isPlainObject(newSchema)) return `new version ${String(n['name'])} has no schema`;
  compareSchemas(r, '', oldSchema as OpenApiSchema, newSchema as OpenApiSchema);
  if (o['served'] === true && n['served'] !== true) {
    addChange(r, makeChange('version.served', 'TYPE_CHANGED', 'true', 'false'));
  } else if (o['served'] !== n['served']) {
    addChange(r, makeChange('version.served', 'OTHER_CHANGED'));
  }
  const hasStatus = (v: JsonObject): boolean => isPlainObject(obj(v['subresources'])['status']);
  if (hasStatus(o) && !hasStatus(n)) {
    addChange(r, makeChange('version.subresources.status', 'PROPERTY_REMOVED'));
  } else if (!deepEqual(o['subresources'], n['subresources'])) {
    addChange(r, makeChange('version.subresources', 'OTHER_CHANGED'));
  }
  for (const key of ['additionalPrinterColumns', 'storage'] as const) {
    if (!deepEqual(o[key], n[key])) addChange(r, makeChange(`version.${key}`, 'OTHER_CHANGED'));
  }
  return r;
}

/** spec 01 §7.1: group, names, scope, versions, or a desired label/annotation not in place. */
function managedFieldsDiffer(existing: JsonObject, desired: JsonObject): boolean {
  const oldSpec = obj(existing['spec']);
  const newSpec = obj(desired['spec']);
  for (const key of ['group', 'names', 'scope', 'versions'] as const) {
    if (!deepEqual(oldSpec[key], newSpec[key])) return true;
  }
  const oldMeta = obj(existing['metadata']);
  const newMeta = obj(desired['metadata']);
  for (const key of ['labels', 'annotations'] as const) {
    const have = obj(oldMeta[key]);
    for (const [k, v] of Object.entries(obj(newMeta[key]))) if (have[k] !== v) return true;
  }
  return false;
}

function obj(v: unknown): JsonObject {
  return isPlainObject(v) ? (v as JsonObject) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
