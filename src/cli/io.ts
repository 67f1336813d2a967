// The CLI's only contact with the outside world besides the files it is told to read: two
// output sinks and the exit code. main.ts wires process streams; tests capture strings.

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Exit codes of spec 05 §12. */
export const ExitCode = {
  ok: 0,
  invalid: 1,
  usage: 2,
  changes: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A user-facing failure that is not a compile issue (unreadable file, bad YAML, wrong kind). */
export class CliError extends Error {
  readonly code = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.invalid,
  ) {
    super(message);
  }
}

/** Options shared by every command besides its own flags. */
export interface CommandContext {
  readonly io: CliIo;
  /** Directory of group-version schema documents; the bundled schemas when undefined. */
  readonly schemaDir?: string | undefined;
}

export function lines(io: CliIo, text: readonly string[]): void {
  if (text.length > 0) io.out(text.join('\n') + '\n');
}
