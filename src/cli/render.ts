import type { CommandContext, ExitCodeValue } from './io.js';
export interface RenderOptions {
  readonly rgdFile: string;
  readonly instanceFile: string;
  readonly crdPaths: readonly string[];
  readonly observedDir?: string | undefined;
}
export function runRender(_ctx: CommandContext, _o: RenderOptions): Promise<ExitCodeValue> {
  return Promise.resolve(1);
}
