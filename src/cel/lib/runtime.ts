// kro v0.9.4's `runtime` library for author-defined instance conditions (status.conditions):
//   runtime.newCondition({type: 'X', status: 'True', reason: '…', message: '…'})
//   runtime.condition(obj, 'Type')   → obj.status.conditions[type == 'Type'], or an empty Condition
// newCondition takes a map literal with bare identifier keys (type and status required; reason
// and message optional; no others, no repeats); literal values are checked when parsing, computed
// ones when evaluating. Conditions are values of the object type kro.run.Condition with four
// string fields. Only the graph decides where `runtime` may appear (status.conditions).
import { ParseError, type ASTNode, type Environment } from '@marcbachmann/cel-js';
import {
  defineMacro,
  sync,
  type CelTypeDecl,
  type Checker,
  type CheckContext,
  type Evaluator,
} from './macro.js';
import { namespaceType } from './namespace.js';
import { celError, celTypeName, isList, isMap, mapEntries } from './values.js';

export const CONDITION_TYPE_NAME = 'kro.run.Condition';
export const RUNTIME_NAME = 'runtime';
export const CONDITION_STATUSES: ReadonlySet<string> = new Set(['True', 'False', 'Unknown']);
const KEYS = ['type', 'status', 'reason', 'message'] as const;
type Key = (typeof KEYS)[number];

/** A CEL Condition value. */
export class CelCondition {
  constructor(
    readonly type: string,
    readonly status: string,
    readonly reason: string,
    readonly message: string,
  ) {}
}

interface NewConditionMacro {
  readonly entries: readonly (readonly [Key, ASTNode])[];
}

function parseFail(message: string, node: ASTNode): never {
  throw new ParseError({ code: 'invalid_macro_argument', message, node });
}

function literalString(node: ASTNode): string | undefined {
  return node.op === 'value' && typeof node.args === 'string' ? node.args : undefined;
}

const newConditionMacro = defineMacro<NewConditionMacro>(({ args, ast }) => {
  const arg = args[0];
  if (arg?.op !== 'map') parseFail('runtime.newCondition: argument must be a map literal', arg ?? ast);
  const entries: [Key, ASTNode][] = [];
  for (const pair of arg.args as unknown as [ASTNode, ASTNode][]) {
    const [key, value] = pair;
    if (key.op !== 'id') {
      parseFail(
        'runtime.newCondition: keys must be bare identifiers (type, status, reason, message); quoted or computed keys are not allowed',
        key,
      );
    }
    const name = key.args as string;
    if (!(KEYS as readonly string[]).includes(name)) {
      parseFail(`runtime.newCondition: unknown key "${name}" (allowed: type, status, reason, message)`, key);
    }
    if (entries.some(([k]) => k === name)) parseFail(`runtime.newCondition: duplicate key "${name}"`, key);
    entries.push([name as Key, value]);
  }
  for (const required of ['type', 'status'] as const) {
    if (!entries.some(([k]) => k === required))
      parseFail(`runtime.newCondition: '${required}' is required`, arg);
  }
  for (const [k, v] of entries) {
    const lit = literalString(v);
    if (k === 'status' && lit !== undefined && !CONDITION_STATUSES.has(lit)) {
      parseFail(`runtime.newCondition: status must be one of True, False, Unknown (got "${lit}")`, v);
    }
    if (k === 'type' && lit === '') parseFail('runtime.newCondition: type must not be empty', v);
  }
  return {
    entries,
    typeCheck(chk: Checker, m: NewConditionMacro, ctx: CheckContext): CelTypeDecl {
      for (const [k, v] of m.entries) {
        const t = chk.check(v, ctx);
        if (t.kind !== 'dyn' && t.name !== 'string') {
          throw chk.createError(
            'invalid_argument',
            `runtime.newCondition: ${k} must be a string, got ${t.name}`,
            v,
          );
        }
      }
      return chk.getType(CONDITION_TYPE_NAME);
    },
    evaluate(ev: Evaluator, m: NewConditionMacro, ctx: unknown): unknown {
      const got: Partial<Record<Key, string>> = {};
      for (const [k, v] of m.entries) {
        const value = sync(ev.run(v, ctx));
        if (typeof value !== 'string') {
          throw celError(`runtime.newCondition: ${k} must be a string, got ${celTypeName(value)}`);
        }
        got[k] = value;
      }
      if (got.type === '') throw celError('runtime.newCondition: type must not be empty');
      if (!CONDITION_STATUSES.has(got.status ?? '')) {
        throw celError(
          `runtime.newCondition: status must be one of True, False, Unknown (got "${got.status ?? ''}")`,
        );
      }
      return new CelCondition(got.type ?? '', got.status ?? '', got.reason ?? '', got.message ?? '');
    },
  };
});

function field(m: unknown, key: string): unknown {
  if (!isMap(m)) return undefined;
  for (const [k, v] of mapEntries(m)) if (k === key) return v;
  return undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** runtime.condition(obj, type): the named condition of obj.status.conditions, or an empty one. */
export function lookupCondition(obj: unknown, wanted: string): CelCondition {
  if (!isMap(obj)) throw celError(`runtime.condition: obj must be an object, got ${celTypeName(obj)}`);
  const status = field(obj, 'status');
  if (status === undefined) return new CelCondition('', '', '', '');
  if (!isMap(status)) throw celError('runtime.condition: obj.status must be an object');
  const conditions = field(status, 'conditions');
  if (conditions === undefined) return new CelCondition('', '', '', '');
  if (!isList(conditions)) throw celError('runtime.condition: obj.status.conditions must be a list');
  for (const c of conditions) {
    const cond =
      c instanceof CelCondition
        ? c
        : isMap(c)
          ? new CelCondition(
              str(field(c, 'type')),
              str(field(c, 'status')),
              str(field(c, 'reason')),
              str(field(c, 'message')),
            )
          : undefined;
    if (cond === undefined)
      throw celError(`runtime.condition: unexpected condition element type ${celTypeName(c)}`);
    if (cond.type === wanted) return cond;
  }
  return new CelCondition('', '', '', '');
}

export function registerRuntime(env: Environment): void {
  env.registerType(CONDITION_TYPE_NAME, {
    ctor: CelCondition,
    fields: { type: 'string', status: 'string', reason: 'string', message: 'string' },
  });
  const ns = namespaceType(env, RUNTIME_NAME);
  env.registerFunction(`${ns}.newCondition(ast): ${CONDITION_TYPE_NAME}`, newConditionMacro);
  env.registerFunction(
    `${ns}.condition(dyn, string): ${CONDITION_TYPE_NAME}`,
    (_ns: unknown, obj: unknown, t: string) => lookupCondition(obj, t),
  );
}
