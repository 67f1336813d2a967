// Hostile input to the CEL string functions (issue 14): nothing in the CEL libraries may run a
// native JavaScript RegExp on a user's string (V8 backtracks; `trim()` of a 150,000-space string
// took 15 s), and the hand-written scanners that replace them keep Go's semantics.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../values.js';
import { celEval as evalNoVars, newTestEnv } from './test-env.js';

const env = newTestEnv().clone({ enableOptionalTypes: true });
env.registerVariable('s', 'string');
env.registerVariable('t', 'string');
const celEval = (expr: string, vars: Record<string, unknown> = {}): unknown =>
  Object.keys(vars).length === 0 ? evalNoVars(expr) : env.evaluate(expr, vars);

const here = new URL('.', import.meta.url).pathname;

/** Regex literals and RegExp constructions in a source file, as `file:line text`. */
function regexUses(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const hits: string[] = [];
  const visit = (n: ts.Node): void => {
    const isCtor =
      (ts.isNewExpression(n) || ts.isCallExpression(n)) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === 'RegExp';
    if (n.kind === ts.SyntaxKind.RegularExpressionLiteral || isCtor) {
      const line = sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
      hits.push(`${file.slice(file.lastIndexOf('src/'))}:${line} ${n.getText().slice(0, 60)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return hits;
}

// Signatures of the library's own declarations, parsed once at start-up: never user input.
const DECLARATION_PARSERS = new Set(['engine.ts', 'namespace.ts']);

describe('CEL libraries: linear-time string handling', () => {
  it('no native RegExp in the CEL libraries (RE2 via re2js is the only regex engine)', () => {
    const files = readdirSync(here)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !DECLARATION_PARSERS.has(f))
      .map((f) => join(here, f));
    files.push(join(here, '..', 'values.ts'));
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(regexUses)).toEqual([]);
  });

  it('trim keeps Go unicode.IsSpace semantics on long and mixed input', () => {
    const spaces = ' '.repeat(150_000);
    expect(celEval('s.trim()', { s: spaces })).toBe('');
    expect(celEval('s.trim()', { s: `x${spaces}x` })).toBe(`x${spaces}x`);
    expect(celEval('s.trim()', { s: `\t\n\v\f\r \u0085\u00a0\u2000ab c\u3000\u2029` })).toBe('ab c');
    expect(celEval('s.trim()', { s: '\ufeffx\ufeff' })).toBe('\ufeffx\ufeff');
  });

  it('indexOf / lastIndexOf count code points and never split a surrogate pair', () => {
    const a = 'a'.repeat(50_000);
    expect(celEval('s.indexOf(t)', { s: `${a}b`, t: `${'a'.repeat(25_000)}b` })).toBe(25_000n);
    expect(celEval('s.indexOf(t)', { s: a, t: `${'a'.repeat(25_000)}b` })).toBe(-1n);
    expect(celEval('"😀a😀a".indexOf("a", 2)')).toBe(3n);
    expect(celEval('"😀a😀a".lastIndexOf("😀")')).toBe(2n);
    expect(celEval('"😀a😀a".lastIndexOf("a", 2)')).toBe(1n);
    expect(celEval('"abc".lastIndexOf("abcd")')).toBe(-1n);
    expect(celEval('"aXbX".lastIndexOf("X", 0)')).toBe(-1n);
    expect(celEval('s.indexOf(t)', { s: 'x\ud83d\ude00', t: '\ude00' })).toBe(-1n);
  });

  it('ASCII case mapping leaves non-ASCII letters alone', () => {
    expect(celEval('"ÀbC-déF".upperAscii()')).toBe('ÀBC-DéF');
    expect(celEval('"ÀbC-DÉF".lowerAscii()')).toBe('Àbc-dÉf');
  });

  it('quantities, semvers, URLs, IPs, base64 and durations parse as before on hostile input', () => {
    expect(celEval('quantity(s).isInteger()', { s: '1.5e3' })).toBe(true);
    expect(celEval('string(quantity("100Mi"))')).toBe('100Mi');
    expect(() => celEval('quantity(s)', { s: `${'1'.repeat(100_000)}x` })).toThrow(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(() => celEval('quantity("1..2")')).toThrow('unable to parse numeric part of quantity');
    expect(celEval('isSemver("v1.2", true)')).toBe(true);
    expect(celEval('semver("1.2.3-rc.1+b").isLessThan(semver("1.2.3"))')).toBe(true);
    expect(celEval('isSemver("1.2.3-01")')).toBe(false);
    expect(celEval('url("https://a.example:8443/p?q=1").getPort()')).toBe('8443');
    expect(celEval('isURL("https://a.example:x/")')).toBe(false);
    expect(celEval('isURL(s)', { s: `http://${'a'.repeat(100_000)} b/` })).toBe(false);
    expect(celEval('isIP("10.0.0.1") && !isIP("10.0.0.01") && isIP("::1") && !isIP("1::12345")')).toBe(true);
    expect(celEval('isCIDR("10.0.0.0/8") && !isCIDR("10.0.0.0/08")')).toBe(true);
    expect(celEval('base64.decode("YWJj\\n")')).toEqual(new Uint8Array([97, 98, 99]));
    expect(() => celEval('base64.decode(s)', { s: `${'='.repeat(100_000)}x` })).toThrow(
      'illegal base64 data',
    );
    expect(String(celEval('json.marshal(s)', { s: '<\ud800>' }))).not.toContain('\ud800');
    expect(parseGoDuration('1h2m3.5s')).toBe(3_723_500_000_000n);
    expect(parseGoDuration('-1.5ms')).toBe(-1_500_000n);
    expect(parseGoDuration('0')).toBe(0n);
    expect(parseGoDuration('1constructor')).toBeUndefined();
    expect(parseGoDuration('.s')).toBeUndefined();
    expect(parseGoDuration(`${'1'.repeat(100_000)}x`)).toBeUndefined();
  });
});
