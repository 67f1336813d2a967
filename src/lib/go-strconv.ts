// Go strconv look-alikes. kro's marker errors embed Go's strconv error text verbatim
// (`strconv.ParseBool: parsing "yes": invalid syntax`), and users match on kro's messages, so the
// parsers here accept exactly what Go accepts and fail with the same words.

/** Go's strconv.Quote (what `%q` prints for a string): printable runes kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

export type GoParse<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function syntaxError(fn: string, s: string): { ok: false; error: string } {
  return { ok: false, error: `strconv.${fn}: parsing ${goQuote(s)}: invalid syntax` };
}

function rangeError(fn: string, s: string): { ok: false; error: string } {
  return { ok: false, error: `strconv.${fn}: parsing ${goQuote(s)}: value out of range` };
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool. */
export function parseGoBool(s: string): GoParse<boolean> {
  if (GO_TRUE.has(s)) return { ok: true, value: true };
  if (GO_FALSE.has(s)) return { ok: true, value: false };
  return syntaxError('ParseBool', s);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * strconv.ParseInt(s, 10, 64): optional sign, decimal digits, no underscores (base 10 is explicit).
 * The value is a bigint because int64 exceeds the safe range of a JS number.
 */
export function parseGoInt(s: string): GoParse<bigint> {
  if (!/^[+-]?[0-9]+$/.test(s)) return syntaxError('ParseInt', s);
  const v = BigInt(s);
  if (v < INT64_MIN || v > INT64_MAX) return rangeError('ParseInt', s);
  return { ok: true, value: v };
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]((?:[0-9a-fA-F_]*)(?:\.[0-9a-fA-F_]*)?)[pP]([+-]?[0-9_]+)$/;
const SPECIAL_FLOAT = /^(?:[+-]?(?:inf|infinity)|nan)$/i;

/**
 * strconv.ParseFloat(s, 64): decimal and hexadecimal (`0x1p-2`) forms, `inf`/`infinity`/`nan`
 * in any case. Overflow is a range error, as in Go; underflow rounds to zero.
 */
export function parseGoFloat(s: string): GoParse<number> {
  if (SPECIAL_FLOAT.test(s)) {
    const lower = s.toLowerCase();
    if (lower === 'nan') return { ok: true, value: NaN };
    return { ok: true, value: lower.startsWith('-') ? -Infinity : Infinity };
  }
  if (DECIMAL_FLOAT.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return rangeError('ParseFloat', s);
    return { ok: true, value: v };
  }
  const hex = HEX_FLOAT.exec(s);
  if (hex) {
    const [, sign = '', mantissa = '', exp = ''] = hex;
    const digits = mantissa.replaceAll('_', '');
    if (!/[0-9a-fA-F]/.test(digits) || !underscoresOk(s)) return syntaxError('ParseFloat', s);
    const [intPart = '', fracPart = ''] = digits.split('.');
    let v = intPart === '' ? 0 : parseInt(intPart, 16);
    for (let i = 0; i < fracPart.length; i++) v += parseInt(fracPart[i] ?? '0', 16) / 16 ** (i + 1);
    v *= 2 ** Number(exp.replaceAll('_', ''));
    if (sign === '-') v = -v;
    if (!Number.isFinite(v)) return rangeError('ParseFloat', s);
    return { ok: true, value: v };
  }
  return syntaxError('ParseFloat', s);
}

/** Go allows `_` only between digits or right after the base prefix. */
function underscoresOk(s: string): boolean {
  return !/__|_$|_[.pP]|[.pP+-]_/.test(s.replace(/^[+-]?0[xX]_?/, '0'));
}
