// compileExpression: parse, resolve identifiers and functions, type-check against the variables'
// OpenAPI schemas, and prepare the instrumented program. Compile time never throws for user
// mistakes; it returns the first issue found, in the order kro reports them: limits and syntax,
// unknown identifiers, unknown functions, types.
import { ParseError, type Environment } from '@marcbachmann/cel-js';
import type { OpenApiSchema } from '../api/openapi.js';
import { err, ok, type Result } from '../lib/result.js';
import {
  type CelNode,
  type ConditionCalls,
  collectConditionCalls,
  collectReferences,
  exceedsDepth,
} from './ast.js';
import {
  MAX_AST_NODES,
  MAX_EXPRESSION_CODE_POINTS,
  MAX_NESTING_DEPTH,
  evaluationEnvironment,
  isBuiltinName,
  isKnownFunction,
  typedEnvironment,
} from './environment.js';
import { RUNTIME_NAME } from './lib/runtime.js';
import { translateCheckMessage } from './messages.js';
import { buildProgram } from './program.js';
import { type CelType, fromCelJsTypeName } from './types.js';

export interface VariableDecl {
  /** The variable's OpenAPI schema; for collections `{type: 'array', items: itemSchema}`. */
  readonly schema: OpenApiSchema;
}

export interface CompileOptions {
  readonly variables: Readonly<Record<string, VariableDecl>>;
  /** The `CELOmitFunction` feature gate: declares `omit()`. */
  readonly omitEnabled?: boolean;
  /**
   * Allow the `runtime` library (author conditions). Elsewhere `runtime` is reported as an
   * unknown identifier, so the caller can say where it belongs.
   */
  readonly allowRuntime?: boolean;
}

export interface CelCompileIssue {
  readonly kind: 'parse' | 'unknown-identifiers' | 'unknown-functions' | 'type' | 'limit';
  readonly message: string;
  readonly names?: string[];
}

export interface EvaluateOptions {
  /** Wall-clock budget in milliseconds; defaults to the process setting (100); 0 disables. */
  readonly timeoutMs?: number;
}

export interface CompiledExpression {
  /** The user's text (inside `${}`). */
  readonly expression: string;
  readonly outputType: CelType;
  /** Free root identifiers, sorted and unique; names bound by macros/cel.bind excluded. */
  readonly references: readonly string[];
  /** Functions called, sorted and unique (`omit`, `string`, `lists.range`, `filter`, ...). */
  readonly functions: readonly string[];
  /** Literal condition types and schema lookups (only with `allowRuntime`). */
  readonly conditionCalls?: ConditionCalls;
  /**
   * Evaluates against CEL values (see toCel) and returns a CEL value (see fromCel).
   * Throws DataPendingError, ExpressionError or BudgetExceededError.
   */
  evaluate(activation: Record<string, unknown>, opts?: EvaluateOptions): unknown;
}

export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A surrogate pair is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function compileExpression(
  expression: string,
  options: CompileOptions,
): Result<CompiledExpression, CelCompileIssue> {
  if (
    expression.length > MAX_EXPRESSION_CODE_POINTS &&
    codePointLength(expression) > MAX_EXPRESSION_CODE_POINTS
  ) {
    return err({
      kind: 'limit',
      message: `expression exceeds the maximum length of ${MAX_EXPRESSION_CODE_POINTS} code points`,
    });
  }
  const omitEnabled = options.omitEnabled ?? false;
  const typed = typedEnvironment(options.variables, omitEnabled);
  if (!typed.ok) return err({ kind: 'type', message: typed.message });
  const { env, variables, objects } = typed.value;

  const parsed = parse(env, expression);
  if (!parsed.ok) return parsed;
  if (exceedsDepth(parsed.value.ast as unknown as CelNode, MAX_NESTING_DEPTH)) return err(DEPTH_ISSUE);
  const isBuiltin = (name: string): boolean => isBuiltinName(name, omitEnabled);
  // `runtime` is a library constant, but it counts as a reference so that its use is visible.
  const isBuiltinRef = (name: string): boolean => name !== RUNTIME_NAME && isBuiltin(name);
  const refs = collectReferences(parsed.value.ast as unknown as CelNode, isBuiltinRef);
  const allowRuntime = options.allowRuntime === true;

  // Check against what the caller declared, not the (possibly cached, larger) environment's set.
  const unknown = refs.identifiers.filter(
    (n) =>
      !(allowRuntime && n === RUNTIME_NAME) && (!Object.hasOwn(options.variables, n) || !variables.has(n)),
  );
  if (unknown.length > 0) {
    return err({
      kind: 'unknown-identifiers',
      message: `references unknown identifiers: [${unknown.join(', ')}]`,
      names: unknown,
    });
  }
  const unknownFns = [
    ...new Set(refs.calls.filter((c) => !isKnownFunction(c.name, omitEnabled)).map((c) => c.display)),
  ].sort();
  if (unknownFns.length > 0) {
    return err({
      kind: 'unknown-functions',
      message: `uses unknown functions: [${unknownFns.join(', ')}]`,
      names: unknownFns,
    });
  }

  const checked = parsed.value.check();
  if (!checked.valid) {
    return err({ kind: 'type', message: checkMessage(checked.error) });
  }
  const outputType = fromCelJsTypeName(checked.type ?? 'dyn', objects);

  const program = buildProgram(expression, evaluationEnvironment(omitEnabled), isBuiltin);
  if (!program.ok) return err({ kind: 'type', message: program.message });
  const run = program.value;

  return ok(
    Object.freeze({
      expression,
      outputType,
      references: Object.freeze(refs.identifiers.filter((n) => n !== RUNTIME_NAME)),
      functions: Object.freeze(refs.functions),
      ...(allowRuntime
        ? { conditionCalls: collectConditionCalls(parsed.value.ast as unknown as CelNode) }
        : {}),
      evaluate: (activation: Record<string, unknown>, opts?: EvaluateOptions) =>
        run.evaluate(activation, opts?.timeoutMs),
    }),
  );
}

type Parsed = ReturnType<Environment['parse']>;

const DEPTH_ISSUE: CelCompileIssue = {
  kind: 'limit',
  message: `expression exceeds the maximum nesting depth of ${MAX_NESTING_DEPTH}`,
};

function parse(env: Environment, expression: string): Result<Parsed, CelCompileIssue> {
  try {
    return ok(env.parse(expression));
  } catch (e) {
    if (e instanceof ParseError) return err(parseIssue(e, expression));
    // cel-js recurses without a depth guard on chains of unary operators.
    if (e instanceof RangeError) return err(DEPTH_ISSUE);
    throw e;
  }
}

function parseIssue(e: ParseError, expression: string): CelCompileIssue {
  if (e.code === 'limit_exceeded') {
    if (e.summary.includes('maxDepth')) return DEPTH_ISSUE;
    if (e.summary.includes('maxAstNodes')) {
      return {
        kind: 'limit',
        message: `expression exceeds the maximum of ${MAX_AST_NODES} AST nodes`,
      };
    }
    return { kind: 'limit', message: `expression exceeds a parse limit: ${e.summary}` };
  }
  const at = e.range ? ` at ${lineColumn(expression, e.range.start)}` : '';
  return { kind: 'parse', message: `syntax error${at}: ${e.summary}` };
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

function checkMessage(error: { summary?: string; range?: { start: number } } | undefined): string {
  return translateCheckMessage(error?.summary ?? 'type error');
}
