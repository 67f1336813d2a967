// The small slice of cel-js's macro protocol kro-ts relies on. A macro is a function overload
// with `ast` parameters; its expander runs at parse time and returns hooks that cel-js calls
// when type-checking (`typeCheck(checker, macro, ctx)`) and evaluating (`evaluate(ev, macro,
// ctx)`). Variables a macro binds live in overlay contexts forked from the caller's context at
// check time and re-parented to the caller's context at each evaluation, as cel.bind does.
import type { ASTNode } from '@marcbachmann/cel-js';
import { offerParser } from './engine.js';
import { celError } from './values.js';

export interface CelTypeDecl {
  readonly kind: string;
  readonly name: string;
  readonly valueType: CelTypeDecl;
  readonly keyType: CelTypeDecl;
}
export interface CheckContext {
  forkWithVariable(name: string, type: CelTypeDecl): OverlayContext;
}
export interface OverlayContext extends CheckContext {
  reuse(parent: unknown): OverlayContext;
  setIterValue(value: unknown, ev: Evaluator): OverlayContext;
}
export interface Checker {
  check(node: ASTNode, ctx: CheckContext): CelTypeDecl;
  getType(name: string): CelTypeDecl;
  createError(code: string, message: string, node?: ASTNode): Error;
  readonly registry: {
    getListType(t: CelTypeDecl): CelTypeDecl;
    getMapType(k: CelTypeDecl, v: CelTypeDecl): CelTypeDecl;
    getOptionalType(t: CelTypeDecl): CelTypeDecl;
  };
}
export interface Evaluator {
  run(node: ASTNode, ctx: unknown): unknown;
}
export interface MacroInput {
  readonly ast: ASTNode;
  readonly args: ASTNode[];
  readonly receiver: ASTNode | null;
  readonly parser: unknown;
}
export interface MacroHooks<M> {
  typeCheck(checker: Checker, macro: M, ctx: CheckContext): CelTypeDecl;
  evaluate(ev: Evaluator, macro: M, ctx: unknown): unknown;
}

/** Wraps an expander: exposes the parser to engine.ts and marks the macro synchronous. */
export function defineMacro<M extends object>(
  expand: (input: MacroInput) => M & MacroHooks<M>,
): (input: MacroInput) => M & MacroHooks<M> & { async: false } {
  return (input) => {
    offerParser(input.parser);
    return Object.assign(expand(input), { async: false as const });
  };
}

export function identifierName(node: ASTNode | undefined, message: string): string {
  if (node?.op === 'id') return node.args;
  throw Object.assign(celError(message, 'invalid_macro_argument'));
}

/** kro-ts functions are synchronous; a Promise here means an async function leaked in. */
export function sync<T>(v: T): T {
  if (v instanceof Promise) throw celError('asynchronous functions are not supported in kro-ts macros');
  return v;
}
