// One registration of the CEL functions: the method and global forms of `matches` run the same
// code in the operator's/CLI's evaluation environment, and the environment the reference battery
// and the library tests use is built by the same construction.

import { describe, expect, it } from 'vitest';
import { createCelEnvironment, evaluationEnvironment, isKnownFunction } from './environment.js';

function failure(
  env: ReturnType<typeof evaluationEnvironment>,
  expr: string,
): { code: unknown; message: string } {
  try {
    env.evaluate(expr, {});
  } catch (e) {
    const err = e as { code?: unknown; summary?: string; message: string };
    // The summary is the message without the source excerpt (which differs between the forms).
    return { code: err.code, message: err.summary ?? err.message };
  }
  throw new Error(`${expr}: no error`);
}

describe('one CEL registration', () => {
  it.each([false, true])('s.matches(re) and matches(s, re) agree (omit %s)', (omit) => {
    const env = evaluationEnvironment(omit);
    expect(env.evaluate('"abc".matches("^a.c$")', {})).toBe(true);
    expect(env.evaluate('matches("abc", "^a.c$")', {})).toBe(true);
    // RE2 syntax, not JavaScript's: lookahead is a parse error in both forms, with one code.
    const method = failure(env, '"abc".matches("a(?=b)")');
    const global = failure(env, 'matches("abc", "a(?=b)")');
    expect(method.message).toContain('error parsing regexp');
    expect(global).toEqual(method);
  });

  it('the battery environment is the production construction', () => {
    const env = createCelEnvironment({ omitEnabled: true });
    expect(env.evaluate('"x1".find("[0-9]")', {})).toBe('1');
    expect(failure(env, '"abc".matches("a(?=b)")')).toEqual(
      failure(evaluationEnvironment(true), 'matches("abc", "a(?=b)")'),
    );
    expect(isKnownFunction('matches', false)).toBe(true);
  });
});
