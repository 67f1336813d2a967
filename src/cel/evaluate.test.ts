import { describe, expect, it } from 'vitest';
import { BudgetExceededError, DataPendingError, ExpressionError } from '../lib/errors.js';
import { compileExpression } from './compile.js';
import { compile, defaultVariables, schemas } from './test-fixtures.js';
import { fromCel, toCel } from './values.js';

const instance = {
  apiVersion: 'kro.run/v1alpha1',
  kind: 'WebApp',
  metadata: { name: 'app', namespace: 'ns', labels: { team: 'a' } },
  spec: {
    name: 'web',
    replicas: 3,
    tags: ['a', 'b'],
    env: { A: '1' },
    extra: { text: 'hello', nested: { n: 1 } },
  },
};
const observed = {
  metadata: { name: 'web', namespace: 'ns' },
  spec: { replicas: 3 },
  status: {
    availableReplicas: 2,
    conditions: [{ type: 'Progressing', status: 'True' }],
  },
};

function activation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: toCel(instance, schemas.schema),
    deployment: toCel(observed, schemas.deployment),
    ...overrides,
  };
}

function run(expression: string, act = activation(), timeoutMs?: number): unknown {
  const opts = timeoutMs === undefined ? undefined : { timeoutMs };
  return fromCel(compile(expression).evaluate(act, opts));
}

