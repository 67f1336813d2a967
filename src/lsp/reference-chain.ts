// The reference under an editor's cursor inside one CEL expression: `schema.spec.values.tag`,
// `deployment.status.conditions[0].type`, `data["app.kubernetes.io/name"]`. Editors ask about a
// position, not a parsed tree, and the text is often mid-edit (`schema.spec.`), so this reads the
// select/index chain around the cursor from the text itself; type checking stays with cel/.

export interface ChainSegment {
  /** A field name or map key, or a list index. */
  readonly name: string | number;
  /** Offsets in the expression text: the name itself (for `[...]`, the brackets). */
  readonly start: number;
  readonly end: number;
}

export interface ReferenceChain {
  /** segments[0] is the root identifier. */
  readonly segments: readonly ChainSegment[];
  /** Index of the segment the cursor is on. */
  readonly at: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

/** The chain whose segment contains `cursor` (offset in `expr`), when it is a plain reference. */
export function chainAt(expr: string, cursor: number): ReferenceChain | undefined {
  if (insideStringLiteral(expr, cursor)) return undefined;
  const start = chainStart(expr, cursor);
  if (start < 0) return undefined;
  const segments = parseChain(expr, start, chainEnd(expr, cursor));
  if (!segments || segments.length === 0) return undefined;
  const at = segments.findIndex((s) => cursor >= s.start && cursor <= s.end);
  return at < 0 ? undefined : { segments, at };
}

export interface PartialChain {
  /** Complete segments before the one being typed (root first); empty when typing the root. */
  readonly parents: readonly ChainSegment[];
  /** The identifier being typed up to the cursor, and where it starts. */
  readonly partial: string;
  readonly partialStart: number;
}

/** For completion: the chain that ends at `cursor`, its last identifier possibly incomplete. */
export function partialChainAt(expr: string, cursor: number): PartialChain | undefined {
  if (insideStringLiteral(expr, cursor)) return undefined;
  let partialStart = cursor;
  while (partialStart > 0 && IDENT.test(expr[partialStart - 1] as string)) partialStart--;
  const partial = expr.slice(partialStart, cursor);
  if (partial !== '' && !IDENT_START.test(partial[0] as string)) return undefined;
  let dot = partialStart;
  if (expr[dot - 1] === '?' && expr[dot - 2] === '.') dot -= 2;
  else if (expr[dot - 1] === '.') dot -= 1;
  else return isChainBoundary(expr, partialStart) ? { parents: [], partial, partialStart } : undefined;
  const start = chainStart(expr, dot);
  if (start < 0) return undefined;
  const parents = parseChain(expr, start, dot);
  if (!parents || parents.length === 0) return undefined;
  return { parents, partial, partialStart };
}

/** Parses `root(.name|.?name|[index]|["key"])*` spanning exactly [start, end). */
export function parseChain(expr: string, start: number, end: number): ChainSegment[] | undefined {
  const out: ChainSegment[] = [];
  let i = start;
  const ident = (): boolean => {
    const s = i;
    if (!IDENT_START.test(expr[i] ?? '')) return false;
    while (i < end && IDENT.test(expr[i] as string)) i++;
    out.push({ name: expr.slice(s, i), start: s, end: i });
    return true;
  };
  if (!ident()) return undefined;
  while (i < end) {
    if (expr[i] === '.') {
      i += expr[i + 1] === '?' ? 2 : 1;
      if (!ident()) return undefined;
    } else if (expr[i] === '[') {
      const close = expr.indexOf(']', i);
      if (close < 0 || close >= end) return undefined;
      const inner = expr.slice(i + 1, close).trim();
      const name = indexValue(inner);
      if (name === undefined) return undefined;
      out.push({ name, start: i, end: close + 1 });
      i = close + 1;
    } else return undefined;
  }
  return out;
}

function indexValue(inner: string): string | number | undefined {
  if (/^\d+$/.test(inner)) return Number(inner);
  const quoted = /^"((?:[^"\\]|\\.)*)"$|^'((?:[^'\\]|\\.)*)'$/.exec(inner);
  if (!quoted) return undefined;
  return (quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1');
}

/** Walks right from `pos` over the rest of the chain: identifiers, dots, `.?` and bracketed indices. */
function chainEnd(expr: string, pos: number): number {
  let i = pos;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (IDENT.test(c) || c === '.' || (c === '?' && expr[i - 1] === '.')) i++;
    else if (c === '[') {
      const close = expr.indexOf(']', i);
      if (close < 0) break;
      i = close + 1;
    } else break;
  }
  // A trailing dot (`schema.spec.` mid-edit) is not part of the chain.
  while (expr[i - 1] === '.' || expr[i - 1] === '?') i--;
  return i;
}

/** Walks left from `pos` over identifiers, dots, `.?` and bracketed indices; -1 when the chain does not start at a variable. */
function chainStart(expr: string, pos: number): number {
  let i = pos;
  for (;;) {
    const c = expr[i - 1];
    if (c === undefined) break;
    if (IDENT.test(c) || c === '.' || (c === '?' && expr[i - 2] === '.')) {
      i--;
      continue;
    }
    if (c === ']') {
      const open = expr.lastIndexOf('[', i - 1);
      if (open < 0) break;
      i = open;
      continue;
    }
    break;
  }
  // `f(x).name` is not a reference chain from a variable.
  return expr[i] === '.' ? -1 : i;
}

function isChainBoundary(expr: string, pos: number): boolean {
  const c = expr[pos - 1];
  return c === undefined || !/[A-Za-z0-9_.\])"']/.test(c);
}

/** True when `cursor` sits inside a quoted CEL literal (rough: unescaped quotes before it). */
function insideStringLiteral(expr: string, cursor: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < cursor; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== undefined;
}
