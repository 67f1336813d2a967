// JSON text → values without precision loss: integers beyond ±2^53 become BigInt (JSON.parse
// would round them), everything else is what JSON.parse returns. Uses the reviver's access to the
// source text (Node ≥ 21), and skips the reviver entirely when no number is long enough to lose
// precision, which is the common case.

interface ReviverContext {
  readonly source?: string;
}

const LONG_NUMBER = /\d{16,}/;
const INTEGER_LITERAL = /^-?\d+$/;

function revive(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_LITERAL.test(source) ? BigInt(source) : value;
}

export function parseJsonLossless(text: string): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text) as unknown;
  return JSON.parse(text, revive as unknown as (key: string, value: unknown) => unknown) as unknown;
}

/** JSON.stringify that writes BigInt values as exact integer literals. */
export function stringifyJsonLossless(value: unknown, indent?: number): string {
  const marks = new Map<string, string>();
  let n = 0;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      const mark = `\u0000bigint${n++}\u0000`;
      marks.set(mark, v.toString());
      return mark;
    },
    indent,
  );
  if (marks.size === 0) return text;
  return text.replace(/"\\u0000bigint\d+\\u0000"/g, (m) => marks.get(JSON.parse(m) as string) ?? m);
}
