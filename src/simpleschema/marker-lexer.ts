// Lexes the marker text after the first `|` into `key=value` pairs, following kro's rules
// (spec 02 §6.1): keys end at the first `=` outside quotes and brackets, values end at whitespace
// outside quotes and brackets, only double quotes quote, a backslash inside quotes escapes.
// One deliberate difference: trailing whitespace after the last marker is ignored.

import type { Result } from '../lib/result.js';
import { err, ok } from '../lib/result.js';
import { goQuote } from '../lib/go-strconv.js';

export const MARKER_KEYS = [
  'required',
  'default',
  'description',
  'minimum',
  'maximum',
  'validation',
  'enum',
  'immutable',
  'pattern',
  'uniqueItems',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'listType',
  'listMapKey',
] as const;
export type MarkerKey = (typeof MARKER_KEYS)[number];

const KNOWN_KEYS: ReadonlySet<string> = new Set(MARKER_KEYS);

export interface Marker {
  readonly key: MarkerKey;
  readonly value: string;
}

/** Go's unicode.IsSpace for the characters that can occur in practice. */
function isSpace(ch: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(ch);
}

export function lexMarkers(text: string): Result<Marker[], string> {
  const result: Marker[] = [];
  let key: MarkerKey | undefined;
  let inQuotes = false;
  let escaped = false;
  let depth = 0;
  let buffer = '';

  for (const ch of text) {
    if (ch === '=' && key === undefined && !inQuotes && depth === 0) {
      const k = buffer.trim();
      if (k === '') return err('empty marker key');
      if (!KNOWN_KEYS.has(k)) return err(`invalid marker key ${goQuote(k)}: unknown marker: ${k}`);
      key = k as MarkerKey;
      buffer = '';
    } else if (ch === '"' && !escaped) {
      inQuotes = !inQuotes;
      buffer += ch;
    } else if (ch === '\\' && inQuotes && !escaped) {
      escaped = true;
      buffer += ch;
    } else if ((ch === '{' || ch === '[') && !inQuotes) {
      depth++;
      buffer += ch;
    } else if ((ch === '}' || ch === ']') && !inQuotes) {
      depth--;
      buffer += ch;
      if (depth < 0) return err('unmatched closing bracket/brace');
    } else if (isSpace(ch) && !inQuotes && depth === 0) {
      // Whitespace outside a value is dropped, even inside a key (kro's behaviour).
      if (key !== undefined) {
        result.push({ key, value: processValue(buffer) });
        key = undefined;
        buffer = '';
      }
    } else {
      if (escaped && inQuotes) escaped = false;
      buffer += ch;
    }
  }

  if (key === undefined) {
    // Trailing whitespace after a complete marker is fine; anything else without `=` is not.
    if (buffer !== '' || result.length === 0) return err(`marker key '${buffer}' without a value`);
  } else {
    // Checked before the value is post-processed: kro slices a lone `"` out of bounds (panics).
    if (inQuotes) return err('unclosed quote');
    result.push({ key, value: processValue(buffer) });
  }
  if (inQuotes) return err('unclosed quote');
  if (depth > 0) return err('unclosed bracket/brace');
  return ok(result);
}

/**
 * A value that starts and ends with `"` is unquoted; `\"` and `\\` are unescaped and any other
 * `\x` stays as written (so regexes keep their escapes). Anything else is trimmed.
 */
export function processValue(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return unescape(value.slice(1, -1));
  }
  return value.trim();
}

function unescape(s: string): string {
  let out = '';
  let escaped = false;
  for (const ch of s) {
    if (escaped) {
      if (ch !== '"' && ch !== '\\') out += '\\';
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else {
      out += ch;
    }
  }
  return out;
}
