// List functions: cel-go's Lists extension (slice, flatten, lists.range, distinct, reverse, sort,
// sortBy), the Kubernetes lists library (isSorted, sum, min, max, indexOf, lastIndexOf) and
// kro's index functions (lists.setAtIndex, insertAtIndex, removeAtIndex).
import { ParseError, type ASTNode, type Environment } from '@marcbachmann/cel-js';
import { chargeBudget, checkCollectionSize } from './limits.js';
import {
  defineMacro,
  sync,
  type Checker,
  type CheckContext,
  type Evaluator,
  type OverlayContext,
} from './macro.js';
import { registerNamespaced } from './namespace.js';
import {
  celCompare,
  celError,
  celEquals,
  celTypeName,
  durationNanos,
  isDuration,
  isUint,
  MAX_INT64,
  MIN_INT64,
  newDuration,
  newUint,
  noSuchOverload,
} from './values.js';

const CEL_GO_MAX_RANGE = 1_000_000n;

function slice(list: unknown[], start: bigint, end: bigint): unknown[] {
  if (start < 0n || end < 0n) {
    throw celError(`cannot slice(${start}, ${end}), negative indexes not supported`);
  }
  if (start > end) {
    throw celError(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
  }
  if (BigInt(list.length) < end) {
    throw celError(`cannot slice(${start}, ${end}), list is length ${list.length}`);
  }
  return list.slice(Number(start), Number(end));
}

function flatten(list: unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw celError('level must be non-negative');
  const out: unknown[] = [];
  const walk = (l: unknown[], d: bigint): void => {
    for (const v of l) {
      chargeBudget(1);
      if (Array.isArray(v) && d > 0n) walk(v, d - 1n);
      else out.push(v);
    }
    checkCollectionSize(out.length);
  };
  walk(list, depth);
  return out;
}

function range(n: bigint): bigint[] {
  if (n < 0n) throw celError(`lists.range: size must be non-negative, got ${n}`);
  if (n > CEL_GO_MAX_RANGE) {
    throw celError(`lists.range: size ${n} exceeds maximum allowed (${CEL_GO_MAX_RANGE})`);
  }
  checkCollectionSize(Number(n));
  chargeBudget(Number(n));
  return Array.from({ length: Number(n) }, (_, i) => BigInt(i));
}

function distinct(list: unknown[]): unknown[] {
  chargeBudget(list.length);
  const out: unknown[] = [];
  for (const v of list) {
    chargeBudget(out.length);
    if (!out.some((o) => celEquals(v, o))) out.push(v);
  }
  return out;
}

/** Stable sort of `list` by `keys` (same length), which must be comparable and of one type. */
export function sortByKeys(list: unknown[], keys: unknown[]): unknown[] {
  if (list.length !== keys.length) {
    throw celError(
      `@sortByAssociatedKeys() expected a list of the same size as the associated keys list, but got ${list.length} and ${keys.length} elements respectively`,
    );
  }
  if (list.length === 0) return list;
  const first = keys[0];
  if (celCompare(first, first) === undefined) throw celError('list elements must be comparable');
  const type = celTypeName(first);
  for (const k of keys) {
    if (celTypeName(k) !== type) throw celError('list elements must have the same type');
  }
  chargeBudget(list.length * Math.ceil(Math.log2(list.length + 1)));
  const order = list.map((_, i) => i);
  order.sort((a, b) => celCompare(keys[a], keys[b]) ?? 0);
  return order.map((i) => list[i]);
}

function isSorted(list: unknown[]): boolean {
  for (let i = 1; i < list.length; i++) {
    const c = celCompare(list[i - 1], list[i]);
    if (c === undefined) throw noSuchOverload('isSorted', list[i]);
    if (c > 0) return false;
  }
  return true;
}

function addChecked(acc: unknown, v: unknown): unknown {
  if (typeof acc === 'bigint' && typeof v === 'bigint') {
    const s = acc + v;
    if (s > MAX_INT64 || s < MIN_INT64) throw celError('integer overflow', 'numeric_overflow');
    return s;
  }
  if (isUint(acc) && isUint(v)) return newUint(acc.value + v.value);
  if (typeof acc === 'number' && typeof v === 'number') return acc + v;
  if (isDuration(acc) && isDuration(v)) return newDuration(durationNanos(acc) + durationNanos(v));
  throw noSuchOverload('_+_', acc, v);
}

function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  return list.slice(1).reduce(addChecked, list[0]);
}

function extreme(name: 'min' | 'max', list: unknown[]): unknown {
  if (list.length === 0) throw celError(`${name} called on empty list`);
  let best = list[0];
  for (const v of list.slice(1)) {
    const c = celCompare(best, v);
    if (c === undefined) throw noSuchOverload(name, v);
    if ((name === 'min' && c > 0) || (name === 'max' && c < 0)) best = v;
  }
  return best;
}

