// Loads RGDs from YAML and compiles them with the controller's compiler (graph/buildGraph).
// RGDs may template each other's instances: every RGD that compiles contributes its generated CRD
// to the resolver, and RGDs that failed only on unknown kinds are compiled again until nothing
// changes, so the order of files does not matter.

import type { ResourceGraphDefinition } from '../api/rgd.js';
import { buildGraph, GraphIssueCodes } from '../graph/index.js';
import type { CompiledGraph } from '../graph/index.js';
import type { Issue } from '../lib/issue.js';
import { isPlainObject } from '../lib/json.js';
import type { Result } from '../lib/result.js';
import { checkCrd } from './crd-check.js';
import { SourceError } from './errors.js';
import type { OverlayResolver } from './resolver.js';
import { readYamlFile } from './yaml-source.js';
import type { YamlDoc } from './yaml-source.js';

export interface RgdSource {
  readonly source: YamlDoc;
  readonly rgd: ResourceGraphDefinition;
  readonly name: string;
}

export interface CompiledRgd extends RgdSource {
  readonly result: Result<CompiledGraph, Issue[]>;
}

export const RGD_KIND = 'ResourceGraphDefinition';

/** Every RGD document of the files; a file without one is an error. */
export function loadRgds(files: readonly string[]): RgdSource[] {
  const out: RgdSource[] = [];
  for (const file of files) {
    const rgds = rgdSourcesOf(readYamlFile(file));
    if (rgds.length === 0) throw new SourceError(`${file}: no ${RGD_KIND} found`);
    out.push(...rgds);
  }
  return out;
}

/** The documents that are RGDs (by `kind`), others ignored. */
export function rgdSourcesOf(docs: readonly YamlDoc[]): RgdSource[] {
  return docs
    .filter((d) => isPlainObject(d.value) && d.value['kind'] === RGD_KIND)
    .map((d) => {
      const rgd = d.value as ResourceGraphDefinition;
      const name = typeof rgd.metadata?.name === 'string' ? rgd.metadata.name : `<document ${d.index}>`;
      return { source: d, rgd, name };
    });
}

/** Also the other documents of the files that are CRDs (so a file may carry RGD + CRD). */
export function crdDocuments(files: readonly string[]): unknown[] {
  return files.flatMap((f) => crdDocumentsOf(readYamlFile(f)));
}

/** The documents that are CustomResourceDefinitions. */
export function crdDocumentsOf(docs: readonly YamlDoc[]): unknown[] {
  return docs.map((d) => d.value).filter((v) => isPlainObject(v) && v['kind'] === 'CustomResourceDefinition');
}

export async function compileRgds(
  sources: readonly RgdSource[],
  resolver: OverlayResolver,
): Promise<CompiledRgd[]> {
  const results = new Map<RgdSource, Result<CompiledGraph, Issue[]>>();
  let pending = [...sources];
  for (;;) {
    const round = await Promise.all(
      pending.map(async (s) => withCrdCheck(await buildGraph(s.rgd, { resolver: resolver.resolver }))),
    );
    let progress = false;
    pending.forEach((s, i) => {
      const r = round[i];
      if (!r) return;
      results.set(s, r);
      if (r.ok) {
        resolver.addCrd(r.value.crd);
        progress = true;
      }
    });
    pending = pending.filter((s) => {
      const r = results.get(s);
      return r !== undefined && !r.ok && r.error.some((i) => i.code === GraphIssueCodes.unresolvedKind);
    });
    if (!progress || pending.length === 0) break;
  }
  return sources.map((s) => ({ ...s, result: results.get(s) ?? { ok: false, error: [] } }));
}

export const CRD_REFUSED = 'CrdRefused';

/**
 * The CLI checks the generated CRD the way kube-apiserver does on create (crd-check.ts), so an
 * RGD whose CRD the API server would refuse is invalid here too, at the RGD field it comes from.
 */
function withCrdCheck(r: Result<CompiledGraph, Issue[]>): Result<CompiledGraph, Issue[]> {
  if (!r.ok) return r;
  const errors = checkCrd(r.value.crd);
  if (errors.length === 0) return r;
  return {
    ok: false,
    error: errors.map((e) => ({
      code: CRD_REFUSED,
      path: rgdPathOfCrdPath(e.path),
      message: `the generated CRD would be refused by kube-apiserver: ${e.message}`,
    })),
  };
}

/**
 * The RGD field a CRD schema path comes from: `spec.versions[0].schema.openAPIV3Schema
 * .properties[spec].properties[a].items...` → `spec.schema.spec.a`; printer columns →
 * `spec.schema.additionalPrinterColumns[i]`; anything else → `spec.schema`.
 */
export function rgdPathOfCrdPath(crdPath: string): string {
  const column = /^spec\.(?:versions\[\d+\]\.)?additionalPrinterColumns\[(\d+)\]/.exec(crdPath);
  if (column) return `spec.schema.additionalPrinterColumns[${column[1]}]`;
  const m =
    /^spec\.(?:versions\[\d+\]\.schema|validation)\.openAPIV3Schema\.properties\[(spec|status)\](.*)$/.exec(
      crdPath,
    );
  if (!m) return 'spec.schema';
  let path = `spec.schema.${m[1]}`;
  for (const seg of (m[2] ?? '').matchAll(/\.(properties\[([^\]]+)\]|[^.[]+)/g)) {
    if (seg[2] === undefined) break; // items, additionalProperties, default...: stop at the field
    path += `.${seg[2]}`;
  }
  return path;
}

/** Compiles exactly one RGD (render/graph/diff): the first RGD of the file. */
export async function compileOne(file: string, resolver: OverlayResolver): Promise<CompiledRgd> {
  const sources = loadRgds([file]);
  const compiled = await compileRgds(sources, resolver);
  const first = compiled[0];
  if (!first) throw new SourceError(`${file}: no ${RGD_KIND} found`);
  return first;
}
