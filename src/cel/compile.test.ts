import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.js';
import { compile, defaultVariables, schemas } from './test-fixtures.js';

const variables = defaultVariables;

function issue(expression: string, vars: Parameters<typeof compile>[1] = variables) {
  const r = compileExpression(expression, { variables: vars });
  if (r.ok) throw new Error(`expected an issue for ${expression}`);
  return r.error;
}

describe('compileExpression output types', () => {
  it.each([
    ['schema.spec.replicas', 'int'],
    ['schema.spec.ratio', 'double'],
    ['schema.spec.name', 'string'],
    ['schema.spec.enabled', 'bool'],
    ['schema.spec.tags', 'list(string)'],
    ['schema.spec.env', 'map(string, string)'],
    ['schema.spec.extra', 'dyn'],
    ['schema.spec.port', 'dyn'],
    ['schema.spec.timeout', 'duration'],
    ['schema.spec.secret', 'bytes'],
    ['schema.metadata.creationTimestamp', 'timestamp'],
    ['schema.spec.?name', 'optional_type(string)'],
    ['schema.spec.?notDeclared', 'optional_type(dyn)'],
    ['schema.spec.ingress', '__type_schema.spec.ingress'],
    ['deployment.status.conditions', 'list(__type_deployment.status.conditions.@idx)'],
    [
      'deployment.status.conditions.filter(c, c.type == "Ready")',
      'list(__type_deployment.status.conditions.@idx)',
    ],
    ['deployment.status.conditions.map(c, c.status)', 'list(string)'],
    ['[1, "a"]', 'list(dyn)'],
    ['[]', 'list(dyn)'],
    ['{"a": 1}', 'map(string, int)'],
    ['null', 'null_type'],
    ['1u', 'uint'],
    ['b"x"', 'bytes'],
    ['has(schema.spec.name)', 'bool'],
    ['schema.spec.replicas > 1 ? "a" : "b"', 'string'],
    ['cel.bind(r, schema.spec.replicas, r * 2)', 'int'],
    ['[schema.spec.extra, 1]', 'list(dyn)'],
  ])('%s has type %s', (expression, type) => {
    expect(String(compile(expression).outputType)).toBe(type);
  });

  it('keeps the expression text', () => {
    expect(compile(' schema.spec.name ').expression).toBe(' schema.spec.name ');
  });

  it('selects fields named like CEL reserved words', () => {
    expect(String(compile('schema.metadata.namespace').outputType)).toBe('string');
    const v = compile('x.namespace + x.package + x.import', {
      x: {
        schema: {
          type: 'object',
          properties: {
            namespace: { type: 'string' },
            package: { type: 'string' },
            import: { type: 'string' },
          },
        },
      },
    });
    expect(String(v.outputType)).toBe('string');
  });
});

describe('compileExpression references and functions', () => {
  it.each([
    ['schema.spec.name', ['schema'], []],
    ['deployment.status.availableReplicas + schema.spec.replicas', ['deployment', 'schema'], []],
    ['schema.spec.tags.map(t, t + "x")', ['schema'], ['map']],
    [
      'schema.spec.tags.filter(t, t != "").exists(u, u == schema.spec.name)',
      ['schema'],
      ['exists', 'filter'],
    ],
    ['schema.spec.tags.all(x, x.size() > 0)', ['schema'], ['all', 'size']],
    ['cel.bind(n, schema.spec.replicas, n + n)', ['schema'], ['cel.bind']],
    ['schema.spec.tags.transformList(i, v, v + string(i))', ['schema'], ['string', 'transformList']],
    ['schema.spec.env.all(k, v, k != v)', ['schema'], ['all']],
    ['string(schema.spec.replicas)', ['schema'], ['string']],
    ['"%d".format([schema.spec.replicas])', ['schema'], ['format']],
    ['type(schema.spec.replicas) == int', ['schema'], ['type']],
    ['optional.of(1).orValue(2)', [], ['optional.of', 'orValue']],
    ['1 + 2', [], []],
  ])('%s references %j and calls %j', (expression, refs, fns) => {
    const c = compile(expression);
    expect(c.references).toEqual(refs);
    expect(c.functions).toEqual(fns);
  });

  it('does not count a shadowing macro variable as a reference but counts the outer use', () => {
    const c = compile('schema.spec.tags.map(schema, schema + "x").size() > deployment.spec.replicas');
    expect(c.references).toEqual(['deployment', 'schema']);
    const inner = compile('[1, 2].map(deployment, deployment * 2)');
    expect(inner.references).toEqual([]);
  });

  it('binds cel.bind variables only in the body', () => {
    expect(issue('cel.bind(x, x, 1)').message).toBe('references unknown identifiers: [x]');
  });
});

