// Replacing cel-js built-ins with cel-go semantics.
//
// cel-js 8 ships its own versions of a few functions that cel-go has in its Strings extension and
// standard library (lowerAscii, upperAscii, trim, indexOf, lastIndexOf, substring, split,
// matches). They follow JavaScript rules: UTF-16 indices instead of code points, Unicode case
// mapping instead of ASCII-only, JavaScript whitespace for trim, and JavaScript RegExp instead of
// RE2. cel-js refuses to register a second overload with the same signature and offers no way to
// remove one, so kro-ts swaps the declaration objects inside the environment's registry.
//
// This reaches into cel-js internals (pinned at 8.0.0): the registry handed to macro expanders,
// its `functionCandidates()` lookup, the public `declarations` array of a candidate set, and the
// `FunctionDeclaration` constructor. Registries rebuild candidate sets from their parent's list
// of declarations when a clone registers a function, so `Candidates.prototype.add` is wrapped to
// substitute replaced declarations there too; the replacement therefore survives
// `Environment.clone()`. Every assumption is checked and a mismatch throws at start-up, so a
// cel-js upgrade that changes them fails loudly in tests, not silently in production.

interface FunctionDecl {
  readonly name: string;
  readonly signature: string;
  readonly receiverType: unknown;
  readonly returnType: unknown;
  readonly params: unknown[];
  readonly description: string | null;
}
interface CandidateSet {
  declarations: FunctionDecl[];
  add(decl: FunctionDecl): void;
}
export interface CelRegistry {
  functionCandidates(receiver: boolean, name: string, argCount: number): CandidateSet;
}
type FunctionDeclCtor = new (init: {
  name: string;
  receiverType: unknown;
  returnType: unknown;
  handler: (...args: never[]) => unknown;
  description: string | null;
  params: unknown[];
  async: boolean;
}) => FunctionDecl;

const replacements = new WeakMap<FunctionDecl, FunctionDecl>();
let addWrapped = false;

function assertRegistry(r: unknown): asserts r is CelRegistry {
  if (typeof (r as Partial<CelRegistry> | null)?.functionCandidates !== 'function') {
    throw new Error('cel-js internals changed: registry.functionCandidates is missing');
  }
}

let pendingCapture: ((registry: CelRegistry) => void) | undefined;

/** Called by kro-ts macro expanders with the parser they receive; see captureRegistry. */
export function offerParser(parser: unknown): void {
  if (!pendingCapture) return;
  const registry = (parser as { registry?: unknown } | null)?.registry;
  assertRegistry(registry);
  pendingCapture(registry);
}

/**
 * The registry of `env`, obtained by parsing `probeExpression`, which must expand one of the
 * kro-ts macros (they call offerParser).
 */
export function captureRegistry(
  env: { parse(expression: string): unknown },
  probeExpression: string,
): CelRegistry {
  let captured: CelRegistry | undefined;
  pendingCapture = (r) => {
    captured ??= r;
  };
  try {
    env.parse(probeExpression);
  } finally {
    pendingCapture = undefined;
  }
  if (!captured) throw new Error(`cel-js internals changed: "${probeExpression}" exposed no registry`);
  return captured;
}

function wrapAdd(set: CandidateSet): void {
  if (addWrapped) return;
  const proto = Object.getPrototypeOf(set) as CandidateSet;
  const original = proto.add;
  if (typeof original !== 'function') throw new Error('cel-js internals changed: Candidates.add');
  proto.add = function add(this: CandidateSet, decl: FunctionDecl): void {
    original.call(this, replacements.get(decl) ?? decl);
  };
  addWrapped = true;
}

export interface Override {
  /** Exact cel-js signature of the built-in, e.g. `string.indexOf(string, int): int`. */
  readonly signature: string;
  readonly handler: (...args: never[]) => unknown;
}

function parseKey(signature: string): { receiver: boolean; name: string; argCount: number } {
  const m = /^(?:([\w.<>]+)\.)?(\w+)\(([^)]*)\):/.exec(signature);
  if (!m) throw new Error(`invalid override signature: ${signature}`);
  const args = (m[3] ?? '').trim();
  return {
    receiver: m[1] !== undefined,
    name: m[2] ?? '',
    argCount: args === '' ? 0 : args.split(',').length,
  };
}

/** Replaces built-in function overloads of the registry by kro-ts implementations. */
export function overrideBuiltins(registry: CelRegistry, overrides: readonly Override[]): void {
  for (const o of overrides) {
    const key = parseKey(o.signature);
    const set = registry.functionCandidates(key.receiver, key.name, key.argCount);
    if (!Array.isArray(set.declarations)) {
      throw new Error('cel-js internals changed: Candidates.declarations is not an array');
    }
    wrapAdd(set);
    const index = set.declarations.findIndex((d) => d.signature === o.signature);
    const original = set.declarations[index];
    if (!original) throw new Error(`cel-js has no built-in ${o.signature} to replace`);
    const ctor = original.constructor as FunctionDeclCtor;
    const replacement = new ctor({
      name: original.name,
      receiverType: original.receiverType,
      returnType: original.returnType,
      handler: o.handler,
      description: original.description,
      params: original.params,
      async: false,
    });
    replacements.set(original, replacement);
    set.declarations[index] = replacement;
  }
}
