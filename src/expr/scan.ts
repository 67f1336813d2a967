// The `${...}` scanner (spec/03 §1). It only finds expressions and splits the string around them;
// it knows nothing of CEL beyond its literal forms, which it must skip so that braces and `${`
// inside string literals stay plain text. Pure; never throws for user input.

import { err, ok } from '../lib/result.js';
import type { Result } from '../lib/result.js';

/** One `${...}` occurrence: `text` is the CEL source between `${` and `}`, untrimmed. */
export interface ExpressionSpan {
  readonly text: string;
  /** Offset of `$` in the scanned string (UTF-16 code units). */
  readonly start: number;
  /** Offset just past the closing `}`. */
  readonly end: number;
}

export interface ScannedString {
  readonly expressions: readonly ExpressionSpan[];
  /**
   * The text around the expressions: always `expressions.length + 1` entries, so the string is
   * `literalParts[0] + ${e0} + literalParts[1] + ...`. Empty when there are no expressions.
   */
  readonly literalParts: readonly string[];
  /** True when the whole string is exactly one `${...}`, nothing before or after. */
  readonly standalone: boolean;
}

export type ScanIssueCode = 'NestedExpression' | 'UnterminatedExpression';

export interface ScanIssue {
  readonly code: ScanIssueCode;
  readonly message: string;
  readonly offset: number;
}

export const NESTED_EXPRESSION_MESSAGE = 'nested expressions are not allowed unless inside string literals';

export function unterminatedMessage(offset: number): string {
  return `unterminated expression: "\${" at offset ${offset} has no matching "}"`;
}

/** Fast check used by walkers to skip the common case of a plain string. */
export function mayContainExpression(s: string): boolean {
  return s.includes('${');
}

export function scanString(s: string): Result<ScannedString, ScanIssue> {
  const expressions: ExpressionSpan[] = [];
  const literalParts: string[] = [];
  let cursor = 0;
  for (;;) {
    const start = s.indexOf('${', cursor);
    if (start < 0) break;
    const end = findExpressionEnd(s, start + 2);
    if (typeof end !== 'number') {
      const offset = end.nestedAt ?? start;
      return err(
        end.nestedAt === undefined
          ? { code: 'UnterminatedExpression', message: unterminatedMessage(start), offset }
          : { code: 'NestedExpression', message: NESTED_EXPRESSION_MESSAGE, offset },
      );
    }
    literalParts.push(s.slice(cursor, start));
    expressions.push({ text: s.slice(start + 2, end), start, end: end + 1 });
    cursor = end + 1;
  }
  if (expressions.length === 0) return ok({ expressions, literalParts: [], standalone: false });
  literalParts.push(s.slice(cursor));
  const first = expressions[0];
  const standalone =
    expressions.length === 1 && first !== undefined && first.start === 0 && first.end === s.length;
  return ok({ expressions, literalParts, standalone });
}

/**
 * Returns the offset of the `}` closing an expression whose body starts at `from`, or a failure:
 * `nestedAt` set for a `${` outside literals, unset when the end of input came first.
 */
function findExpressionEnd(s: string, from: number): number | { nestedAt?: number } {
  let depth = 1;
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "'") {
      const after = skipLiteral(s, i);
      if (after < 0) return {};
      i = after;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    } else if (c === '$' && s[i + 1] === '{') {
      return { nestedAt: i };
    }
    i++;
  }
  return {};
}

/**
 * Skips a CEL string or bytes literal whose opening quote is at `q`; returns the offset just past
 * it, or -1 when it is not closed. Raw literals (`r"..."`) have no escapes.
 */
function skipLiteral(s: string, q: number): number {
  const quote = s[q] as '"' | "'";
  const raw = isRawPrefix(s, q);
  const triple = s.startsWith(quote.repeat(3), q);
  const closing = triple ? quote.repeat(3) : quote;
  let i = q + closing.length;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && !raw) {
      i += 2;
      continue;
    }
    if (s.startsWith(closing, i)) return i + closing.length;
    i++;
  }
  return -1;
}

const PREFIX_CHARS = new Set(['r', 'R', 'b', 'B']);
const IDENT_CHAR = /[A-Za-z0-9_]/;

/** True when the quote at `q` is preceded by a literal prefix containing r/R (r, rb, br, ...). */
function isRawPrefix(s: string, q: number): boolean {
  let k = q - 1;
  let raw = false;
  let n = 0;
  while (k >= 0 && n < 2 && PREFIX_CHARS.has(s[k] as string)) {
    if (s[k] === 'r' || s[k] === 'R') raw = true;
    k--;
    n++;
  }
  if (n === 0) return false;
  // A prefix glued to a longer identifier (`attr"x"`) is not a prefix; CEL would reject it anyway.
  if (k >= 0 && IDENT_CHAR.test(s[k] as string)) return false;
  return raw;
}
