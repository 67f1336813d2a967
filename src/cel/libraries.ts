// Hook for the function libraries (src/cel/lib/, owned separately). The environment factory calls
// registerKroLibraries once per base environment. Until src/cel/lib/index.ts exists this is a
// no-op stub so that the core compiles and its tests run on the standard library alone.
import type { Environment } from '@marcbachmann/cel-js';

export function registerKroLibraries(
  env: Environment,
  _options: { omitEnabled: boolean },
): Environment {
  return env;
}
