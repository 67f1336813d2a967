// Loads `spec.schema.types` (spec 02 §4): parse every type, order them by their dependencies,
// report cycles, then build each in dependency order so a type can inline the ones it uses.
// kro stops at the first error; here every type is tried and a type that failed (or uses one
// that failed) is skipped silently by its users, so one mistake yields one issue.

import type { OpenApiSchema } from '../api/openapi.js';
import { issue } from '../lib/issue.js';
import { isPlainObject } from '../lib/json.js';
import type { BuildContext, FieldLocation, ResolvedType } from './build-field.js';
import { ISSUE_CODE, buildField, buildObject, goTypeName, report } from './build-field.js';
import { parseTypeExpression, splitFieldString, typeDependencies } from './type-expr.js';

export const TYPES_PATH = 'spec.schema.types';

export interface LoadedTypes {
  readonly types: Map<string, ResolvedType>;
  readonly failed: Set<string>;
  readonly declared: Set<string>;
}

export function loadCustomTypes(defs: Record<string, unknown>, issues: BuildContext['issues']): LoadedTypes {
  const names = Object.keys(defs).sort();
  const loaded: LoadedTypes = { types: new Map(), failed: new Set(), declared: new Set(names) };
  const ctx: BuildContext = { ...loaded, issues };

  const deps = new Map<string, string[]>();
  for (const name of names) {
    const at: FieldLocation = { path: `${TYPES_PATH}.${name}`, prefix: `parsing type ${name}: ` };
    const found = parseDeps(ctx, defs[name], at);
    if (found === undefined) loaded.failed.add(name);
    else deps.set(name, [...new Set(found.filter((d) => loaded.declared.has(d)))].sort());
  }

  for (const cycle of findCycles(deps)) {
    const first = cycle[0] ?? '';
    issues.push(
      issue({
        code: ISSUE_CODE,
        path: `${TYPES_PATH}.${first}`,
        message: `cyclic dependency in type ${first}: graph contains a cycle: ${cycle.join(' -> ')}`,
      }),
    );
    for (const n of cycle) loaded.failed.add(n);
  }

  for (const name of topologicalOrder(deps, loaded.failed)) {
    const built = buildCustomType(ctx, name, defs[name]);
    if (built === undefined) loaded.failed.add(name);
    else loaded.types.set(name, built);
  }
  return loaded;
}

/** Grammar check of one type definition; returns the custom names it uses, or undefined on error. */
function parseDeps(ctx: BuildContext, def: unknown, at: FieldLocation): string[] | undefined {
  if (typeof def === 'string') {
    const parsed = parseTypeExpression(splitFieldString(def).typeText);
    if (!parsed.ok) {
      report(ctx, at, parsed.error);
      return undefined;
    }
    return typeDependencies(parsed.value);
  }
  if (isPlainObject(def)) {
    const all: string[] = [];
    let okAll = true;
    for (const [name, value] of Object.entries(def)) {
      const found = parseDeps(ctx, value, {
        path: `${at.path}.${name}`,
        prefix: `${at.prefix}field ${name}: `,
      });
      if (found === undefined) okAll = false;
      else all.push(...found);
    }
    return okAll ? all : undefined;
  }
  report(ctx, at, `unexpected type: ${goTypeName(def)}`);
  return undefined;
}

function buildCustomType(ctx: BuildContext, name: string, def: unknown): ResolvedType | undefined {
  const at: FieldLocation = { path: `${TYPES_PATH}.${name}`, prefix: `building schema for ${name}: ` };
  if (isPlainObject(def)) {
    // A struct type is never required by itself; its own fields' markers decide.
    const built = buildObject(ctx, def, at);
    return built.complete && built.schema ? { schema: built.schema, required: false } : undefined;
  }
  // An alias: markers apply to the type; `required=true` lands in a throwaway parent list.
  const parentRequired: string[] = [];
  const built = buildField(ctx, { name, value: def, parentRequired, at });
  if (!built.complete || built.schema === undefined) return undefined;
  return { schema: built.schema satisfies OpenApiSchema, required: parentRequired.length > 0 };
}

/**
 * Every dependency cycle once, each starting at its alphabetically first type and following
 * sorted edges, so messages do not depend on declaration order (kro's depend on map order).
 */
function findCycles(deps: ReadonlyMap<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const inCycle = new Set<string>();
  for (const start of [...deps.keys()].sort()) {
    if (inCycle.has(start)) continue;
    const path = findPathBack(deps, start);
    if (path === undefined) continue;
    cycles.push(path);
    for (const n of path) inCycle.add(n);
  }
  return cycles;
}

/** A path start -> … -> start, if there is one (depth-first, sorted edges). */
function findPathBack(deps: ReadonlyMap<string, string[]>, start: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (node: string, path: string[]): string[] | undefined => {
    for (const next of deps.get(node) ?? []) {
      if (next === start) return [...path, start];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/** Kahn's algorithm with alphabetical tie-breaks; failed types and their edges are left out. */
function topologicalOrder(deps: ReadonlyMap<string, string[]>, failed: ReadonlySet<string>): string[] {
  const pending = new Map<string, Set<string>>();
  for (const [name, ds] of deps) {
    if (!failed.has(name)) pending.set(name, new Set(ds.filter((d) => !failed.has(d))));
  }
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending.entries()]
      .filter(([, ds]) => ds.size === 0)
      .map(([n]) => n)
      .sort();
    // Cannot happen once cycles are removed; guards against an endless loop all the same.
    if (ready.length === 0) break;
    for (const n of ready) {
      order.push(n);
      pending.delete(n);
      for (const ds of pending.values()) ds.delete(n);
    }
  }
  return order;
}
