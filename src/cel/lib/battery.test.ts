// The reference battery: every expression of test/fixtures/cel/battery.yaml, evaluated by kro
// v0.9.3's own CEL environment (hack/ref/cel) into vectors.json, must give the same value, or an
// error with the same message, through the production environment construction
// (createCelEnvironment: the same registration the operator and the CLI use).
// Compile-time errors in kro only require kro-ts to fail too (either when checking or when
// evaluating): cel-js words type errors its own way. Deliberate or known differences are listed
// in KNOWN_DIFFERENCES with their reason, and each entry must still differ.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';
import { createCelEnvironment } from '../environment.js';
import { decodeTyped, encodeTyped, type TypedValue } from './typed-value.js';

interface Vector {
  readonly name: string;
  readonly expr: string;
  readonly vars?: Record<string, TypedValue>;
  readonly source: 'kro' | 'hand';
  readonly result: { value?: TypedValue; error?: { phase: string; message: string } };
  readonly reason?: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/cel/vectors.json', import.meta.url), 'utf8'),
) as Vector[];

const base = createCelEnvironment({ omitEnabled: true });

type Outcome = { value: TypedValue } | { error: string };

/**
 * Comparisons with null are a type-checker rule (cel-go's legacy nullable types), implemented in
 * kro-ts's compile step, not in the libraries: those vectors go through compileExpression.
 */
function runCompiled(v: Vector): Outcome {
  const r = compileExpression(v.expr, { variables: {} });
  if (!r.ok) return { error: r.error.message };
  try {
    return { value: encodeTyped(r.value.evaluate({})) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function run(v: Vector): Outcome {
  if (v.name.startsWith('null-')) return runCompiled(v);
  const env = base.clone({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  const ctx: Record<string, unknown> = {};
  for (const [name, typed] of Object.entries(v.vars ?? {})) {
    env.registerVariable(name, 'dyn');
    ctx[name] = decodeTyped(typed);
  }
  try {
    return { value: encodeTyped(env.evaluate(v.expr, ctx)) };
  } catch (e) {
    const err = e as { summary?: string; message?: string };
    return { error: err.summary ?? err.message ?? String(e) };
  }
}

function matches(v: Vector, got: Outcome): boolean {
  if (v.result.value !== undefined) {
    return 'value' in got && JSON.stringify(got.value) === JSON.stringify(v.result.value);
  }
  if (!('error' in got)) return false;
  if (v.result.error?.phase === 'compile') return true;
  return got.error === v.result.error?.message;
}

/** Cases where kro-ts deliberately or knowingly differs from kro v0.9.3 (name → reason). */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'int-overflow-add':
    "cel-js core language (owned by the src/cel environment, not these libraries): overflow message carries the value ('integer overflow: <v>')",
  'int-overflow-sub':
    'cel-js core language (owned by the src/cel environment, not these libraries): overflow message carries the value',
  'int-overflow-mul':
    'cel-js core language (owned by the src/cel environment, not these libraries): overflow message carries the value',
  'int-overflow-neg':
    'cel-js core language (owned by the src/cel environment, not these libraries): negating int64 min does not overflow in cel-js',
  'int-min-div-neg1':
    'cel-js core language (owned by the src/cel environment, not these libraries): int64 min / -1 does not overflow in cel-js',
  'int-mod-zero':
    "cel-js core language (owned by the src/cel environment, not these libraries): 'modulo by zero' instead of cel-go's 'modulus by zero'",
  'uint-overflow':
    "cel-js core language (owned by the src/cel environment, not these libraries): 'Unsigned integer overflow' capitalised",
  'uint-underflow':
    "cel-js core language (owned by the src/cel environment, not these libraries): 'Unsigned integer overflow' capitalised",
  'cmp-lt-mixed':
    "cel-js core language (owned by the src/cel environment, not these libraries): cel-js allows int < double at check time; kro's environment does not enable cross-type numeric comparison",
  'int-from-bad-string':
    'cel-js core language (owned by the src/cel environment, not these libraries): int() conversion error wording',
  'uint-from-neg':
    'cel-js core language (owned by the src/cel environment, not these libraries): uint() conversion error wording',
  'int-overflow-from-double':
    'cel-js core language (owned by the src/cel environment, not these libraries): int(double) does not check the int64 range',
  'list-index-oob':
    'cel-js core language (owned by the src/cel environment, not these libraries): index error wording',
  'map-missing-key':
    "cel-js core language (owned by the src/cel environment, not these libraries): 'No such key' capitalised",
  'var-map-missing':
    "cel-js core language (owned by the src/cel environment, not these libraries): 'No such key' capitalised",
  'has-macro':
    'cel-js core language (owned by the src/cel environment, not these libraries): has() on a map literal is rejected by cel-js',
  'opt-none-value':
    'cel-js core language (owned by the src/cel environment, not these libraries): optional.none().value() error wording',
  'opt-list-literal':
    'cel-js core language (owned by the src/cel environment, not these libraries): cel-js does not parse optional list elements [?x]',
  'opt-map-literal':
    'cel-js core language (owned by the src/cel environment, not these libraries): cel-js does not parse optional map entries {?k: v}',
  'json-marshal-int-key':
    "cel-js stores {1: v} as a plain object with key '1', so the int key is indistinguishable from a string",
  'q-string':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-string-canonical':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-string-milli':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-string-exp':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-string-k':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-add-int':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-sub':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-string-add-mixed':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-string-neg':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(quantity))",
  'q-sign-neg':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (quantity.sign())",
  'q-sign-zero':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (quantity.sign())",
  'semver-isSemver-normalize':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (semver normalize argument)",
  'semver-normalize':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (semver normalize argument)",
  'semver-normalize-leading-zero':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (semver normalize argument)",
  'semver-string':
    "Beyond kro v0.9.3: spec 03 \u00a73.3 lists it (Kubernetes v0.36 library), kro's environment does not offer it (string(semver))",
};

describe('CEL reference battery (kro v0.9.4 vectors)', () => {
  it('has at least 200 vectors with unique names', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(200);
    expect(new Set(vectors.map((v) => v.name)).size).toBe(vectors.length);
  });

  it.each(vectors.filter((v) => !(v.name in KNOWN_DIFFERENCES)).map((v) => [v.name, v] as const))(
    '%s',
    (_name, v) => {
      const got = run(v);
      expect({ expr: v.expr, got }).toEqual({ expr: v.expr, got: expected(v, got) });
    },
  );

  it('lists only known differences that still differ', () => {
    const stale = Object.keys(KNOWN_DIFFERENCES).filter((name) => {
      const v = vectors.find((x) => x.name === name);
      return v === undefined || matches(v, run(v));
    });
    expect(stale).toEqual([]);
  });
});

/** What `got` should be for vector `v` (compile errors accept any kro-ts error text). */
function expected(v: Vector, got: Outcome): Outcome {
  if (v.result.value !== undefined) return { value: v.result.value };
  if (v.result.error?.phase === 'compile' && 'error' in got) return got;
  return { error: v.result.error?.message ?? '<no error>' };
}
