// ApplySet parent metadata of an instance (KEP-3659, spec 04 §2.1): the id label, tooling, the
// recorded group-kinds and namespaces, and kro's inventory hash. Pure formulas and validation.

import { createHash } from 'node:crypto';
import { Annotations, APPLYSET_TOOLING, Labels } from '../api/constants.js';

export interface Inventory {
  /** `Kind` (core) or `Kind.group`, sorted and unique. */
  readonly groupKinds: readonly string[];
  /** Namespaces other than the instance's own, sorted and unique. */
  readonly namespaces: readonly string[];
}

export const EMPTY_INVENTORY: Inventory = Object.freeze({ groupKinds: [], namespaces: [] });

function b64url(data: string): string {
  return createHash('sha256').update(data).digest('base64url');
}

export function applySetId(inst: { name: string; namespace: string; kind: string; group: string }): string {
  return `applyset-${b64url(`${inst.name}.${inst.namespace}.${inst.kind}.${inst.group}`)}-v1`;
}

export function groupKindOf(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? kind : `${kind}.${apiVersion.slice(0, slash)}`;
}

/** Splits `Kind.group` back into kind and group ('' for core). */
export function parseGroupKind(gk: string): { kind: string; group: string } {
  const dot = gk.indexOf('.');
  return dot < 0 ? { kind: gk, group: '' } : { kind: gk.slice(0, dot), group: gk.slice(dot + 1) };
}

export function inventoryHash(id: string, inv: Inventory): string {
  const gks = [...inv.groupKinds].sort().join(',');
  const nss = [...inv.namespaces].sort().join(',');
  return `sha256:${b64url(`${id}\0${gks}\0${nss}`)}`;
}

export function unionInventory(a: Inventory, b: Inventory): Inventory {
  return {
    groupKinds: [...new Set([...a.groupKinds, ...b.groupKinds])].sort(),
    namespaces: [...new Set([...a.namespaces, ...b.namespaces])].sort(),
  };
}

export function sameInventory(a: Inventory, b: Inventory): boolean {
  return (
    a.groupKinds.join(',') === b.groupKinds.join(',') && a.namespaces.join(',') === b.namespaces.join(',')
  );
}

/** The labels and annotations the parent carries for `inv` (tooling: kro's, `kro/v0.9.4`). */
export function applySetMetadata(
  id: string,
  inv: Inventory,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: { [Labels.applySetId]: id },
    annotations: {
      [Annotations.applySetTooling]: APPLYSET_TOOLING,
      [Annotations.applySetContainsGroupKinds]: [...inv.groupKinds].sort().join(','),
      [Annotations.applySetAdditionalNamespaces]: [...inv.namespaces].sort().join(','),
      [Annotations.applySetInventoryHash]: inventoryHash(id, inv),
    },
  };
}

/** True when the object carries any ApplySet parent metadata. */
export function hasApplySetMetadata(meta: {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): boolean {
  const a = meta.annotations ?? {};
  return (
    meta.labels?.[Labels.applySetId] !== undefined ||
    a[Annotations.applySetTooling] !== undefined ||
    a[Annotations.applySetContainsGroupKinds] !== undefined ||
    a[Annotations.applySetAdditionalNamespaces] !== undefined
  );
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function splitList(v: string): string[] {
  return v === '' ? [] : v.split(',');
}

/** Validates the recorded inventory (spec 04 §2.1); returns it, or an error message. */
export function readInventory(
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> },
  expectedId: string,
): { ok: true; inventory: Inventory } | { ok: false; message: string } {
  const got = meta.labels?.[Labels.applySetId] ?? '';
  if (got !== expectedId)
    return fail(`invalid applyset.kubernetes.io/id label: got "${got}", want "${expectedId}"`);
  const a = meta.annotations ?? {};
  const tooling = a[Annotations.applySetTooling] ?? '';
  if (!tooling.startsWith('kro/')) {
    return fail(`invalid applyset.kubernetes.io/tooling annotation: "${tooling}" is not owned by kro`);
  }
  const gkText = a[Annotations.applySetContainsGroupKinds];
  if (gkText === undefined)
    return fail('missing required applyset.kubernetes.io/contains-group-kinds annotation');
  const nsText = a[Annotations.applySetAdditionalNamespaces];
  if (nsText === undefined)
    return fail('missing required applyset.kubernetes.io/additional-namespaces annotation');
  const groupKinds = splitList(gkText);
  for (const gk of groupKinds) {
    const { kind, group } = parseGroupKind(gk);
    if (kind === '' || /\s/.test(kind) || (gk.includes('.') && !DNS1123_SUBDOMAIN.test(group))) {
      return fail(`invalid applyset.kubernetes.io/contains-group-kinds entry "${gk}"`);
    }
  }
  const namespaces = splitList(nsText);
  for (const ns of namespaces) {
    if (!DNS1123_LABEL.test(ns))
      return fail(`invalid applyset.kubernetes.io/additional-namespaces entry "${ns}"`);
  }
  const inventory = { groupKinds: [...groupKinds].sort(), namespaces: [...namespaces].sort() };
  const hash = a[Annotations.applySetInventoryHash];
  const want = inventoryHash(expectedId, inventory);
  if (hash !== undefined && hash !== want) {
    return fail(`invalid internal.kro.run/applyset-inventory-hash annotation: got "${hash}", want "${want}"`);
  }
  return { ok: true, inventory };
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
