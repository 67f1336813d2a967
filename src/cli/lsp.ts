// `kro-ts lsp [--stdio]`: the language server on stdin/stdout. It runs until the editor sends
// `exit` (the protocol library then ends the process) or closes the pipe.

import { startLanguageServer } from '../lsp/index.js';
import { ExitCode } from './io.js';
import type { CommandContext, ExitCodeValue } from './io.js';

export function runLsp(ctx: CommandContext): Promise<ExitCodeValue> {
  const connection = startLanguageServer({
    input: process.stdin,
    output: process.stdout,
    schemaDir: ctx.schemaDir,
  });
  return new Promise((resolve) => {
    connection.onExit(() => resolve(ExitCode.ok));
  });
}
