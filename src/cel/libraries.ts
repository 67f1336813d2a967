// The function libraries (src/cel/lib/, owned separately) and the one built-in replacement the
// core owns: `matches` with RE2 semantics and linear-time matching (spec 03 §3.1), instead of
// cel-js's JavaScript RegExp, which can backtrack exponentially on a user's pattern.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { captureRegistry, overrideBuiltins } from './lib/engine.js';
import { registerKroLibraries } from './lib/index.js';

const patterns = new Map<string, RE2JS>();
const PATTERN_CACHE_LIMIT = 256;

function compilePattern(re: string): RE2JS {
  let p = patterns.get(re);
  if (p === undefined) {
    try {
      p = RE2JS.compile(re);
    } catch (e) {
      throw new EvaluationError({
        code: 'invalid_argument',
        // re2js already words it the Go way: `error parsing regexp: ...`.
        message: (e as Error).message,
      });
    }
    if (patterns.size >= PATTERN_CACHE_LIMIT) patterns.clear();
    patterns.set(re, p);
  }
  return p;
}

/** CEL `matches`: true when the RE2 pattern matches any part of `s`. */
export function re2Matches(s: string, re: string): boolean {
  return compilePattern(re).test(s);
}

/** Registers the kro libraries and the RE2 `matches` on a fresh base environment. */
export function registerLibraries(env: Environment, options: { omitEnabled: boolean }): Environment {
  registerKroLibraries(env, options);
  const registry = captureRegistry(env, '[].transformList(i, v, v)');
  overrideBuiltins(registry, [{ signature: 'string.matches(string): bool', handler: re2Matches }]);
  // cel-go also has the global form `matches(s, re)`; cel-js has only the method.
  const hasGlobal = env
    .getDefinitions()
    .functions.some((f) => f.name === 'matches' && f.receiverType === null);
  if (!hasGlobal) env.registerFunction('matches(string, string): bool', re2Matches);
  return env;
}
