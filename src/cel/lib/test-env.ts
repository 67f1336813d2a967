// Test helper: a fresh environment with every kro-ts library, and an evaluate shortcut.
import { Environment } from '@marcbachmann/cel-js';
import { registerKroLibraries } from './index.js';

export function newTestEnv(omitEnabled = true): Environment {
  return registerKroLibraries(
    new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false }),
    { omitEnabled },
  );
}

const shared = newTestEnv();

export function celEval(expr: string, ctx: Record<string, unknown> = {}): unknown {
  return shared.evaluate(expr, ctx);
}