function indexOfList(list: unknown[], item: unknown, last: boolean): bigint {
  if (last) {
    for (let i = list.length - 1; i >= 0; i--) if (celEquals(list[i], item)) return BigInt(i);
    return -1n;
  }
  const i = list.findIndex((v) => celEquals(v, item));
  return BigInt(i);
}

function bounds(fn: string, i: bigint, size: number, inclusive: boolean): void {
  if (i < 0n || i > BigInt(size) || (!inclusive && i === BigInt(size))) {
    throw celError(`lists.${fn}: index ${i} out of bounds [0, ${size}${inclusive ? ']' : ')'}`);
  }
}

function setAtIndex(list: unknown[], i: bigint, v: unknown): unknown[] {
  bounds('setAtIndex', i, list.length, false);
  const out = list.slice();
  out[Number(i)] = v;
  return out;
}

function insertAtIndex(list: unknown[], i: bigint, v: unknown): unknown[] {
  bounds('insertAtIndex', i, list.length, true);
  checkCollectionSize(list.length + 1);
  const out = list.slice();
  out.splice(Number(i), 0, v);
  return out;
}

function removeAtIndex(list: unknown[], i: bigint): unknown[] {
  bounds('removeAtIndex', i, list.length, false);
  const out = list.slice();
  out.splice(Number(i), 1);
  return out;
}

interface SortByMacro {
  readonly receiver: ASTNode;
  readonly variable: string;
  readonly key: ASTNode;
  ctx?: OverlayContext;
}

const sortByMacro = defineMacro<SortByMacro>(({ args, receiver, ast }) => {
  const v = args[0];
  if (v?.op !== 'id') {
    throw new ParseError({
      code: 'invalid_macro_argument',
      message: 'sortBy(var, key) variable name must be a simple identifier',
      node: v ?? ast,
    });
  }
  return {
    receiver: receiver as ASTNode,
    variable: v.args,
    key: args[1] as ASTNode,
    typeCheck(chk: Checker, m: SortByMacro, ctx: CheckContext) {
      const t = chk.check(m.receiver, ctx);
      if (t.kind !== 'list' && t.kind !== 'dyn') {
        throw chk.createError(
          'invalid_macro_argument',
          `sortBy() receiver must be a list, got '${t.name}'`,
          m.receiver,
        );
      }
      m.ctx = ctx.forkWithVariable(m.variable, t.kind === 'list' ? t.valueType : t);
      chk.check(m.key, m.ctx);
      return t.kind === 'list' ? t : chk.registry.getListType(t);
    },
    evaluate(ev: Evaluator, m: SortByMacro, ctx: unknown) {
      const list = sync(ev.run(m.receiver, ctx));
      if (!Array.isArray(list)) throw noSuchOverload('sortBy', list);
      const c = (m.ctx as OverlayContext).reuse(ctx);
      const keys = list.map((item) => {
        chargeBudget(1);
        return sync(ev.run(m.key, c.setIterValue(item, ev)));
      });
      return sortByKeys(list, keys);
    },
  };
});

export function registerLists(env: Environment): void {
  // cel-go Lists extension.
  env.registerFunction('list<A>.slice(int, int): list<A>', slice);
  env.registerFunction('list<list<A>>.flatten(): list<A>', (l: unknown[]) => flatten(l, 1n));
  env.registerFunction('list<dyn>.flatten(): list<dyn>', (l: unknown[]) => flatten(l, 1n));
  env.registerFunction('list<dyn>.flatten(int): list<dyn>', flatten);
  registerNamespaced(env, 'lists.range(int): list<int>', range);
  env.registerFunction('list<A>.distinct(): list<A>', distinct);
  env.registerFunction('list<A>.reverse(): list<A>', (l: unknown[]) => l.slice().reverse());
  env.registerFunction('list<A>.sort(): list<A>', (l: unknown[]) => sortByKeys(l, l));
  env.registerFunction('dyn.sortBy(ast, ast): list<dyn>', sortByMacro);
  // Kubernetes lists library.
  env.registerFunction('list<A>.isSorted(): bool', isSorted);
  env.registerFunction('list<A>.sum(): A', sum);
  env.registerFunction('list<A>.min(): A', (l: unknown[]) => extreme('min', l));
  env.registerFunction('list<A>.max(): A', (l: unknown[]) => extreme('max', l));
  env.registerFunction('list<A>.indexOf(A): int', (l: unknown[], v: unknown) => indexOfList(l, v, false));
  env.registerFunction('list<A>.lastIndexOf(A): int', (l: unknown[], v: unknown) => indexOfList(l, v, true));
  // kro lists library.
  registerNamespaced(env, 'lists.setAtIndex(list<A>, int, A): list<A>', setAtIndex);
  registerNamespaced(env, 'lists.insertAtIndex(list<A>, int, A): list<A>', insertAtIndex);
  registerNamespaced(env, 'lists.removeAtIndex(list<A>, int): list<A>', removeAtIndex);
}
