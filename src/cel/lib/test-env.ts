// Test helper: the production CEL environment construction (every kro-ts library), and an
// evaluate shortcut.
import type { Environment } from '@marcbachmann/cel-js';
import { createCelEnvironment } from '../environment.js';

export function newTestEnv(omitEnabled = true): Environment {
  return createCelEnvironment({ omitEnabled });
}

const shared = newTestEnv();

export function celEval(expr: string, ctx: Record<string, unknown> = {}): unknown {
  return shared.evaluate(expr, ctx);
}
