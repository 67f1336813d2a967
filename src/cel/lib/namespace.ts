// Qualified global functions (`lists.range`, `base64.encode`, `hash.sha256`, ...). cel-js
// resolves `a.b(x)` as a method call on the identifier `a`, the way its own `optional.of` and
// `cel.bind` work, so each namespace is a constant of a private type and its functions are
// methods of that type. A consequence: these names are taken as variables in the environment.
import type { Environment } from '@marcbachmann/cel-js';

const registered = new WeakMap<Environment, Set<string>>();

/** Namespace prefixes kro-ts registers as constants; they cannot be resource ids or variables. */
export const KRO_NAMESPACES = ['strings', 'lists', 'base64', 'hash', 'json', 'random', 'ip'] as const;

/** Ensures namespace `name` exists on `env`; returns the receiver type to register methods on. */
export function namespaceType(env: Environment, name: string): string {
  const typeName = `kro.namespace.${name}`;
  let seen = registered.get(env);
  if (!seen) registered.set(env, (seen = new Set()));
  if (!seen.has(name)) {
    class Namespace {}
    env.registerType(typeName, Namespace);
    env.registerConstant(name, typeName, new Namespace());
    seen.add(name);
  }
  return typeName;
}

/**
 * Registers `ns.fn(args): ret` as a method of the namespace type; the handler receives only
 * the real arguments.
 */
export function registerNamespaced(
  env: Environment,
  signature: string,
  handler: (...args: never[]) => unknown,
): void {
  const m = /^(\w+)\.(.*)$/.exec(signature);
  if (!m) throw new Error(`not a namespaced signature: ${signature}`);
  const type = namespaceType(env, m[1] ?? '');
  env.registerFunction(`${type}.${m[2] ?? ''}`, (_ns: unknown, ...args: unknown[]) =>
    (handler as (...a: unknown[]) => unknown)(...args),
  );
}
