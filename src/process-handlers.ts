// Process-level last resort (issue 14). A rejection nobody awaited or an exception nobody caught
// would otherwise end the operator with Node's default report on stderr (or, for a rejection in
// older modes, be ignored). Either way the process state can no longer be trusted: log the error
// as one structured line, then exit non-zero so the kubelet restarts the pod and leader election
// hands over cleanly (the Lease simply expires).

import type { Logger } from './observability/logger.js';

/** Exit status after an unhandled rejection or uncaught exception. */
export const CRASH_EXIT_CODE = 70;

type Sink = Pick<Logger, 'fatal'> | undefined;

let sink: Sink;
let installed = false;

/** Installs the handlers once; `logger` (when given) replaces the plain stderr fallback. */
export function installProcessHandlers(logger?: Logger): void {
  if (logger) sink = logger;
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => crash('Unhandled promise rejection; exiting', reason));
  process.on('uncaughtException', (err) => crash('Uncaught exception; exiting', err));
}

function crash(message: string, reason: unknown): never {
  const err = reason instanceof Error ? reason : new Error(String(reason));
  try {
    if (sink) sink.fatal({ err }, message);
    else process.stderr.write(`${message}: ${err.stack ?? err.message}\n`);
  } catch {
    process.stderr.write(`${message}: ${err.message}\n`);
  }
  process.exit(CRASH_EXIT_CODE);
}
