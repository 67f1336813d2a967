// Linear-time character scanning for the CEL libraries. Nothing in src/cel/lib runs a native
// JavaScript RegExp on a user's string: V8's backtracking engine makes patterns as innocent as
// `/0+$/` or `^[ ]+|[ ]+$` quadratic (a 150,000-space string took seconds), and one native call is
// one budget step, so the evaluation budget could not stop it. User regexes go through RE2
// (regex.ts); everything else uses the loops below, each O(n) in the length of its input.

export type CharTest = (code: number) => boolean;

export const isDigit: CharTest = (c) => c >= 0x30 && c <= 0x39;
export const isHexDigit: CharTest = (c) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
export const isAsciiLetter: CharTest = (c) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
export const isAlnum: CharTest = (c) => isDigit(c) || isAsciiLetter(c);

/** Go's unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property (no U+FEFF). */
export const isGoSpace: CharTest = (c) =>
  (c >= 0x09 && c <= 0x0d) ||
  c === 0x20 ||
  c === 0x85 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;

/** JavaScript's \s (used where a port of Go code checks for any whitespace). */
export const isJsSpace: CharTest = (c) => isGoSpace(c) || c === 0xfeff;

/** Every UTF-16 unit of `s` passes `test` (true for ''). */
export function every(s: string, test: CharTest): boolean {
  for (let i = 0; i < s.length; i++) if (!test(s.charCodeAt(i))) return false;
  return true;
}

/** Some UTF-16 unit of `s` passes `test`. */
export function some(s: string, test: CharTest): boolean {
  for (let i = 0; i < s.length; i++) if (test(s.charCodeAt(i))) return true;
  return false;
}

/** Non-empty and only ASCII digits. */
export const isDigits = (s: string): boolean => s !== '' && every(s, isDigit);

/** A decimal number without leading zeros: 0 or [1-9][0-9]*. */
export const isCanonicalNumber = (s: string): boolean =>
  isDigits(s) && (s === '0' || s.charCodeAt(0) !== 0x30);

/** Strips leading and trailing units that pass `test` (all BMP tests, so no pair is split). */
export function trimWith(s: string, test: CharTest): string {
  let start = 0;
  let end = s.length;
  while (start < end && test(s.charCodeAt(start))) start++;
  while (end > start && test(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Strips trailing copies of one character (e.g. '0' or '='). */
export function trimRightChar(s: string, ch: string): string {
  const c = ch.charCodeAt(0);
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === c) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Removes every UTF-16 unit that passes `test`. */
export function removeWith(s: string, test: CharTest): string {
  if (!some(s, test)) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (!test(s.charCodeAt(i))) continue;
    out += s.slice(from, i);
    from = i + 1;
  }
  return out + s.slice(from);
}

/** Counts the occurrences of one UTF-16 unit. */
export function countChar(s: string, ch: string): number {
  const c = ch.charCodeAt(0);
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === c) n++;
  return n;
}

/** Maps each maximal run of units passing `test` through `f` (ASCII case mapping). */
export function mapRuns(s: string, test: CharTest, f: (run: string) => string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const start = i;
    const inRun = test(s.charCodeAt(i));
    while (i < s.length && test(s.charCodeAt(i)) === inRun) i++;
    const part = s.slice(start, i);
    out += inRun ? f(part) : part;
  }
  return out;
}