function failure(expression: string, act = activation(), timeoutMs?: number): Error {
  try {
    run(expression, act, timeoutMs);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected ${expression} to fail`);
}

describe('evaluate', () => {
  it.each([
    ['schema.spec.replicas', 3],
    ['schema.spec.name + "-" + schema.metadata.namespace', 'web-ns'],
    ['deployment.status.conditions.filter(c, c.type == "Progressing")[0].status', 'True'],
    ['has(deployment.status.readyReplicas)', false],
    ['has(deployment.status.availableReplicas)', true],
    ['deployment.status.?readyReplicas.orValue(0)', 0],
    ['schema.spec.extra.nested.n + 1', 2],
    ['schema.spec.tags.map(t, t.upperAscii())', ['A', 'B']],
    ['!has(deployment.status.endpoint) || deployment.status.endpoint != ""', true],
    ['deployment.status.endpoint == "" || true', true],
    ['schema.metadata.labels["team"]', 'a'],
    ['"abc".matches("^a.c$")', true],
    ['"abc".matches("c\\\\z")', true],
  ])('%s = %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('uses RE2, not JavaScript regular expressions', () => {
    const e = failure('"aa".matches("(a)\\\\1")');
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.message).toContain('error parsing regexp');
    // A pattern that backtracks exponentially in JavaScript finishes at once in RE2.
    const evil = `"${'a'.repeat(5_000)}!".matches("^(a+)+$")`;
    expect(run(evil)).toBe(false);
  });
});

describe('data pending versus error', () => {
  it.each([
    ['deployment.status.endpoint', 'deployment.status.endpoint'],
    ['deployment.status.readyReplicas > 0', 'deployment.status.readyReplicas'],
    [
      'deployment.status.conditions.filter(c, c.type == "Ready")[0].status',
      'deployment.status.conditions.filter(c, c.type == "Ready")[0]',
    ],
    ['deployment.status.conditions[1]', 'deployment.status.conditions[1]'],
    ['schema.spec.ingress.host', 'schema.spec.ingress'],
    ['schema.spec.extra.missing', 'schema.spec.extra.missing'],
    ['schema.spec.env["B"]', 'schema.spec.env["B"]'],
    ['has(schema.spec.ingress.host)', 'schema.spec.ingress'],
    ['deployment.status.conditions.exists(c, c.reason == "x")', 'c.reason'],
    ['cel.bind(s, deployment.status, s.endpoint)', 's.endpoint'],
  ])('%s waits for %s', (expression, missing) => {
    const e = failure(expression);
    expect(e).toBeInstanceOf(DataPendingError);
    expect((e as DataPendingError).missing).toBe(missing);
  });

  it('waits for a variable that is not in the activation', () => {
    const e = failure('deployment.spec.replicas', { schema: activation().schema });
    expect(e).toBeInstanceOf(DataPendingError);
    expect((e as DataPendingError).missing).toBe('deployment');
  });

  it.each([
    ['{"a": 1}.b', 'no such key: b'],
    ['{"a": 1}["b"]', 'no such key: b'],
    ['[1, 2][5]', undefined],
    ['[{"a": 1}].map(x, x.b)', undefined],
    ['schema.spec.extra.text.foo', undefined],
    ['schema.spec.tags[-1]', undefined],
    ['schema.spec.replicas / 0', undefined],
    ['9223372036854775807 + schema.spec.replicas', undefined],
    ['int("x" + schema.spec.name)', undefined],
    ['optional.none().value()', undefined],
  ])('%s is an error', (expression, message) => {
    const e = failure(expression);
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e).not.toBeInstanceOf(DataPendingError);
    if (message !== undefined) expect(e.message).toBe(message);
  });
});

describe('bounded evaluation', () => {
  const big = Array.from({ length: 2_000 }, (_, i) => i);
  const vars = { l: { schema: { type: 'array' as const, items: { type: 'integer' as const } } } };
  const act = (list: number[]) => ({ l: toCel(list, vars.l.schema) });

  it('stops nested map comprehensions at the wall-clock budget', () => {
    const c = compile('l.map(i, l.map(j, l.map(k, i + j + k)))', vars);
    const e = (() => {
      try {
        c.evaluate(act(big), { timeoutMs: 50 });
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected the budget to stop the evaluation');
    })();
    expect(e).toBeInstanceOf(BudgetExceededError);
    expect(e.message).toBe('evaluation exceeded the 50ms budget');
  });

  it('is not fooled by error-absorbing quantifiers and operators', () => {
    const c = compile('l.exists(i, l.exists(j, l.exists(k, i + j + k < 0))) || true', vars);
    expect(() => c.evaluate(act(big), { timeoutMs: 30 })).toThrow(BudgetExceededError);
  });

  it('uses 100ms by default and names it', () => {
    const c = compile('l.all(i, l.all(j, l.all(k, i + j + k >= 0)))', vars);
    expect(() => c.evaluate(act(big))).toThrow('evaluation exceeded the 100ms budget');
  });

  it('limits list and string sizes', () => {
    const half = Array.from({ length: 60_000 }, () => 1);
    expect(() => compile('l + l', vars).evaluate(act(half), { timeoutMs: 0 })).toThrow(
      'evaluation exceeded the limit of 100000 elements in a list or map',
    );
    const doubling = 'cel.bind(a, s + s, cel.bind(b, a + a, cel.bind(c, b + b, c + c)))';
    const s = { s: { schema: { type: 'string' as const } } };
    expect(() => compile(doubling, s).evaluate({ s: 'x'.repeat(200_000) })).toThrow(BudgetExceededError);
    expect(compile(doubling, s).evaluate({ s: 'x'.repeat(1_000) })).toHaveLength(16_000);
  });

  it('checks what library functions return against the size bounds', () => {
    const c = compile('lists.range(200000).size()', {});
    expect(() => c.evaluate({}, { timeoutMs: 0 })).toThrow(BudgetExceededError);
    expect(compile('lists.range(1000).size()', {}).evaluate({})).toBe(1000n);
  });

  it('lets a finished evaluation through and disables the clock with 0', () => {
    const small = Array.from({ length: 20 }, (_, i) => i);
    const c = compile('l.map(i, l.map(j, i * j)).size()', vars);
    expect(c.evaluate(act(small), { timeoutMs: 0 })).toBe(20n);
    expect(c.evaluate(act(small))).toBe(20n);
  });
});

describe('comparisons with null (cel-go legacy nullable types)', () => {
  const started = {
    ...observed,
    status: {
      ...observed.status,
      conditions: [{ type: 'Progressing', status: 'True', lastTransitionTime: '2026-01-02T03:04:05Z' }],
    },
  };
  const act = (): Record<string, unknown> => activation({ deployment: toCel(started, schemas.deployment) });

  it.each([
    ['deployment.status.conditions[0].lastTransitionTime != null', true],
    ['null == deployment.status.conditions[0].lastTransitionTime', false],
    ['timestamp("2026-01-01T00:00:00Z") != null', true],
    ['duration("1s") == null', false],
    ['deployment.status != null', true],
    ['schema.spec == null', false],
    ['optional.of(1) != null', true],
    ['deployment.status.conditions.all(c, c.lastTransitionTime != null)', true],
    ['dyn(1) != null && null == null', true],
  ])('%s type-checks as bool and evaluates to %s', (expression, want) => {
    expect(String(compile(expression).outputType)).toBe('bool');
    expect(run(expression, act())).toBe(want);
  });

  it('waits for a timestamp that is not there yet', () => {
    const e = failure('deployment.status.conditions[0].lastTransitionTime != null');
    expect(e).toBeInstanceOf(DataPendingError);
  });

  it.each([
    ['1 != null', 'no such overload: int != null'],
    ['null == "a"', 'no such overload: null == string'],
    ['[1] != null', 'no such overload: list(int) != null'],
    ['{"a": 1} == null', 'no such overload: map(string, int) == null'],
    [
      'deployment.status.conditions != null',
      'no such overload: list(__type_deployment.status.conditions.@idx) != null',
    ],
    ['b"x" != null', 'no such overload: bytes != null'],
    ['1.5 == null', 'no such overload: double == null'],
    ['true != null', 'no such overload: bool != null'],
  ])('%s stays a type error', (expression, message) => {
    const r = compileExpression(expression, { variables: defaultVariables });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });
});
