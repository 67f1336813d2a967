// The CLI entry as a function: argv in, exit code out, output through CliIo. main.ts calls it with
// the process streams; tests call it in-process and compare captured output with golden files.

import { parseCommandLine, oneOf, usageError, USAGE } from './args.js';
import type { ParsedArgs } from './args.js';
import { runDiff } from './diff.js';
import { GRAPH_FORMATS } from './graph-format.js';
import { runGenerateCrd, runGraph } from './graph-command.js';
import { CliError, ExitCode } from './io.js';
import type { CliIo, CommandContext, ExitCodeValue } from './io.js';
import { runLsp } from './lsp.js';
import { runRender } from './render.js';
import { SourceError } from '../source/index.js';
import { runValidate } from './validate.js';
import { setYamlWarningSink } from '../source/yaml-source.js';

export interface RunOptions {
  /** Overrides the bundled schema directory (tests use the OpenAPI fixtures). */
  readonly schemaDir?: string;
}

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunOptions = {},
): Promise<ExitCodeValue> {
  setYamlWarningSink((message) => io.err(`${message}\n`));
  try {
    const args = parseCommandLine(argv);
    if (args.command === 'help') {
      io.out(USAGE);
      return ExitCode.ok;
    }
    const ctx: CommandContext = { io, schemaDir: args.schemaDir ?? options.schemaDir };
    return await dispatch(ctx, args);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof SourceError) {
      io.err(`${e.message}\n`);
      return ExitCode.invalid;
    }
    // A bug, not the user's mistake: one line, no stack trace (KRO_TS_DEBUG=1 prints it).
    const message = e instanceof RangeError ? `${e.message} (is the input nested too deeply?)` : errorText(e);
    io.err(`error: internal error: ${message}\n`);
    if (process.env['KRO_TS_DEBUG'] && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return ExitCode.invalid;
  } finally {
    setYamlWarningSink(undefined);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function dispatch(ctx: CommandContext, a: ParsedArgs): Promise<ExitCodeValue> {
  switch (a.command) {
    case 'validate': {
      const files = [...a.filenames, ...a.positionals];
      if (files.length === 0) throw usageError('validate needs at least one RGD file');
      const output = oneOf(a.output, ['text', 'json'] as const, 'text', '--output');
      return runValidate(ctx, { files, crdPaths: a.crdPaths, output });
    }
    case 'graph': {
      const files = [...a.filenames, ...a.positionals];
      const file = files[0];
      if (file === undefined || files.length > 1) throw usageError('graph needs exactly one RGD file');
      const format = oneOf(a.output, GRAPH_FORMATS, 'text', '--format');
      return runGraph(ctx, { file, crdPaths: a.crdPaths, format });
    }
    case 'render': {
      const [rgd, instance, ...extra] = [
        ...a.filenames,
        ...a.positionals.slice(0, 1),
        ...a.instances,
        ...a.positionals.slice(1),
      ];
      if (rgd === undefined || instance === undefined || extra.length > 0) {
        throw usageError('render needs one RGD file and one instance file');
      }
      return runRender(ctx, {
        rgdFile: rgd,
        instanceFile: instance,
        crdPaths: a.crdPaths,
        observedDir: a.observed,
      });
    }
    case 'generate': {
      const [what, ...files] = a.positionals;
      const file = [...a.filenames, ...files][0];
      if (what !== 'crd' || file === undefined || a.filenames.length + files.length > 1) {
        throw usageError('usage: kro-ts generate crd <rgd.yaml>');
      }
      return runGenerateCrd(ctx, { file, crdPaths: a.crdPaths });
    }
    case 'diff': {
      const flagForm = a.old !== undefined;
      const oldFile = flagForm ? a.old : a.positionals[0];
      const newFile = flagForm ? (a.filenames[0] ?? a.positionals[0]) : a.positionals[1];
      const instances = [
        ...a.instances,
        ...a.positionals.slice(flagForm && a.filenames.length === 0 ? 1 : flagForm ? 0 : 2),
      ];
      if (oldFile === undefined || newFile === undefined)
        throw usageError('diff needs the old and the new RGD file');
      return runDiff(ctx, { oldFile, newFile, instances, crdPaths: a.crdPaths, observedDir: a.observed });
    }
    case 'lsp':
      if (a.positionals.length > 0) throw usageError('lsp takes no arguments');
      return runLsp(ctx);
    default:
      throw usageError('unknown command');
  }
}
