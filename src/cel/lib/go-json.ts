// Go encoding/json, as far as kro's json.marshal / json.unmarshal expose it: a parser that
// accepts exactly what Go's scanner accepts and fails with Go's messages ("invalid character
// 'x' looking for beginning of value", "unexpected end of JSON input"), numbers read as float64,
// and a compact encoder with Go's escaping and number formatting.
import { isHexDigit } from './scan.js';

class GoJsonSyntaxError extends Error {}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Go's quoteChar: the offending byte as Go prints it in scanner errors. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = {
    7: '\\a',
    8: '\\b',
    12: '\\f',
    10: '\\n',
    13: '\\r',
    9: '\\t',
    11: '\\v',
  };
  const n = named[c];
  if (n) return `'${n}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

class Parser {
  private pos = 0;
  constructor(private readonly b: Buffer) {}

  /**
   * Go's checkValid feeds a final space at the end of input, so inside a literal, number or
   * escape the error names ' '; elsewhere the input simply ended.
   */
  private fail(context: string, eofAsSpace = false): never {
    if (this.pos >= this.b.length) {
      if (eofAsSpace) throw new GoJsonSyntaxError(`invalid character ' ' ${context}`);
      throw new GoJsonSyntaxError('unexpected end of JSON input');
    }
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(this.b[this.pos] ?? 0)} ${context}`);
  }
  private peek(): number | undefined {
    return this.b[this.pos];
  }
  private skipSpace(): void {
    while (this.pos < this.b.length && SPACE.has(this.b[this.pos] ?? 0)) this.pos++;
  }

  parseTop(): unknown {
    const v = this.value();
    this.skipSpace();
    if (this.pos < this.b.length) this.fail('after top-level value');
    return v;
  }

  private value(): unknown {
    this.skipSpace();
    const c = this.peek();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    return this.fail('looking for beginning of value');
  }

  private literal(word: string, v: unknown): unknown {
    this.pos++;
    for (let i = 1; i < word.length; i++) {
      if (this.peek() !== word.charCodeAt(i)) this.fail(`in literal ${word} (expecting '${word[i]}')`, true);
      this.pos++;
    }
    return v;
  }

  private digits(context: string): void {
    const c = this.peek();
    if (c === undefined || c < 0x30 || c > 0x39) this.fail(context, true);
    while ((this.peek() ?? 0) >= 0x30 && (this.peek() ?? 0x3a) <= 0x39) this.pos++;
  }

  private number(): number {
    const start = this.pos;
    if (this.peek() === 0x2d) this.pos++;
    if (this.peek() === 0x30) this.pos++;
    else this.digits('in numeric literal');
    if (this.peek() === 0x2e) {
      this.pos++;
      this.digits('after decimal point in numeric literal');
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.pos++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.pos++;
      this.digits('in exponent of numeric literal');
    }
    const text = this.b.toString('latin1', start, this.pos);
    const n = Number(text);
    if (!Number.isFinite(n)) {
      throw new GoJsonSyntaxError(`json: cannot unmarshal number ${text} into Go value of type float64`);
    }
    return n;
  }

  private string(): string {
    this.pos++; // opening quote
    let out = '';
    let runStart = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('in string literal');
      if (c === 0x22) break;
      if (c < 0x20) this.fail('in string literal');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.b.toString('utf8', runStart, this.pos);
      this.pos++;
      out += this.escape();
      runStart = this.pos;
    }
    out += this.b.toString('utf8', runStart, this.pos);
    this.pos++;
    return out;
  }

  private escape(): string {
    const c = this.peek();
    const simple: Record<number, string> = {
      0x62: '\b',
      0x66: '\f',
      0x6e: '\n',
      0x72: '\r',
      0x74: '\t',
      0x5c: '\\',
      0x2f: '/',
      0x22: '"',
    };
    if (c !== undefined && simple[c] !== undefined) {
      this.pos++;
      return simple[c];
    }
    if (c !== 0x75) this.fail('in string escape code', true);
    this.pos++;
    let hex = '';
    for (let i = 0; i < 4; i++) {
      const h = this.peek();
      if (h === undefined || !isHexDigit(h)) this.fail('in \\u hexadecimal character escape', true);
      hex += String.fromCharCode(h);
      this.pos++;
    }
    return String.fromCharCode(parseInt(hex, 16));
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      if (this.peek() === 0x2c) {
        this.pos++;
        continue;
      }
      if (this.peek() === 0x5d) {
        this.pos++;
        return out;
      }
      this.fail('after array element');
    }
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.peek() !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      if (this.peek() !== 0x3a) this.fail('after object key');
      this.pos++;
      const v = this.value();
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.peek() === 0x2c) {
        this.pos++;
        continue;
      }
      if (this.peek() === 0x7d) {
        this.pos++;
        return out;
      }
      this.fail('after object key:value pair');
    }
  }
}

/** Go json.Unmarshal into interface{}: throws GoJsonSyntaxError with Go's message. */
export function goJsonParse(text: string): unknown {
  // Lone surrogates cannot occur in CEL strings (they are valid UTF-8), so utf8 is lossless.
  return new Parser(Buffer.from(text, 'utf8')).parseTop();
}
export { GoJsonSyntaxError };

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Go's JSON string encoding (HTML-safe, invalid UTF-16 replaced by U+FFFD). */
export function goJsonString(s: string): string {
  let escaped = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c >= 0xd800 && c <= 0xdbff) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = '\ufffd';
    else if (
      c < 0x20 ||
      c === 0x22 ||
      c === 0x5c ||
      c === 0x3c ||
      c === 0x3e ||
      c === 0x26 ||
      c === 0x2028 ||
      c === 0x2029
    ) {
      const ch = s[i] as string;
      rep = ESCAPES[ch] ?? `\\u00${c.toString(16).padStart(2, '0')}`;
    } else continue;
    escaped += s.slice(from, i) + rep;
    from = i + 1;
  }
  escaped += s.slice(from);
  return `"${escaped}"`;
}

/** Go's encoding of a float64 in JSON (matches JavaScript's shortest form except for -0). */
export function goJsonNumber(x: number): string {
  if (!Number.isFinite(x))
    throw new Error(`json: unsupported value: ${Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(x, -0)) return '-0';
  return String(x);
}
