// `kro-ts validate <rgd.yaml>…`: the controller's full build of every RGD in the files, each issue
// as `file:line:col: message`. Exit 0 when all are valid, 1 otherwise.

import {
  compileRgds,
  crdDocuments,
  loadRgds,
  formatLocated,
  locateIssue,
  sortLocated,
  createResolver,
} from '../source/index.js';
import type { CompiledRgd, LocatedIssue } from '../source/index.js';
import { ExitCode, lines } from './io.js';
import type { CommandContext, ExitCodeValue } from './io.js';
import { checkRgdAgainstCrd } from '../source/rgd-schema-check.js';

export interface ValidateOptions {
  readonly files: readonly string[];
  readonly crdPaths: readonly string[];
  readonly output: 'text' | 'json';
}

interface RgdReport {
  readonly file: string;
  readonly document: number;
  readonly name: string;
  readonly kind: string;
  readonly valid: boolean;
  readonly resources: number;
  readonly issues: LocatedIssue[];
}

export async function runValidate(ctx: CommandContext, options: ValidateOptions): Promise<ExitCodeValue> {
  const resolver = createResolver({ crdPaths: options.crdPaths, schemaDir: ctx.schemaDir });
  for (const crd of crdDocuments(options.files)) resolver.addCrd(crd);
  const compiled = await compileRgds(loadRgds(options.files), resolver);
  const reports = compiled.map(reportOf);
  const valid = reports.every((r) => r.valid);
  if (options.output === 'json') {
    ctx.io.out(JSON.stringify({ valid, rgds: reports }, null, 2) + '\n');
  } else {
    lines(ctx.io, reports.flatMap(textOf));
    const bad = reports.filter((r) => !r.valid);
    const count = bad.reduce((n, r) => n + r.issues.length, 0);
    lines(ctx.io, [
      valid
        ? `${reports.length} ResourceGraphDefinition${plural(reports.length)} valid`
        : `${count} issue${plural(count)} in ${bad.length} of ${reports.length} ResourceGraphDefinition${plural(reports.length)}`,
    ]);
  }
  return valid ? ExitCode.ok : ExitCode.invalid;
}

function reportOf(c: CompiledRgd): RgdReport {
  const kind = typeof c.rgd.spec?.schema?.kind === 'string' ? c.rgd.spec.schema.kind : '';
  const resources = Array.isArray(c.rgd.spec?.resources) ? c.rgd.spec.resources.length : 0;
  const schemaIssues = checkRgdAgainstCrd(c.rgd);
  const all = [...schemaIssues, ...(c.result.ok ? [] : c.result.error)];
  const issues = sortLocated(all.map((i) => locateIssue(c.source, i)));
  return {
    file: c.source.file,
    document: c.source.index,
    name: c.name,
    kind,
    valid: all.length === 0,
    resources,
    issues,
  };
}

function textOf(r: RgdReport): string[] {
  if (r.valid)
    return [`${r.file}: ${r.name}: valid (kind ${r.kind}, ${r.resources} resource${plural(r.resources)})`];
  return r.issues.map(formatLocated);
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
