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

  const { checked, text } = checkWithLegacyNulls(env, parsed.value, expression);
  if (!checked.valid) {
    return err({ kind: 'type', message: checkMessage(checked.error) });
  }
  const outputType = fromCelJsTypeName(checked.type ?? 'dyn', objects);

  const program = buildProgram(text, evaluationEnvironment(omitEnabled), isBuiltin);
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
type Checked = ReturnType<Parsed['check']>;

/**
 * cel-go's checker keeps the legacy nullability of timestamp, duration, Any, message (object) and
 * opaque types: `job.status.completionTime != null` type-checks there, while `int != null`,
 * `string != null`, lists and maps do not. cel-js only declares `null == null`. When the check
 * fails on such a comparison, the non-null operand is wrapped in `dyn()` (which compares unequal
 * to null at run time, as cel-go's heterogeneous equality does) and the expression is checked
 * again; every other failure is reported unchanged. Returns the text the program must run.
 */
function checkWithLegacyNulls(
  env: Environment,
  first: Parsed,
  expression: string,
): { checked: Checked; text: string } {
  let parsed = first;
  let text = expression;
  for (let round = 0; round < 64; round++) {
    const checked = parsed.check();
    if (checked.valid) return { checked, text };
    const m = NULL_COMPARISON.exec(checked.error?.summary ?? '');
    const start = checked.error?.range?.start;
    if (!m || start === undefined) return { checked, text };
    const [, left = '', , right = ''] = m;
    const other = left === 'null' ? right : left;
    if ((left === 'null') === (right === 'null') || !isLegacyNullable(other)) return { checked, text };
    const node = findComparison(parsed.ast as unknown as AstNode, start);
    const operand = node?.args.find((a) => !isNullLiteral(a));
    if (!operand || operand.start === undefined || operand.end === undefined) return { checked, text };
    text = `${text.slice(0, operand.start)}dyn(${text.slice(operand.start, operand.end)})${text.slice(operand.end)}`;
    try {
      parsed = env.parse(text);
    } catch {
      return { checked, text: expression };
    }
  }
  return { checked: parsed.check(), text };
}

const NULL_COMPARISON = /^no such overload: (.+?) (==|!=) (.+)$/;
const NOT_NULLABLE = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'null', 'type']);

/** cel-go's isLegacyNullable: timestamp, duration, Any, messages (objects) and opaque types. */
function isLegacyNullable(celJsType: string): boolean {
  if (NOT_NULLABLE.has(celJsType)) return false;
  return !/^(list|map)</.test(celJsType) && celJsType !== 'dyn';
}

interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly start?: number;
  readonly end?: number;
}

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { op?: unknown }).op === 'string';
}

function isNullLiteral(n: AstNode): boolean {
  return n.op === 'value' && n.args === null;
}

/** The `==`/`!=` node starting at `start` that has a null literal operand. */
function findComparison(root: AstNode, start: number): (AstNode & { args: AstNode[] }) | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      stack.push(...(n as unknown[]));
      continue;
    }
    if (!isNode(n)) continue;
    if ((n.op === '==' || n.op === '!=') && n.start === start && Array.isArray(n.args)) {
      const args = n.args as unknown[];
      if (args.length === 2 && args.every(isNode) && args.some((a) => isNullLiteral(a as AstNode))) {
        return n as AstNode & { args: AstNode[] };
      }
    }
    if (Array.isArray(n.args)) stack.push(...(n.args as unknown[]));
  }
  return undefined;
}

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
