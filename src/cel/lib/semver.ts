// Kubernetes semver library (blang/semver v4 strict parsing; with normalize, a leading "v",
// missing minor/patch and leading zeros are accepted first). Build metadata never affects order.
import { every, isAlnum, isCanonicalNumber, isDigit, isDigits } from './scan.js';
import type { Environment } from '@marcbachmann/cel-js';
import { celError, compareStrings } from './values.js';

export class Semver {
  static readonly celTypeName = 'kubernetes.Semver';
  // eslint-disable-next-line max-params -- a plain value record
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
    readonly build: readonly string[],
  ) {}
  toString(): string {
    const pre = this.pre.length ? `-${this.pre.join('.')}` : '';
    const build = this.build.length ? `+${this.build.join('.')}` : '';
    return `${this.major}.${this.minor}.${this.patch}${pre}${build}`;
  }
  compareTo(o: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) {
      if (this[k] !== o[k]) return this[k] < o[k] ? -1 : 1;
    }
    if (!this.pre.length || !o.pre.length)
      return this.pre.length === o.pre.length ? 0 : this.pre.length ? -1 : 1;
    for (let i = 0; i < Math.max(this.pre.length, o.pre.length); i++) {
      const a = this.pre[i];
      const b = o.pre[i];
      if (a === undefined) return -1;
      if (b === undefined) return 1;
      const an = isDigits(a);
      const bn = isDigits(b);
      if (an && bn && BigInt(a) !== BigInt(b)) return BigInt(a) < BigInt(b) ? -1 : 1;
      if (an !== bn) return an ? -1 : 1;
      if (!an && a !== b) return compareStrings(a, b);
    }
    return 0;
  }
  equals(o: unknown): boolean {
    return o instanceof Semver && this.compareTo(o) === 0;
  }
}

const isIdent = (p: string): boolean => p !== '' && every(p, (c) => isAlnum(c) || c === 0x2d);

/** Up to three dot-separated leading numbers and the rest: 1.2 → ['1', '2', undefined, '']. */
function leadingNumbers(s: string): [string, string | undefined, string | undefined, string] | undefined {
  const digitsAt = (i: number): number => {
    let j = i;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    return j;
  };
  const end0 = digitsAt(0);
  if (end0 === 0) return undefined;
  const parts: (string | undefined)[] = [s.slice(0, end0)];
  let pos = end0;
  for (let k = 0; k < 2; k++) {
    const end = s[pos] === '.' ? digitsAt(pos + 1) : pos;
    if (end > pos + 1) {
      parts.push(s.slice(pos + 1, end));
      pos = end;
    } else parts.push(undefined);
  }
  return [parts[0] as string, parts[1], parts[2], s.slice(pos)];
}

export function parseSemver(input: string, normalize = false): Semver {
  let s = input;
  if (normalize) {
    if (s.startsWith('v')) s = s.slice(1);
    const m = leadingNumbers(s);
    if (m) {
      const n = (x: string | undefined): string => (x === undefined ? '0' : String(BigInt(x)));
      s = `${n(m[0])}.${n(m[1])}.${n(m[2])}${m[3]}`;
    }
  }
  if (s === '') throw celError('Version string empty');
  const plus = s.indexOf('+');
  const build = plus >= 0 ? s.slice(plus + 1).split('.') : [];
  const noBuild = plus >= 0 ? s.slice(0, plus) : s;
  const dash = noBuild.indexOf('-');
  const pre = dash >= 0 ? noBuild.slice(dash + 1).split('.') : [];
  const core = (dash >= 0 ? noBuild.slice(0, dash) : noBuild).split('.');
  if (core.length !== 3) throw celError('No Major.Minor.Patch elements found');
  const names = ['Major', 'Minor', 'Patch'];
  const nums = core.map((p, i) => {
    if (!isDigits(p))
      throw celError(
        `Invalid character(s) found in ${(names[i] ?? '').toLowerCase()} number ${JSON.stringify(p)}`,
      );
    if (!isCanonicalNumber(p))
      throw celError(`${names[i]} number must not contain leading zeroes ${JSON.stringify(p)}`);
    return BigInt(p);
  });
  for (const p of pre) {
    if (p === '') throw celError('Prerelease is empty');
    if (!isIdent(p)) throw celError(`Invalid character(s) found in prerelease ${JSON.stringify(p)}`);
    if (isDigits(p) && !isCanonicalNumber(p))
      throw celError(`Numeric PreRelease version must not contain leading zeroes ${JSON.stringify(p)}`);
  }
  for (const b of build) {
    if (!isIdent(b)) throw celError(`Invalid character(s) found in build meta data ${JSON.stringify(b)}`);
  }
  return new Semver(nums[0] ?? 0n, nums[1] ?? 0n, nums[2] ?? 0n, pre, build);
}

const valid = (s: string, normalize: boolean): boolean => {
  try {
    parseSemver(s, normalize);
    return true;
  } catch {
    return false;
  }
};

export function registerSemver(env: Environment): void {
  const T = 'kubernetes.Semver';
  env.registerType(T, Semver);
  env.registerFunction(`semver(string): ${T}`, (s: string) => parseSemver(s));
  env.registerFunction(`semver(string, bool): ${T}`, parseSemver);
  env.registerFunction('isSemver(string): bool', (s: string) => valid(s, false));
  env.registerFunction('isSemver(string, bool): bool', valid);
  env.registerFunction(`${T}.major(): int`, (v: Semver) => v.major);
  env.registerFunction(`${T}.minor(): int`, (v: Semver) => v.minor);
  env.registerFunction(`${T}.patch(): int`, (v: Semver) => v.patch);
  env.registerFunction(`${T}.isLessThan(${T}): bool`, (a: Semver, b: Semver) => a.compareTo(b) < 0);
  env.registerFunction(`${T}.isGreaterThan(${T}): bool`, (a: Semver, b: Semver) => a.compareTo(b) > 0);
  env.registerFunction(`${T}.compareTo(${T}): int`, (a: Semver, b: Semver) => BigInt(a.compareTo(b)));
  env.registerFunction(`string(${T}): string`, (v: Semver) => v.toString());
}
