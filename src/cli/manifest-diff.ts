// Two offline renders of one instance compared by object identity (group/Kind/namespace/name):
// objects only the new render applies are created, objects only the old one applies are pruned,
// objects in both with different content are changed. Nodes that neither render could produce
// offline are listed, since nothing can be said about them.

import { diffFields, formatChange } from './field-diff.js';
import type { FieldChange } from './field-diff.js';
import type { RenderOutcome } from './render-engine.js';

interface Manifest {
  readonly id: string;
  readonly key: string;
  readonly label: string;
  readonly object: unknown;
}

export interface ManifestDiff {
  readonly created: readonly Manifest[];
  readonly pruned: readonly Manifest[];
  readonly changed: readonly { readonly manifest: Manifest; readonly fields: readonly FieldChange[] }[];
  readonly unrendered: readonly string[];
}

function manifests(r: RenderOutcome): Manifest[] {
  return r.nodes.flatMap((n) =>
    n.objects.map((o) => {
      const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
      const ns = o.metadata.namespace ?? '';
      const where = `${ns ? `${ns}/` : ''}${o.metadata.name ?? ''}`;
      return {
        id: n.id,
        key: `${group}/${o.kind}/${ns}/${o.metadata.name ?? ''}`,
        label: `${o.apiVersion} ${o.kind} ${where} (${n.id})`,
        object: o,
      };
    }),
  );
}

export function diffManifests(before: RenderOutcome, after: RenderOutcome): ManifestDiff {
  const a = manifests(before);
  const b = manifests(after);
  const byKey = (list: Manifest[]): Map<string, Manifest> => new Map(list.map((m) => [m.key, m]));
  const oldMap = byKey(a);
  const newMap = byKey(b);
  const changed = b.flatMap((m) => {
    const old = oldMap.get(m.key);
    if (!old) return [];
    const fields = diffFields(old.object, m.object);
    return fields.length > 0 ? [{ manifest: m, fields }] : [];
  });
  const appliedIds = new Set([...a, ...b].map((m) => m.id));
  const unrendered = [...before.nodes, ...after.nodes]
    .filter((n) => n.objects.length === 0 && n.state !== 'SKIPPED' && !appliedIds.has(n.id))
    .map((n) => `${n.id}: ${n.state} ${n.reason}${n.message ? `: ${n.message}` : ''}`);
  return {
    created: b.filter((m) => !oldMap.has(m.key)),
    pruned: a.filter((m) => !newMap.has(m.key)),
    changed,
    unrendered: [...new Set(unrendered)],
  };
}

export function formatManifestDiff(d: ManifestDiff): string[] {
  const out: string[] = [];
  for (const m of d.created) out.push(`created: ${m.label}`);
  for (const c of d.changed) {
    out.push(`changed: ${c.manifest.label}`);
    for (const f of c.fields) out.push(`    ${formatChange(f)}`);
  }
  for (const m of d.pruned) out.push(`pruned:  ${m.label}`);
  if (out.length === 0) out.push('no changes');
  for (const u of d.unrendered) out.push(`not rendered offline: ${u}`);
  return out;
}
