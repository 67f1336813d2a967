// cel-go two-variable comprehensions (ext.TwoVarComprehensions): all, exists, existsOne
// (alias exists_one), transformList, transformMap and transformMapEntry over lists (index,
// value) and maps (key, value). all/exists absorb an error when another element decides the
// result, as cel-go's && and || do; the others stop at the first error.
import { ParseError, type ASTNode, type Environment } from '@marcbachmann/cel-js';
import { chargeBudget, checkCollectionSize } from './limits.js';
import {
  defineMacro,
  sync,
  type CelTypeDecl,
  type Checker,
  type CheckContext,
  type Evaluator,
  type MacroInput,
  type OverlayContext,
} from './macro.js';
import { buildMap, mapPut } from './maps-util.js';
import { celError, celEquals, isList, isMap, mapEntries } from './values.js';

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

interface TwoVarMacro {
  readonly kind: Kind;
  readonly name: string;
  readonly receiver: ASTNode;
  readonly var1: string;
  readonly var2: string;
  readonly filter: ASTNode | undefined;
  readonly body: ASTNode;
  ctx1?: OverlayContext;
  ctx2?: OverlayContext;
}

function varName(node: ASTNode | undefined, label: string): string {
  if (node?.op === 'id') return node.args;
  throw new ParseError({
    code: 'invalid_macro_argument',
    message: `${label}() argument must be a simple name`,
    ...(node ? { node } : {}),
  });
}

/** The (first, second) variable types for iterating over a value of type `t`. */
function iterationTypes(chk: Checker, t: CelTypeDecl, node: ASTNode): [CelTypeDecl, CelTypeDecl] {
  if (t.kind === 'list') return [chk.getType('int'), t.valueType];
  if (t.kind === 'map') return [t.keyType, t.valueType];
  if (t.kind === 'dyn') return [t, t];
  throw chk.createError(
    'invalid_comprehension_range',
    `expression of type '${t.name}' cannot be range of a comprehension (must be list, map, or dynamic)`,
    node,
  );
}

export function* iteratePairs(target: unknown): Generator<[unknown, unknown]> {
  if (isList(target)) {
    for (let i = 0; i < target.length; i++) yield [BigInt(i), target[i]];
    return;
  }
  if (isMap(target)) {
    yield* mapEntries(target);
    return;
  }
  throw celError(`cannot iterate over a value that is not a list or map`);
}

function expectBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  throw celError('no such overload', 'no_matching_overload');
}

function typeCheck(chk: Checker, m: TwoVarMacro, ctx: CheckContext): CelTypeDecl {
  const [t1, t2] = iterationTypes(chk, chk.check(m.receiver, ctx), m.receiver);
  m.ctx1 = ctx.forkWithVariable(m.var1, t1);
  m.ctx2 = m.ctx1.forkWithVariable(m.var2, t2);
  const expectBoolType = (node: ASTNode, what: string): void => {
    const t = chk.check(node, m.ctx2 as OverlayContext);
    if (t.kind !== 'dyn' && t.name !== 'bool') {
      throw chk.createError(
        'invalid_macro_argument',
        `${m.name}() ${what} must return bool, got '${t.name}'`,
        node,
      );
    }
  };
  if (m.filter) expectBoolType(m.filter, 'filter');
  switch (m.kind) {
    case 'all':
    case 'exists':
    case 'existsOne':
      expectBoolType(m.body, 'predicate');
      return chk.getType('bool');
    case 'transformList':
      return chk.registry.getListType(chk.check(m.body, m.ctx2));
    case 'transformMap':
      return chk.registry.getMapType(t1, chk.check(m.body, m.ctx2));
    case 'transformMapEntry': {
      const t = chk.check(m.body, m.ctx2);
      if (t.kind !== 'map' && t.kind !== 'dyn') {
        throw chk.createError(
          'invalid_macro_argument',
          `${m.name}() transform must return a map, got '${t.name}'`,
          m.body,
        );
      }
      return t.kind === 'map' ? t : chk.registry.getMapType(t, t);
    }
  }
}

