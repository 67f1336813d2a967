// kro-ts's CEL function libraries: everything spec 03 §3.2–3.4 adds on top of the CEL core
// language, registered on a cel-js Environment. One file per library; this file only wires them.
//
// Invariants: every function is pure and synchronous; long-running ones charge the evaluation
// budget and respect the size bounds (limits.ts); errors are cel-js EvaluationErrors whose
// messages follow cel-go's wording. Built-ins that cel-js implements with JavaScript semantics
// are replaced by cel-go-compatible ones (engine.ts), which also survives Environment.clone().
import type { Environment } from '@marcbachmann/cel-js';
import { registerComprehensions } from './comprehensions.js';
import { captureRegistry, overrideBuiltins } from './engine.js';
import { registerLists } from './lists.js';
import { registerOptionals } from './optionals.js';
import { registerStrings, stringOverrides } from './strings.js';

export interface KroLibraryOptions {
  /** Register `omit()` (feature gate CELOmitFunction). */
  readonly omitEnabled: boolean;
}

/**
 * Registers every kro-ts CEL library on `env`, a fresh Environment created with
 * `enableOptionalTypes: true`, and returns it. Call it once per base environment, before
 * cloning; clones inherit the functions and the replaced built-ins.
 */
export function registerKroLibraries(env: Environment, _options: KroLibraryOptions): Environment {
  registerComprehensions(env);
  registerStrings(env);
  registerLists(env);
  registerOptionals(env);
  // The two-variable comprehension macro hands us the registry (see engine.ts).
  const registry = captureRegistry(env, '[].transformList(i, v, v)');
  overrideBuiltins(registry, stringOverrides);
  return env;
}
