// Direct access to a cel-js environment's type registry, for declaring many object types cheaply.
//
// cel-js's public registerType costs ~100 µs per type and registers a `type(<T>): type` overload
// whose overlap check makes it quadratic: declaring the 13,000 object types of 40 Kubernetes
// kinds took 30 s. Type checking needs only the registry's `objectTypes` entry of each type (its
// field types), so kro-ts writes those entries itself: one registerType of a carrier type makes
// every name known, then each entry is set with its fields resolved through `getType`.
//
// This relies on cel-js 8.0.0 internals: the parser handed to macro expanders carries the
// environment's registry; the registry has `objectTypes` (a Map) and `getType`; a type
// declaration carries `typeType`. Each assumption is checked so an upgrade fails loudly.
import type { Environment } from '@marcbachmann/cel-js';

interface TypeDecl {
  readonly name: string;
  readonly kind: string;
}
interface ObjectTypeEntry {
  readonly name: string;
  readonly typeType: unknown;
  readonly type: TypeDecl;
  readonly ctor: unknown;
  readonly fields: Record<string, TypeDecl>;
}
interface Registry {
  readonly objectTypes: Map<string, ObjectTypeEntry>;
  getType(name: string): TypeDecl;
}

const PROBE = '__kro_registry_probe';
let captured: Registry | undefined;

/** Declares the probe macro on a base environment (before it is cloned). */
export function registerRegistryProbe(env: Environment): void {
  env.registerFunction(`${PROBE}(ast): dyn`, (input: { parser?: { registry?: unknown } }) => {
    captured = input.parser?.registry as Registry | undefined;
    return {
      typeCheck: (checker: { getType(n: string): unknown }) => checker.getType('dyn'),
      evaluate: () => {
        throw new Error(`${PROBE} is internal`);
      },
    };
  });
}

function registryOf(env: Environment): Registry {
  captured = undefined;
  env.parse(`${PROBE}(0)`);
  const r = captured as Registry | undefined;
  captured = undefined;
  if (!r || !(r.objectTypes instanceof Map) || typeof r.getType !== 'function') {
    throw new Error('cel-js internals changed: cannot reach the type registry');
  }
  return r;
}

class Carrier {}
let carrierCount = 0;

/**
 * Declares object types (name → field name → cel-js type string) on `env` for type checking.
 * The types have no runtime constructor: the environment must only be used to check.
 */
export function declareObjectTypes(
  env: Environment,
  types: ReadonlyMap<string, Readonly<Record<string, string>>>,
): void {
  if (types.size === 0) return;
  const registry = registryOf(env);
  // One carrier type whose fields name every object type makes all the names known at once.
  const carrierName = `__kro_types_${++carrierCount}`;
  const carrierFields = Object.create(null) as Record<string, string>;
  for (const name of types.keys()) carrierFields[name] = name;
  env.registerType(carrierName, { ctor: Carrier, fields: carrierFields });
  const carrier = registry.objectTypes.get(carrierName);
  if (carrier?.typeType === undefined) {
    throw new Error('cel-js internals changed: registered type has no typeType');
  }
  const TypeCtor = (carrier.typeType as object).constructor as new (name: string) => unknown;
  for (const [name, fieldTypes] of types) {
    const fields = Object.create(null) as Record<string, TypeDecl>;
    for (const [field, typeName] of Object.entries(fieldTypes)) {
      fields[field] = registry.getType(typeName);
    }
    const type = registry.getType(name);
    if (type.kind !== 'message') throw new Error(`cel-js internals changed: ${name} is ${type.kind}`);
    registry.objectTypes.set(
      name,
      Object.freeze({ name, typeType: new TypeCtor(name), type, ctor: undefined, fields }),
    );
  }
  registry.objectTypes.delete(carrierName);
}
