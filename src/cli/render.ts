// `kro-ts render <rgd.yaml> <instance.yaml> [--observed <dir>]`: the instance defaulted and
// validated as the API server would, then the manifests the controller would apply, in waves
// (multi-document YAML with wave comments), and the nodes that could not be rendered offline with
// what they wait for. Exit 1 when the RGD or the instance is invalid or a node is in ERROR.

import { stringify } from 'yaml';
import type { CompiledGraph } from '../graph/index.js';
import { isPlainObject } from '../lib/json.js';
import { compileOne, issueText, createResolver, locatePath, readYamlFile } from '../source/index.js';
import { CliError, ExitCode } from './io.js';
import type { CommandContext, ExitCodeValue } from './io.js';
import { prepareInstance } from './instance.js';
import type { PreparedInstance } from './instance.js';
import { ObservedObjects } from './observed.js';
import { renderInstance } from './render-engine.js';
import type { RenderOutcome, RenderedNode } from './render-engine.js';

export interface RenderOptions {
  readonly rgdFile: string;
  readonly instanceFile: string;
  readonly crdPaths: readonly string[];
  readonly observedDir?: string | undefined;
}

export async function runRender(ctx: CommandContext, options: RenderOptions): Promise<ExitCodeValue> {
  const graph = await compileGraph(ctx, options.rgdFile, options.crdPaths);
  if (!graph) return ExitCode.invalid;
  const instance = loadInstance(ctx, options.instanceFile, graph);
  if (!instance) return ExitCode.invalid;
  const outcome = renderInstance(graph, instance.object, ObservedObjects.load(options.observedDir));
  ctx.io.out(formatRender(outcome));
  const errors = outcome.nodes.filter((n) => n.state === 'ERROR');
  for (const n of errors) ctx.io.err(`error: node ${n.id}: ${n.reason}: ${n.message}\n`);
  return errors.length > 0 ? ExitCode.invalid : ExitCode.ok;
}

/** Compiles the RGD file (with its CRD chain); prints the issues and returns undefined on failure. */
export async function compileGraph(
  ctx: CommandContext,
  file: string,
  crdPaths: readonly string[],
): Promise<CompiledGraph | undefined> {
  const resolver = createResolver({ crdPaths, schemaDir: ctx.schemaDir });
  const compiled = await compileOne(file, resolver);
  if (compiled.result.ok) return compiled.result.value;
  ctx.io.err(issueText(compiled.source, compiled.result.error));
  return undefined;
}

/** Reads, prunes, defaults and validates the instance; prints warnings and field errors. */
export function loadInstance(
  ctx: CommandContext,
  file: string,
  graph: CompiledGraph,
): PreparedInstance | undefined {
  const docs = readYamlFile(file, { intAsBigInt: true });
  const doc = docs.find((d) => isPlainObject(d.value) && d.value['kind'] === graph.instance.kind) ?? docs[0];
  if (!doc) throw new CliError(`${file}: no instance found`);
  const prepared = prepareInstance(doc.value, graph);
  for (const w of prepared.warnings) ctx.io.err(`${file}: Warning: ${w}\n`);
  if (prepared.errors.length === 0) return prepared;
  const name =
    isPlainObject(doc.value) && isPlainObject(doc.value['metadata'])
      ? String(doc.value['metadata']['name'])
      : '';
  ctx.io.err(`${file}: The ${graph.instance.kind} "${name}" is invalid:\n`);
  for (const e of prepared.errors) {
    const pos = locatePath(doc, e.path);
    ctx.io.err(`${file}:${pos.line}:${pos.col}: ${e.message}\n`);
  }
  return undefined;
}

export function formatRender(outcome: RenderOutcome): string {
  const parts: string[] = [];
  for (const n of outcome.nodes) {
    n.objects.forEach((o, i) => {
      const item = n.objects.length > 1 || n.wave === undefined ? ` item ${i}` : '';
      parts.push(
        `---\n# wave ${n.wave ?? '-'}: ${n.id}${item} (${describe(n)})\n${stringify(o, { lineWidth: 0 })}`,
      );
    });
  }
  const rest = outcome.nodes.filter((n) => n.objects.length === 0);
  if (rest.length > 0) {
    parts.push(`---\n# not applied:\n${rest.map((n) => `#   ${n.id}: ${describe(n)}\n`).join('')}`);
  }
  return parts.join('');
}

function describe(n: RenderedNode): string {
  return `${n.state}${n.reason && n.reason !== 'Ready' ? ` ${n.reason}` : ''}${n.message ? `: ${n.message}` : ''}`;
}
