// cel-go optional-type helpers that cel-js lacks: optional.ofNonZeroValue, optMap, optFlatMap,
// l.first(), l.last(), optional.unwrap / unwrapOpt. (`or`, `orValue`, `optional.of/none`,
// `hasValue`, `value` and the `.?`/`[?]` syntax are cel-js built-ins.)
import { Optional, ParseError, type ASTNode, type Environment } from '@marcbachmann/cel-js';
import {
  defineMacro,
  sync,
  type CelTypeDecl,
  type Checker,
  type CheckContext,
  type Evaluator,
  type OverlayContext,
} from './macro.js';
import { celError, durationNanos, isBytes, isDuration, isMap, isUint, mapSize } from './values.js';

/** cel-go's traits.Zeroer: the zero value of each type is "empty" for ofNonZeroValue. */
export function isZeroValue(v: unknown): boolean {
  if (v === null || v === false || v === 0n || v === 0 || v === '') return true;
  if (isUint(v)) return v.value === 0n;
  if (isBytes(v) || Array.isArray(v)) return v.length === 0;
  if (isDuration(v)) return durationNanos(v) === 0n;
  if (v instanceof Date) return v.getTime() === 0;
  if (isMap(v)) return mapSize(v) === 0;
  return false;
}

interface OptMapMacro {
  readonly flat: boolean;
  readonly receiver: ASTNode;
  readonly variable: string;
  readonly body: ASTNode;
  ctx?: OverlayContext;
}

function optMapExpander(flat: boolean) {
  const name = flat ? 'optFlatMap' : 'optMap';
  return defineMacro<OptMapMacro>(({ args, receiver, ast }) => {
    const v = args[0];
    if (v?.op !== 'id') {
      throw new ParseError({
        code: 'invalid_macro_argument',
        message: `${name}() variable name must be a simple identifier`,
        node: v ?? ast,
      });
    }
    return {
      flat,
      receiver: receiver as ASTNode,
      variable: v.args,
      body: args[1] as ASTNode,
      typeCheck(chk: Checker, m: OptMapMacro, ctx: CheckContext): CelTypeDecl {
        const t = chk.check(m.receiver, ctx);
        if (t.kind !== 'optional' && t.kind !== 'dyn') {
          throw chk.createError(
            'optional_expected',
            `${name}() receiver must be optional, got '${t.name}'`,
            m.receiver,
          );
        }
        m.ctx = ctx.forkWithVariable(m.variable, t.kind === 'optional' ? t.valueType : t);
        const bodyType = chk.check(m.body, m.ctx);
        if (!m.flat) return chk.registry.getOptionalType(bodyType);
        if (bodyType.kind !== 'optional' && bodyType.kind !== 'dyn') {
          throw chk.createError(
            'optional_expected',
            `${name}() expression must return an optional, got '${bodyType.name}'`,
            m.body,
          );
        }
        return bodyType.kind === 'optional' ? bodyType : chk.registry.getOptionalType(bodyType);
      },
      evaluate(ev: Evaluator, m: OptMapMacro, ctx: unknown): unknown {
        const target = sync(ev.run(m.receiver, ctx));
        if (!(target instanceof Optional))
          throw celError(`${name}() receiver must be optional`, 'optional_expected');
        if (!target.hasValue()) return Optional.none();
        const c = (m.ctx as OverlayContext).reuse(ctx).setIterValue(target.value(), ev);
        const result = sync(ev.run(m.body, c));
        if (!m.flat) return Optional.of(result);
        if (!(result instanceof Optional))
          throw celError(`${name}() expression must return an optional`, 'optional_expected');
        return result;
      },
    };
  });
}

function unwrap(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const o of list) {
    if (!(o instanceof Optional)) throw celError('optional.unwrap: list elements must be optional');
    if (o.hasValue()) out.push(o.value());
  }
  return out;
}

export function registerOptionals(env: Environment): void {
  env.registerFunction('OptionalNamespace.ofNonZeroValue(A): optional<A>', (_ns: unknown, v: unknown) =>
    isZeroValue(v) ? Optional.none() : Optional.of(v),
  );
  env.registerFunction('OptionalNamespace.unwrap(list<optional<A>>): list<A>', (_ns: unknown, l: unknown[]) =>
    unwrap(l),
  );
  env.registerFunction('list<optional<A>>.unwrapOpt(): list<A>', unwrap);
  env.registerFunction('dyn.optMap(ast, ast): optional<dyn>', optMapExpander(false));
  env.registerFunction('dyn.optFlatMap(ast, ast): optional<dyn>', optMapExpander(true));
  env.registerFunction('list<A>.first(): optional<A>', (l: unknown[]) =>
    l.length === 0 ? Optional.none() : Optional.of(l[0]),
  );
  env.registerFunction('list<A>.last(): optional<A>', (l: unknown[]) =>
    l.length === 0 ? Optional.none() : Optional.of(l[l.length - 1]),
  );
}
