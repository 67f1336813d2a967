// `kro-ts graph <rgd.yaml>`: the compiled graph as text, dot, mermaid or JSON; and
// `kro-ts generate crd <rgd.yaml>`: the instance CRD the controller would apply.

import { stringify } from 'yaml';
import { compileOne, issueText, createResolver } from '../source/index.js';
import { formatGraph } from './graph-format.js';
import type { GraphFormat } from './graph-format.js';
import { ExitCode } from './io.js';
import type { CommandContext, ExitCodeValue } from './io.js';

export interface GraphOptions {
  readonly file: string;
  readonly crdPaths: readonly string[];
  readonly format: GraphFormat;
}

export async function runGraph(ctx: CommandContext, options: GraphOptions): Promise<ExitCodeValue> {
  const resolver = createResolver({ crdPaths: options.crdPaths, schemaDir: ctx.schemaDir });
  const compiled = await compileOne(options.file, resolver);
  if (!compiled.result.ok) {
    ctx.io.err(issueText(compiled.source, compiled.result.error));
    return ExitCode.invalid;
  }
  ctx.io.out(formatGraph(compiled.result.value, options.format));
  return ExitCode.ok;
}

export async function runGenerateCrd(
  ctx: CommandContext,
  options: { readonly file: string; readonly crdPaths: readonly string[] },
): Promise<ExitCodeValue> {
  const resolver = createResolver({ crdPaths: options.crdPaths, schemaDir: ctx.schemaDir });
  const compiled = await compileOne(options.file, resolver);
  if (!compiled.result.ok) {
    ctx.io.err(issueText(compiled.source, compiled.result.error));
    return ExitCode.invalid;
  }
  ctx.io.out(stringify(compiled.result.value.crd, { lineWidth: 0 }));
  return ExitCode.ok;
}
