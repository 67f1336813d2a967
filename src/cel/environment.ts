// CEL environments. One base environment per `omitEnabled` value holds the standard library,
// macros, optional types and kro's libraries (createCelEnvironment, the only construction); it
// is built once and only ever cloned.
//
// Type checking and evaluation use different clones:
// - a *typed* clone per variable set declares the variables from their OpenAPI schemas (object
//   types, maps, lists) and is used only to check expressions; these are cached by variable
//   names + schema identity, so the graph compiler can compile hundreds of expressions against
//   the same declarations without re-registering types;
// - one *evaluation* clone per base treats every variable as dyn. Activation values are plain
//   CEL values from toCel (already typed per schema), so no conversion into cel-js object
//   wrappers is needed at run time and one evaluation environment serves every RGD.
import { Environment, type EnvironmentOptions } from '@marcbachmann/cel-js';
import type { OpenApiSchema } from '../api/openapi.js';
import { TypeDeclarer } from './declarations.js';
import { LruTtlCache } from '../lib/lru-cache.js';
import { registerKroLibraries } from './lib/index.js';
import { registerRegistryProbe } from './registry-access.js';
import { schemaFingerprint } from './fingerprint.js';

/** Parse limits (spec 03 §8.3); the code-point limit is checked before parsing. */
export const MAX_EXPRESSION_CODE_POINTS = 100_000;
export const MAX_NESTING_DEPTH = 250;
export const MAX_AST_NODES = 100_000;

const BASE_OPTIONS: EnvironmentOptions = {
  unlistedVariablesAreDyn: false,
  // cel-go (as kro configures it) joins mixed element types of a literal to dyn instead of
  // rejecting them; cel-js's homogeneous mode would also reject `[dynValue, 1]`.
  homogeneousAggregateLiterals: false,
  enableOptionalTypes: true,
  limits: {
    maxAstNodes: MAX_AST_NODES,
    maxDepth: MAX_NESTING_DEPTH,
    // Literal sizes are bounded by the AST node limit; cel-go has no separate literal limits.
    maxListElements: MAX_AST_NODES,
    maxMapEntries: MAX_AST_NODES,
    maxCallArguments: 1_000,
  },
};

/**
 * The one construction of a CEL environment with kro's libraries (the one registration point,
 * lib/index.ts): the operator's and the CLI's environments below, and the reference battery and
 * library tests, all start here.
 */
export function createCelEnvironment(options: { omitEnabled: boolean }): Environment {
  return registerKroLibraries(new Environment(BASE_OPTIONS), options);
}

interface BaseEnvironments {
  readonly base: Environment;
  readonly evaluation: Environment;
  readonly functionNames: ReadonlySet<string>;
}

const bases = new Map<boolean, BaseEnvironments>();

function baseEnvironments(omitEnabled: boolean): BaseEnvironments {
  let b = bases.get(omitEnabled);
  if (b === undefined) {
    const base = createCelEnvironment({ omitEnabled });
    registerRegistryProbe(base);
    const functionNames = new Set(base.getDefinitions().functions.map((f) => f.name));
    const evaluation = base.clone({ unlistedVariablesAreDyn: true });
    b = { base, evaluation, functionNames };
    bases.set(omitEnabled, b);
  }
  return b;
}

/** The shared evaluation environment: every variable is dyn (values are already typed). */
export function evaluationEnvironment(omitEnabled: boolean): Environment {
  return baseEnvironments(omitEnabled).evaluation;
}

/** True for names the environment itself defines (type names, `optional`, `cel`, namespaces). */
export function isBuiltinName(name: string, omitEnabled: boolean): boolean {
  return baseEnvironments(omitEnabled).base.hasVariable(name);
}

/** True when some function or method of that name exists (any receiver, any arity). */
export function isKnownFunction(name: string, omitEnabled: boolean): boolean {
  return baseEnvironments(omitEnabled).functionNames.has(name);
}

export interface TypedEnvironment {
  readonly env: Environment;
  readonly variables: ReadonlySet<string>;
  readonly objects: ReadonlyMap<string, OpenApiSchema>;
}

export type TypedEnvironmentResult =
  { readonly ok: true; readonly value: TypedEnvironment } | { readonly ok: false; readonly message: string };

// Enough for every distinct variable set of a few large RGDs; each entry holds only declarations.
const CACHE_LIMIT = 512;
const typedCache = new LruTtlCache<string, TypedEnvironmentResult>({ maxEntries: CACHE_LIMIT });

/**
 * The type-checking environment for a variable set, from the cache when possible. An environment
 * declaring more variables serves too (same name, same schema object): unknown identifiers are
 * found by walking the AST against the requested set, so extra declarations never leak. This
 * lets `readyWhen` (own id only) reuse the environment built for the templates (all ids).
 */
export function typedEnvironment(
  variables: Readonly<Record<string, { readonly schema: OpenApiSchema | undefined }>>,
  omitEnabled: boolean,
): TypedEnvironmentResult {
  const names = Object.keys(variables).sort();
  const ids = names.map((n) => schemaFingerprint(variables[n]?.schema));
  const key = (omitEnabled ? '1' : '0') + names.map((n, i) => `|${n}:${ids[i]}`).join('');
  const cached = typedCache.get(key) ?? findSuperset(names, ids, omitEnabled);
  if (cached !== undefined) {
    typedCache.set(key, cached);
    return cached;
  }
  const result = buildTypedEnvironment(names, variables, omitEnabled);
  typedCache.set(key, result);
  if (result.ok) {
    supersets.unshift({ omitEnabled, schemaIds: new Map(names.map((n, i) => [n, ids[i] ?? ''])), result });
    if (supersets.length > SUPERSET_CANDIDATES) supersets.pop();
  }
  return result;
}

interface SupersetCandidate {
  readonly omitEnabled: boolean;
  readonly schemaIds: ReadonlyMap<string, string>;
  readonly result: TypedEnvironmentResult;
}

// The most recently built environments, searched for one that declares a superset.
const SUPERSET_CANDIDATES = 16;
const supersets: SupersetCandidate[] = [];

function findSuperset(
  names: readonly string[],
  ids: readonly string[],
  omitEnabled: boolean,
): TypedEnvironmentResult | undefined {
  for (const c of supersets) {
    if (c.omitEnabled !== omitEnabled) continue;
    if (names.every((n, i) => c.schemaIds.get(n) === ids[i])) return c.result;
  }
  return undefined;
}

function buildTypedEnvironment(
  names: readonly string[],
  variables: Readonly<Record<string, { readonly schema: OpenApiSchema | undefined }>>,
  omitEnabled: boolean,
): TypedEnvironmentResult {
  const { base } = baseEnvironments(omitEnabled);
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return { ok: false, message: `invalid variable name "${name}"` };
    }
    if (base.hasVariable(name)) {
      return { ok: false, message: `variable "${name}" conflicts with a built-in CEL name` };
    }
  }
  const env = base.clone();
  const declarer = new TypeDeclarer();
  const types = names.map((n) => declarer.variableType(n, variables[n]?.schema));
  try {
    declarer.registerTypes(env);
    names.forEach((n, i) => env.registerVariable(n, types[i] ?? 'dyn'));
  } catch (e) {
    return { ok: false, message: `cannot declare variables: ${(e as Error).message}` };
  }
  return { ok: true, value: { env, variables: new Set(names), objects: declarer.objects } };
}