describe('compileExpression issues', () => {
  it('reports unknown identifiers sorted and unique', () => {
    expect(issue('foo + bar + foo')).toEqual({
      kind: 'unknown-identifiers',
      message: 'references unknown identifiers: [bar, foo]',
      names: ['bar', 'foo'],
    });
  });

  it('reports unknown functions, namespaced ones with their namespace', () => {
    expect(issue('nope(1) + schema.spec.name.nada()')).toEqual({
      kind: 'unknown-functions',
      message: 'uses unknown functions: [nada, nope]',
      names: ['nada', 'nope'],
    });
    expect(issue('lists.nothing(1)').message).toBe('uses unknown functions: [lists.nothing]');
  });

  it('reports a misspelled field as a type error', () => {
    expect(issue('schema.spec.replicass')).toEqual({
      kind: 'type',
      message: "undefined field 'replicass'",
    });
    expect(issue('deployment.status.conditions[0].typo').kind).toBe('type');
  });

  it('reports operator and overload mismatches as type errors', () => {
    expect(issue('schema.spec.name + 1').kind).toBe('type');
    expect(issue('1 + 1.5').kind).toBe('type');
    expect(issue('schema.spec.replicas.startsWith("a")').kind).toBe('type');
  });

  it('reports syntax errors with a position', () => {
    const i = issue('schema.spec.name +');
    expect(i.kind).toBe('parse');
    expect(i.message).toMatch(/^syntax error at 1:\d+: /);
    expect(issue('a b').kind).toBe('parse');
    expect(issue('"unterminated').kind).toBe('parse');
  });

  it('enforces the parse limits as build errors', () => {
    const long = `"${'a'.repeat(100_000)}"`;
    expect(issue(long)).toEqual({
      kind: 'limit',
      message: 'expression exceeds the maximum length of 100000 code points',
    });
    const deep = `${'('.repeat(300)}1${')'.repeat(300)}`;
    expect(issue(deep)).toEqual({
      kind: 'limit',
      message: 'expression exceeds the maximum nesting depth of 250',
    });
    const deepList = `${'['.repeat(300)}${']'.repeat(300)}`;
    expect(issue(deepList).kind).toBe('limit');
    const deepUnary = `${'-'.repeat(60_000)}1`;
    expect(issue(deepUnary).kind).toBe('limit');
    const longChain = Array.from({ length: 20_000 }, () => '1').join('+');
    expect(issue(longChain).kind).toBe('limit');
  });

  it('counts code points, not UTF-16 units', () => {
    const emoji = `"${'😀'.repeat(60_000)}"`;
    expect(emoji.length).toBeGreaterThan(100_000);
    expect(compileExpression(emoji, { variables: {} }).ok).toBe(true);
  });

  it('rejects a variable that collides with a built-in name', () => {
    const r = compileExpression('1', { variables: { lists: { schema: schemas.schema } } });
    expect(r.ok).toBe(false);
  });

  it('declares omit() only behind the feature gate', () => {
    const off = compileExpression('omit()', { variables: {} });
    expect(off.ok).toBe(false);
  });
});

describe('compileExpression messages', () => {
  it('spells types the cel-go way in type errors', () => {
    const r = compileExpression('schema.spec.env == [1]', { variables });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('no such overload: map(string, string) == list(int)');
    const ts = compileExpression('schema.metadata.creationTimestamp + 1', { variables });
    if (!ts.ok) expect(ts.error.message).toBe('no such overload: timestamp + int');
  });

  it('declares recursive schemas', () => {
    const node = { type: 'object' as const, properties: { name: { type: 'string' as const } } };
    Object.assign(node.properties, { children: { type: 'array', items: node } });
    const c = compile('t.children[0].children.map(c, c.name)', { t: { schema: node } });
    expect(String(c.outputType)).toBe('list(string)');
    expect(compileExpression('t.children[0].nope', { variables: { t: { schema: node } } }).ok).toBe(false);
  });
});

describe('compileExpression declarations', () => {
  it('rejects an identifier the caller did not declare even after a larger variable set was cached', () => {
    const spec = { type: 'object', properties: { flag: { type: 'boolean' } } } as const;
    const wide = {
      schema: { schema: { type: 'object', properties: { spec } } },
      dep: { schema: spec },
    } as const;
    expect(compileExpression('schema.spec.flag && dep.flag', { variables: wide }).ok).toBe(true);
    const narrow = compileExpression('schema.spec.flag', { variables: { dep: { schema: spec } } });
    expect(narrow.ok).toBe(false);
    if (!narrow.ok) expect(narrow.error.message).toBe('references unknown identifiers: [schema]');
  });
});