function quantify(
  ev: Evaluator,
  m: TwoVarMacro,
  pairs: Iterable<[unknown, unknown]>,
  bind: (k: unknown, v: unknown) => OverlayContext,
): boolean {
  const decisive = m.kind === 'exists';
  let firstError: unknown;
  for (const [k, v] of pairs) {
    chargeBudget(1);
    try {
      if (expectBool(sync(ev.run(m.body, bind(k, v)))) === decisive) return decisive;
    } catch (e) {
      firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
  return !decisive;
}

function evaluate(ev: Evaluator, m: TwoVarMacro, ctx: unknown): unknown {
  const target = sync(ev.run(m.receiver, ctx));
  const c1 = (m.ctx1 as OverlayContext).reuse(ctx);
  const c2 = (m.ctx2 as OverlayContext).reuse(c1);
  const bind = (k: unknown, v: unknown): OverlayContext => {
    c1.setIterValue(k, ev);
    return c2.setIterValue(v, ev);
  };
  const pairs = iteratePairs(target);
  if (m.kind === 'all' || m.kind === 'exists') return quantify(ev, m, pairs, bind);
  const keep = (c: OverlayContext): boolean => !m.filter || expectBool(sync(ev.run(m.filter, c)));
  if (m.kind === 'existsOne') {
    let count = 0;
    for (const [k, v] of pairs) {
      chargeBudget(1);
      if (expectBool(sync(ev.run(m.body, bind(k, v))))) count++;
    }
    return count === 1;
  }
  if (m.kind === 'transformList') {
    const out: unknown[] = [];
    for (const [k, v] of pairs) {
      chargeBudget(1);
      const c = bind(k, v);
      if (keep(c)) out.push(sync(ev.run(m.body, c)));
    }
    checkCollectionSize(out.length);
    return out;
  }
  const entries: [unknown, unknown][] = [];
  for (const [k, v] of pairs) {
    chargeBudget(1);
    const c = bind(k, v);
    if (!keep(c)) continue;
    const produced = sync(ev.run(m.body, c));
    if (m.kind === 'transformMap') mapPut(entries, k, produced);
    else {
      if (!isMap(produced)) throw celError('no such overload', 'no_matching_overload');
      for (const [k2, v2] of mapEntries(produced)) {
        if (entries.some(([e]) => celEquals(e, k2))) {
          throw celError(`insert failed: key ${String(k2)} already exists`);
        }
        entries.push([k2, v2]);
      }
    }
    checkCollectionSize(entries.length);
  }
  return buildMap(entries);
}

function expander(kind: Kind, name: string, withFilter: boolean) {
  return defineMacro<TwoVarMacro>(({ args, receiver, ast }: MacroInput) => {
    const var1 = varName(args[0], name);
    const var2 = varName(args[1], name);
    if (var1 === var2) {
      throw new ParseError({
        code: 'invalid_macro_argument',
        message: `duplicate variable name: ${var1}`,
        node: ast,
      });
    }
    const filter = withFilter ? args[2] : undefined;
    const body = args[withFilter ? 3 : 2] as ASTNode;
    return { kind, name, receiver: receiver as ASTNode, var1, var2, filter, body, typeCheck, evaluate };
  });
}

export function registerComprehensions(env: Environment): void {
  const three = 'dyn.NAME(ast, ast, ast): RET';
  const four = 'dyn.NAME(ast, ast, ast, ast): RET';
  const sig = (tpl: string, name: string, ret: string): string =>
    tpl.replace('NAME', name).replace('RET', ret);
  env.registerFunction(sig(three, 'all', 'bool'), expander('all', 'all', false));
  env.registerFunction(sig(three, 'exists', 'bool'), expander('exists', 'exists', false));
  env.registerFunction(sig(three, 'existsOne', 'bool'), expander('existsOne', 'existsOne', false));
  env.registerFunction(sig(three, 'exists_one', 'bool'), expander('existsOne', 'exists_one', false));
  for (const [kind, ret] of [
    ['transformList', 'list<dyn>'],
    ['transformMap', 'map<dyn, dyn>'],
    ['transformMapEntry', 'map<dyn, dyn>'],
  ] as const) {
    env.registerFunction(sig(three, kind, ret), expander(kind, kind, false));
    env.registerFunction(sig(four, kind, ret), expander(kind, kind, true));
  }
}
