// kro-ts's CEL function libraries: everything spec 03 §3.2–3.4 adds on top of the CEL core
// language, registered on a cel-js Environment. One file per library; this file only wires them.
//
// Invariants: every function is pure and synchronous; long-running ones charge the evaluation
// budget and respect the size bounds (limits.ts); errors are cel-js EvaluationErrors whose
// messages follow cel-go's wording. Built-ins that cel-js implements with JavaScript semantics
// are replaced by cel-go-compatible ones (engine.ts), which also survives Environment.clone().
import type { Environment } from '@marcbachmann/cel-js';
import { registerComprehensions } from './comprehensions.js';
import { registerEncoders } from './encoders.js';
import { captureRegistry, overrideBuiltins } from './engine.js';
import { registerHash } from './hash.js';
import { registerIp } from './ip.js';
import { registerJson } from './json.js';
import { registerLists } from './lists.js';
import { registerMaps } from './maps.js';
import { registerOmit } from './omit.js';
import { registerOmitComparison, registerOpaqueEquality } from './opaque-ops.js';
import { registerOptionals } from './optionals.js';
import { registerQuantity } from './quantity.js';
import { registerRandom } from './random.js';
import { registerRuntime } from './runtime.js';
import { regexOverrides, registerRegex } from './regex.js';
import { registerSemver } from './semver.js';
import { registerStrings, stringOverrides } from './strings.js';
import { registerTimeStrings } from './time-strings.js';
import { registerUrl } from './url.js';

export { OMIT, isOmit } from './omit.js';
export { KRO_NAMESPACES } from './namespace.js';

export interface KroLibraryOptions {
  /** Register `omit()` (feature gate CELOmitFunction). */
  readonly omitEnabled: boolean;
}

/**
 * Registers every kro-ts CEL library on `env`, a fresh Environment created with
 * `enableOptionalTypes: true`, and returns it. Call it once per base environment, before
 * cloning; clones inherit the functions and the replaced built-ins.
 */
export function registerKroLibraries(env: Environment, options: KroLibraryOptions): Environment {
  registerComprehensions(env);
  registerStrings(env);
  registerLists(env);
  registerOptionals(env);
  registerEncoders(env);
  registerRegex(env);
  registerUrl(env);
  registerQuantity(env);
  registerIp(env);
  registerSemver(env);
  registerHash(env);
  registerJson(env);
  registerRandom(env);
  registerRuntime(env);
  registerMaps(env);
  registerTimeStrings(env);
  registerOpaqueEquality(env, [
    'kubernetes.Quantity',
    'kubernetes.URL',
    'net.IP',
    'net.CIDR',
    'kubernetes.Semver',
  ]);
  if (options.omitEnabled) {
    registerOmit(env);
    registerOmitComparison(env);
  }
  // The two-variable comprehension macro hands us the registry (see engine.ts).
  const registry = captureRegistry(env, '[].transformList(i, v, v)');
  overrideBuiltins(registry, [...stringOverrides, ...regexOverrides]);
  return env;
}
