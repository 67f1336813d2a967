#!/usr/bin/env node
// kro-ts CLI process entry: the offline validate/render/graph/diff commands (spec 05 §12) and the
// `lsp` language server. All logic is in run.ts so tests drive it in-process.

import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
