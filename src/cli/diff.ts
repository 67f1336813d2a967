// `kro-ts diff <old-rgd.yaml> <new-rgd.yaml> [instance.yaml…]`: what updating an RGD would do.
// First the instance CRD change with kro's breaking classification (spec 01 §7.2), then per
// instance the rendered manifests under both versions: created, changed (field by field), pruned.
// Exit 0 when nothing changes, 3 when something does, 1 on any error.

import { diffCrds } from '../crd/index.js';
import type { CrdChange } from '../crd/index.js';
import type { CompiledGraph } from '../graph/index.js';
import { ExitCode, lines } from './io.js';
import type { CommandContext, ExitCodeValue } from './io.js';
import { diffManifests, formatManifestDiff } from './manifest-diff.js';
import { ObservedObjects } from './observed.js';
import { compileGraph, loadInstance } from './render.js';
import { renderInstance } from './render-engine.js';

export interface DiffOptions {
  readonly oldFile: string;
  readonly newFile: string;
  readonly instances: readonly string[];
  readonly crdPaths: readonly string[];
  readonly observedDir?: string | undefined;
}

export async function runDiff(ctx: CommandContext, options: DiffOptions): Promise<ExitCodeValue> {
  const oldGraph = await compileGraph(ctx, options.oldFile, options.crdPaths);
  const newGraph = await compileGraph(ctx, options.newFile, options.crdPaths);
  if (!oldGraph || !newGraph) return ExitCode.invalid;
  const crd = crdReport(oldGraph, newGraph);
  lines(ctx.io, crd.text);
  let changed = crd.changed;
  const observed = ObservedObjects.load(options.observedDir);
  for (const file of options.instances) {
    const before = loadInstance(ctx, file, oldGraph);
    const after = before && loadInstance(ctx, file, newGraph);
    if (!before || !after) {
      ctx.io.err(
        `${file}: cannot diff an instance that is invalid under the ${before ? 'new' : 'old'} RGD\n`,
      );
      return ExitCode.invalid;
    }
    const d = diffManifests(
      renderInstance(oldGraph, before.object, observed),
      renderInstance(newGraph, after.object, observed),
    );
    const meta = after.object.metadata;
    lines(ctx.io, [
      '',
      `instance ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? ''} (${file}):`,
    ]);
    lines(
      ctx.io,
      formatManifestDiff(d).map((l) => `  ${l}`),
    );
    if (d.created.length + d.changed.length + d.pruned.length > 0) changed = true;
  }
  return changed ? ExitCode.changes : ExitCode.ok;
}

function crdReport(a: CompiledGraph, b: CompiledGraph): { text: string[]; changed: boolean } {
  const name = String((b.crd['metadata'] as { name?: unknown } | undefined)?.name ?? b.instance.plural);
  const d = diffCrds(a.crd, b.crd);
  if (d.error !== undefined) return { text: [`CRD ${name}: ${d.error}`], changed: true };
  if (!d.needsUpdate) return { text: [`CRD ${name}: no changes`], changed: false };
  const text = [`CRD ${name}: ${d.hasBreakingChanges ? 'BREAKING' : 'compatible'} update`];
  const item = (c: CrdChange): string => `    ${c.type} ${c.path}: ${c.description}`;
  if (d.breaking.length > 0) {
    text.push(
      `  breaking changes (refused unless the RGD has the annotation kro.run/allow-breaking-changes: "true"):`,
      ...d.breaking.map(item),
      `  summary: ${d.summary}`,
    );
  }
  if (d.nonBreaking.length > 0) text.push('  non-breaking changes:', ...d.nonBreaking.map(item));
  return { text, changed: true };
}
