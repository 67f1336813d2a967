// Regular expressions with RE2 semantics (linear time) through re2js: the Kubernetes regex
// library (s.find(re), s.findAll(re[, n])) and CEL's matches(), whose cel-js version uses
// JavaScript RegExp (backtracking, different syntax) and is replaced.
import type { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { LruTtlCache } from '../../lib/lru-cache.js';
import type { Override } from './engine.js';
import { chargeBudget, checkCollectionSize } from './limits.js';
import { celError } from './values.js';

const cache = new LruTtlCache<string, RE2JS>({ maxEntries: 500 });

function compile(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw celError((e as Error).message, 'invalid_regular_expression');
    }
    cache.set(pattern, re);
  }
  return re;
}

export function matches(s: string, pattern: string): boolean {
  chargeBudget(s.length);
  return compile(pattern).matcher(s).find();
}

function find(s: string, pattern: string): string {
  chargeBudget(s.length);
  const m = compile(pattern).matcher(s);
  return m.find() ? (m.group() ?? '') : '';
}

function findAll(s: string, pattern: string, limit = -1n): string[] {
  chargeBudget(s.length);
  const m = compile(pattern).matcher(s);
  const out: string[] = [];
  while ((limit < 0n || BigInt(out.length) < limit) && m.find()) {
    out.push(m.group() ?? '');
    checkCollectionSize(out.length);
  }
  return out;
}

export const regexOverrides: readonly Override[] = [
  { signature: 'string.matches(string): bool', handler: matches },
];

export function registerRegex(env: Environment): void {
  env.registerFunction('matches(string, string): bool', matches);
  env.registerFunction('string.find(string): string', find);
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p));
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
}
