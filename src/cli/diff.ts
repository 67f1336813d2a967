import type { CommandContext, ExitCodeValue } from './io.js';
export interface DiffOptions {
  readonly oldFile: string;
  readonly newFile: string;
  readonly instances: readonly string[];
  readonly crdPaths: readonly string[];
  readonly observedDir?: string | undefined;
}
export function runDiff(_ctx: CommandContext, _o: DiffOptions): Promise<ExitCodeValue> {
  return Promise.resolve(1);
}
