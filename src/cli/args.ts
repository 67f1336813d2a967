// Command-line parsing: the positional syntax and the spec's flag forms (`-f`, `-i`,
// `--old`, `-o`) both work. Any mistake is a usage error (exit 2) with the command's usage text.

import { parseArgs } from 'node:util';
import { CliError, ExitCode } from './io.js';

export const COMMANDS = ['validate', 'render', 'graph', 'diff', 'generate', 'lsp'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const USAGE = `Usage: kro-ts <command> [options]

Commands:
  validate <rgd.yaml>... [--crds <dir|file>]... [--output text|json]
      Compile every ResourceGraphDefinition like the controller does; print each issue as
      file:line:col: message. Exit 0 valid, 1 invalid, 2 usage.
  render <rgd.yaml> <instance.yaml> [--observed <dir>] [--crds <dir|file>]...
      Default and validate the instance against the generated CRD, then print the manifests the
      controller would apply, in waves. Exit 0 rendered, 1 invalid.
  generate crd <rgd.yaml> [--crds <dir|file>]...
      Print the instance CRD the controller would create for the RGD.
  graph <rgd.yaml> [--format text|dot|mermaid|json] [--crds <dir|file>]...
      Nodes, edges, topological order and apply waves.
  diff <old-rgd.yaml> <new-rgd.yaml> [instance.yaml...] [--observed <dir>] [--crds <dir|file>]...
      The CRD change report with its breaking classification, then per instance the manifests
      that would be created, changed or pruned. Exit 0 no change, 3 changes, 1 error.
  lsp [--stdio]
      Language server over stdin/stdout for editors: diagnostics, hover, completion and
      go-to-definition in RGD files (see src/lsp/README.md).

Spec forms: validate -f <rgd>...; generate crd -f <rgd>; render -f <rgd> -i <instance>; graph -f <rgd> -o <format>;
diff -f <new-rgd> --old <old-rgd> -i <instance>...
Common options:
  --crds, --crd <path>   CRD file or directory of CRD files (repeatable)
  --schemas <dir>        schema documents of built-in kinds (default: the bundled ones)
  -h, --help             show this help
`;

const OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  instance: { type: 'string', short: 'i', multiple: true },
  old: { type: 'string' },
  crds: { type: 'string', multiple: true },
  crd: { type: 'string', multiple: true },
  schemas: { type: 'string' },
  observed: { type: 'string' },
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  // Editors' language clients pass the transport; stdio is the only one.
  stdio: { type: 'boolean' },
} as const;

export interface ParsedArgs {
  readonly command: CommandName | 'help';
  readonly positionals: readonly string[];
  readonly filenames: readonly string[];
  readonly instances: readonly string[];
  readonly old?: string | undefined;
  readonly crdPaths: readonly string[];
  readonly schemaDir?: string | undefined;
  readonly observed?: string | undefined;
  readonly output?: string | undefined;
}

export function usageError(message: string): CliError {
  return new CliError(`${message}\nRun "kro-ts --help" for usage.`, ExitCode.usage);
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help', positionals: [], filenames: [], instances: [], crdPaths: [] };
  }
  if (!(COMMANDS as readonly string[]).includes(command)) throw usageError(`unknown command "${command}"`);
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) return { command: 'help', positionals: [], filenames: [], instances: [], crdPaths: [] };
  return {
    command: command as CommandName,
    positionals: parsed.positionals,
    filenames: v.filename ?? [],
    instances: v.instance ?? [],
    old: v.old,
    crdPaths: [...(v.crds ?? []), ...(v.crd ?? [])],
    schemaDir: v.schemas,
    observed: v.observed,
    output: v.format ?? v.output,
  };
}

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  flag: string,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`invalid ${flag} "${value}": must be one of ${allowed.join(', ')}`);
}
