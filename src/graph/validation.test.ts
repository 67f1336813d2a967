import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResourceGraphDefinition, RgdResource, RgdSchema } from '../api/rgd.js';
import type { Issue } from '../lib/issue.js';
import { loadDocuments } from '../schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../schema/static-resolver.js';
import { buildGraph } from './build-graph.js';
import type { BuildGraphOptions } from './build-graph.js';

const resolver = new StaticSchemaResolver(
  loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url))),
);

function rgd(resources: unknown[], schema: Partial<RgdSchema> = {}): ResourceGraphDefinition {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'test' },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind: 'Test',
        spec: { name: 'string', replicas: 'integer | default=1', items: '[]string', flag: 'boolean' },
        ...schema,
      },
      resources: resources as RgdResource[],
    },
  };
}

function cm(
  id: string,
  extra: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): RgdResource {
  const template: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${id}-cm`, ...meta },
    ...extra,
  };
  return { id, template } as RgdResource;
}

function deploy(id: string, spec: Record<string, unknown>): RgdResource {
  return {
    id,
    template: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: id }, spec: spec as never },
  } as RgdResource;
}

async function issuesOf(
  r: ResourceGraphDefinition,
  options: Partial<BuildGraphOptions> = {},
): Promise<Issue[]> {
  const out = await buildGraph(r, { resolver, ...options });
  if (out.ok) return [];
  return out.error;
}

async function messages(
  r: ResourceGraphDefinition,
  options: Partial<BuildGraphOptions> = {},
): Promise<string[]> {
  return (await issuesOf(r, options)).map((i) => i.message);
}

describe('done-when: four different mistakes in one compile', () => {
  it('reports a type mismatch, a misspelled field, an unknown function and a cycle together', async () => {
    const issues = await issuesOf(
      rgd([
        deploy('app', {
          replicas: '${schema.spec.name}',
          selector: { matchLabels: { app: 'x' } },
          template: { spec: { containers: [{ name: 'c', imagee: '${schema.spec.name}' }] } },
        }),
        cm('a', { data: { v: '${b.metadata.name}', w: '${nosuch(schema.spec.name)}' } }),
        cm('b', { data: { v: '${a.metadata.name}' } }),
      ]),
    );
    expect(
      issues.map((i) => ({ nodeId: i.nodeId, path: i.path, expression: i.expression, message: i.message })),
    ).toEqual([
      {
        nodeId: 'app',
        path: 'spec.resources[0].template.spec.template.spec.containers[0].imagee',
        expression: 'schema.spec.name',
        message: 'schema not found for field imagee',
      },
      {
        nodeId: 'app',
        path: 'spec.resources[0].template.spec.replicas',
        expression: 'schema.spec.name',
        message:
          'type mismatch in resource "app" at path "spec.replicas": expression "schema.spec.name" returns type "string" but expected "int"',
      },
      {
        nodeId: 'a',
        path: 'spec.resources[1].template.data.w',
        expression: 'nosuch(schema.spec.name)',
        message: 'uses unknown functions: [nosuch]',
      },
      {
        nodeId: 'a',
        path: 'spec.resources[1].template.data.v',
        expression: 'b.metadata.name',
        message: 'failed to build dependency graph: graph contains a cycle: a -> b -> a',
      },
    ]);
  });
});

describe('naming and shape checks (spec/01 §5 checks 1–9)', () => {
  it('check 1: kind must be UpperCamelCase', async () => {
    expect(await messages(rgd([], { kind: 'myApp' }))).toEqual([
      "naming convention violation: kind 'myApp' is not a valid KRO kind name: must be UpperCamelCase",
    ]);
  });

  it('checks 2–4: reserved, malformed and duplicate ids', async () => {
    expect(await messages(rgd([cm('schema'), cm('My_Thing'), cm('ok'), cm('ok')]))).toEqual([
      'naming convention violation: id schema is a reserved keyword in KRO',
      'naming convention violation: id My_Thing is not a valid KRO resource id: must be lower camelCase',
      'naming convention violation: found duplicate resource IDs ok',
    ]);
  });

  it('checks 5–6: forEach dimensions and iterator names', async () => {
    const many = { ...cm('many'), forEach: [{ a: '${schema.spec.items}' }, { b: '${schema.spec.items}' }] };
    const bad = {
      ...cm('bad'),
      forEach: [
        { Bad: '${schema.spec.items}' },
        { each: '${schema.spec.items}' },
        { many: '${schema.spec.items}' },
      ],
    };
    const dup = { ...cm('dup'), forEach: [{ x: '${schema.spec.items}' }, { x: '${schema.spec.items}' }] };
    expect(await messages(rgd([many, bad, dup]), { maxCollectionDimensions: 1 })).toEqual([
      'resource "many": forEach cannot have more than 1 dimensions, got 2',
      'resource "bad": forEach cannot have more than 1 dimensions, got 3',
      'resource "bad": forEach iterator name "Bad" is not valid: must be lowerCamelCase',
      'resource "bad": forEach iterator name "each" is a reserved keyword',
      'resource "bad": forEach iterator name "many" conflicts with resource ID',
      'resource "dup": forEach cannot have more than 1 dimensions, got 2',
      'resource "dup": duplicate forEach iterator name "x"',
    ]);
  });

  it('check 7: SimpleSchema issues are passed through', async () => {
    const ms = await messages(rgd([], { spec: { a: 'Foo' } }));
    expect(ms).toEqual(['field a: unknown type: Foo']);
  });

  it('check 8: template XOR externalRef, no externalRef with forEach', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(
      await messages(
        rgd([
          { id: 'none' },
          { ...cm('both'), externalRef: ref },
          { id: 'refEach', externalRef: ref, forEach: [{ i: '${schema.spec.items}' }] },
        ]),
      ),
    ).toEqual([
      'resource "none": exactly one of template or externalRef must be provided',
      'resource "both": cannot use externalRef with template',
      'resource "refEach": cannot use externalRef with forEach',
    ]);
  });

  it('check 9: the template envelope', async () => {
    const t = (template: unknown) => ({ id: 'x', template });
    const cases: [unknown, string][] = [
      [{ kind: 'ConfigMap', metadata: {} }, 'apiVersion field not found'],
      [{ apiVersion: 1, kind: 'ConfigMap', metadata: {} }, 'apiVersion field is not a string'],
      [{ apiVersion: 'v1', metadata: {} }, 'kind field not found'],
      [{ apiVersion: 'v1', kind: true, metadata: {} }, 'kind field is not a string'],
      [{ apiVersion: 'v1', kind: 'ConfigMap' }, 'metadata field not found'],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: 'x' }, 'metadata field is not a map'],
    ];
    for (const [template, leaf] of cases) {
      expect(await messages(rgd([t(template)]))).toEqual([
        `resource x is not a valid Kubernetes object: ${leaf}`,
      ]);
    }
  });

  it('externalRef needs exactly one of name or selector', async () => {
    const r = rgd([{ id: 'x', externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } }]);
    expect(await messages(r)).toEqual(['exactly one of name or selector must be provided']);
  });
});

describe('schema-dependent checks (10–14)', () => {
  it('check 10: unknown kinds', async () => {
    const r = rgd([
      { id: 'x', template: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } },
    ]);
    expect(await messages(r)).toEqual([
      'failed to get schema for resource x: no matches for kind "Widget" in version "example.com/v1"',
    ]);
  });

  it('check 11: scope of metadata.namespace', async () => {
    const ns = {
      id: 'ns',
      template: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', namespace: 'x' } },
    };
    expect(await messages(rgd([ns]))).toEqual([
      'resource "ns" is cluster-scoped and must not set metadata.namespace',
    ]);
    const sel = {
      id: 'sel',
      externalRef: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { selector: { matchLabels: { a: 'b' } } },
      },
    };
    const withNs = cm('withNs', {}, { namespace: '${schema.metadata.name}' });
    expect(await messages(rgd([cm('plain'), sel, withNs], { scope: 'Cluster' }))).toEqual([
      'resource "plain" is namespaced and must set metadata.namespace when the instance CRD is cluster-scoped',
    ]);
  });

  it('check 12: reserved label and annotation prefixes', async () => {
    const r = rgd([
      cm('x', {}, { labels: { 'kro.run/owned': 'x', ok: 'y' }, annotations: { 'internal.kro.run/a': 'b' } }),
    ]);
    const issues = await issuesOf(r);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [
        'spec.resources[0].template.metadata.labels["kro.run/owned"]',
        'invalid label for resource "x". labels with prefix "kro.run/" are reserved for internal use',
      ],
      [
        'spec.resources[0].template.metadata.annotations["internal.kro.run/a"]',
        'invalid annotation for resource "x". annotations with prefix "internal.kro.run/" are reserved for internal use',
      ],
    ]);
  });

  it('check 13: expressions in CRD templates only under metadata', async () => {
    const crd = {
      id: 'crd',
      template: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: '${schema.spec.name}' },
        spec: {
          group: '${schema.spec.name}',
          names: { kind: 'X', plural: 'xs' },
          scope: 'Namespaced',
          versions: [],
        },
      },
    };
    expect(await messages(rgd([crd]))).toEqual([
      'CEL expressions in CRDs are only supported for metadata fields, found in path "spec.group", resource crd',
    ]);
  });

  it('check 14: literals against the schema', async () => {
    const r = rgd([
      deploy('d', {
        replicas: 'three',
        paused: 1,
        minReadySeconds: 1.5,
        selector: { matchLabels: { app: 2 } },
        template: { spec: { containers: 'nope' } },
        bogus: { a: 1 },
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      }),
    ]);
    expect(await messages(r)).toEqual([
      'expected integer type for path spec.replicas, got string',
      'expected boolean type for path spec.paused, got integer',
      'expected integer type for path spec.minReadySeconds, got float64',
      'expected string type for path spec.selector.matchLabels.app, got integer',
      'expected array type for path spec.template.spec.containers, got string',
      'schema not found for field bogus',
    ]);
  });

  it('check 14: string templates in non-string fields; standalone expressions of the right type pass', async () => {
    const r = rgd([
      deploy('d', { replicas: 'n-${schema.spec.replicas}', minReadySeconds: '${schema.spec.replicas}' }),
    ]);
    expect(await messages(r)).toEqual(['expected integer type for path spec.replicas, got string']);
  });

  it('check 14: preserve-unknown subtrees and int-or-string accept anything', async () => {
    const crd = {
      id: 'crd',
      template: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'x' },
        spec: {
          group: 'g',
          names: { kind: 'X', plural: 'xs' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { properties: { a: { properties: { b: { anything: [1, 'x'] } } } } },
              },
            },
          ],
        },
      },
    };
    expect(await messages(rgd([crd]))).toEqual([]);
  });
});

describe('expression checks (15–16, 19)', () => {
  it('unknown identifiers and functions', async () => {
    const r = rgd([cm('x', { data: { a: '${nope.b}', b: '${schema.spec.name.nosuch()}' } })]);
    expect(await messages(r)).toEqual([
      'references unknown identifiers: [nope]',
      'uses unknown functions: [nosuch]',
    ]);
  });

  it('string template parts must be strings', async () => {
    const r = rgd([
      cm('x', { data: { a: 'n-${schema.spec.replicas}', b: 'ok-${string(schema.spec.replicas)}' } }),
    ]);
    expect(await messages(r)).toEqual([
      'string template part "${schema.spec.replicas}" at path "data.a" has type int; only strings can be concatenated, use string(...)',
    ]);
  });

  it('a type mismatch names the incompatible field', async () => {
    const r = rgd([deploy('d', { selector: { matchLabels: '${schema.spec.items}' }, template: {} })]);
    expect(await messages(r)).toEqual([
      'type mismatch in resource "d" at path "spec.selector.matchLabels": expression "schema.spec.items" returns type "list(string)" but expected "map(string, string)"',
    ]);
  });

  it('includeWhen and readyWhen: standalone, bool, scoped variables', async () => {
    const r = rgd([
      {
        ...cm('x'),
        includeWhen: ['${schema.spec.flag}', 'on-${schema.spec.flag}', '${schema.spec.replicas}'],
        readyWhen: ['${x.data.?a.hasValue()}', '${schema.spec.flag}', '${x.metadata.name}'],
      },
    ]);
    expect(await messages(r)).toEqual([
      'only standalone expressions are allowed',
      'includeWhen expression "schema.spec.replicas" in resource "x" must return bool or optional_type(bool), but returns "int"',
      'references unknown identifiers: [schema]',
      'readyWhen expression "x.metadata.name" in resource "x" must return bool or optional_type(bool), but returns "string"',
    ]);
  });

  it('readyWhen of a collection sees only each', async () => {
    const c = {
      ...cm('c', {}, { name: '${elem}' }),
      forEach: [{ elem: '${schema.spec.items}' }],
      readyWhen: ['${has(each.data)}', '${size(c) > 0}'],
    };
    expect(await messages(rgd([c]))).toEqual(['references unknown identifiers: [c]']);
  });

  it('forEach: one standalone list expression, independent iterators, identity', async () => {
    const r = rgd([
      { ...cm('a', {}, { name: '${i}' }), forEach: [{ i: 'x-${schema.spec.name}' }] },
      { ...cm('b', {}, { name: '${i}' }), forEach: [{ i: '${schema.spec.name}' }] },
      { ...cm('c', {}, { name: '${i}-${j}' }), forEach: [{ i: '${schema.spec.items}' }, { j: '${[i]}' }] },
      {
        ...cm('d', {}, { name: '${i}' }),
        forEach: [{ i: '${schema.spec.items}' }, { j: '${schema.spec.items}' }],
      },
    ]);
    expect(await messages(r)).toEqual([
      'forEach dimension "i" must have exactly one expression',
      'node "b": forEach iterator "i" must return a list, got "string"',
      'node "c": forEach iterator "j" cannot reference other iterators [i] - forEach iterators are independent (cartesian product)',
      'node "d": all forEach dimensions must be used to produce a unique resource identity, missing: [j]',
    ]);
  });

  it('iterators are typed by the element type of their list', async () => {
    const r = rgd([
      {
        ...cm('a', { data: { n: '${i + 1}' } }, { name: '${i}' }),
        forEach: [{ i: '${schema.spec.items}' }],
      },
    ]);
    const ms = await messages(r);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatch(/overload/);
  });

  it('omit(): gate, placement and contexts', async () => {
    const tpl = cm('x', { data: { a: '${omit()}' } }, { name: '${omit()}' });
    expect(await messages(rgd([tpl]))).toEqual([
      'omit() requires the CELOmitFunction feature gate to be enabled',
      'omit() requires the CELOmitFunction feature gate to be enabled',
    ]);
    expect(await messages(rgd([tpl]), { omitEnabled: true })).toEqual([
      'resource "x": omit() cannot be used at path "metadata.name" — the field is required and must resolve to a concrete value',
    ]);
    const cond = { ...cm('y'), includeWhen: ['${omit() == null}'] };
    expect(await messages(rgd([cond]), { omitEnabled: true })).toEqual([
      'omit() can only be used in resource template expressions',
    ]);
  });

  it('runtime is refused outside status.conditions', async () => {
    expect(await messages(rgd([cm('x', { data: { a: '${runtime.x}' } })]))).toEqual([
      'runtime is only available in status.conditions expressions',
    ]);
  });

  it('syntax errors in ${...} carry the path', async () => {
    const issues = await issuesOf(
      rgd([
        cm('x', { data: { a: '${schema.spec.name', b: '${f(${g})}' } }),
        deploy('d', { replicas: '${x' }),
      ]),
    );
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['spec.resources[0].template.data.a', 'unterminated expression: "${" at offset 0 has no matching "}"'],
      [
        'spec.resources[0].template.data.b',
        'nested expressions are not allowed unless inside string literals',
      ],
      [
        'spec.resources[1].template.spec.replicas',
        'unterminated expression: "${" at offset 0 has no matching "}"',
      ],
    ]);
  });
});

describe('dependency checks (17)', () => {
  it('self references', async () => {
    const issues = await issuesOf(rgd([cm('x', { data: { a: '${x.metadata.name}' } })]));
    expect(issues.map((i) => [i.nodeId, i.path, i.expression, i.message])).toEqual([
      [
        'x',
        'spec.resources[0].template.data.a',
        'x.metadata.name',
        'failed to build dependency graph: self references are not allowed',
      ],
    ]);
  });

  it('cycles of three, with the path', async () => {
    const r = rgd([
      cm('a', { data: { v: '${c.metadata.name}' } }),
      cm('b', { data: { v: '${a.metadata.name}' } }),
      cm('c', { data: { v: '${b.metadata.name}' } }),
    ]);
    expect(await messages(r)).toEqual([
      'failed to build dependency graph: graph contains a cycle: a -> c -> b -> a',
    ]);
  });

  it('includeWhen and forEach add edges; readyWhen and status do not', async () => {
    const r = await buildGraph(
      rgd(
        [
          { ...cm('a'), readyWhen: ['${a.metadata.name != ""}'] },
          { ...cm('b'), includeWhen: ['${a.metadata.name != ""}'] },
          { ...cm('c', {}, { name: '${i}' }), forEach: [{ i: '${[b.metadata.name]}' }] },
        ],
        { status: { names: '${[a.metadata.name, c[0].metadata.name]}' } },
      ),
      { resolver },
    );
    if (!r.ok) throw new Error(r.error.map((i) => i.message).join('\n'));
    expect(r.value.toStatus()).toEqual({
      topologicalOrder: ['a', 'b', 'c'],
      resources: [
        { id: 'b', dependencies: [{ id: 'a' }] },
        { id: 'c', dependencies: [{ id: 'b' }] },
      ],
    });
  });
});

describe('status checks (18)', () => {
  it('literal leaves, references, conditions', async () => {
    const r = rgd([cm('a')], {
      status: {
        fixed: 'hello',
        nested: { n: 3, ok: '${a.metadata.name}' },
        constant: '${"x"}',
        conditions: ['${runtime.newCondition({type: "X", status: "True"})}'],
      },
    });
    expect(await messages(r)).toEqual([
      'status fields without expressions are not supported: [fixed nested.n]',
      'instance status field must refer to a resource or schema: constant',
    ]);
  });

  it('author conditions compile (newCondition, lists, schema lookups of built-ins)', async () => {
    const r = rgd([cm('a')], {
      status: {
        name: '${a.metadata.name}',
        conditions: [
          "${runtime.newCondition({type: 'CmReady', status: has(a.data) ? 'True' : 'False', reason: 'R', message: a.metadata.name})}",
          "${[1, 2].map(i, runtime.newCondition({type: 'T' + string(i), status: 'True'}))}",
          "${runtime.newCondition({type: 'Mirror', status: runtime.condition(schema, 'ResourcesReady').status})}",
          // kro-ts: the kstatus conditions it derives can be passed through.
          "${runtime.condition(schema, 'Stalled')}",
          "${[runtime.condition(schema, 'Reconciling'), runtime.condition(schema, 'GraphCurrent')]}",
        ],
      },
    });
    const out = await buildGraph(r, { resolver });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.value.status.conditions.map((c) => [c.path, c.dependencies])).toEqual([
      ['spec.schema.status.conditions[0]', ['a']],
      ['spec.schema.status.conditions[1]', []],
      ['spec.schema.status.conditions[2]', []],
      ['spec.schema.status.conditions[3]', []],
      ['spec.schema.status.conditions[4]', []],
    ]);
    expect(out.value.status.declared).toEqual(['name']);
    const crd = out.value.crd as {
      spec: {
        versions: {
          schema: {
            openAPIV3Schema: { properties: { status: { properties: Record<string, { type: string }> } } };
          };
        }[];
      };
    };
    const crdStatus = crd.spec.versions[0]?.schema.openAPIV3Schema.properties.status;
    expect(crdStatus?.properties['conditions']?.type).toBe('array');
  });

  it('author conditions: kro build-time rules', async () => {
    const cases: [unknown, string][] = [
      [{ a: 1 }, 'status.conditions must be a list, got map[string]interface {}'],
      [[3], 'status.conditions[0] must be a CEL expression string, got int64'],
      [['plain'], 'invalid conditions block: status.conditions[0] must be a single ${...} expression'],
      [
        ["${runtime.newCondition({type: 'A', status: 'Yes'})}"],
        'runtime.newCondition: status must be one of True, False, Unknown (got "Yes")',
      ],
      [
        ["${runtime.newCondition({type: '', status: 'True'})}"],
        'runtime.newCondition: type must not be empty',
      ],
      [["${runtime.newCondition({type: 'A'})}"], "runtime.newCondition: 'status' is required"],
      [
        ["${runtime.newCondition({type: 'A', status: 'True', color: 'x'})}"],
        'runtime.newCondition: unknown key "color" (allowed: type, status, reason, message)',
      ],
      [
        ['${schema.spec.name}'],
        'condition expressions must return runtime.newCondition(...) or a list of them, got "string"',
      ],
      [
        [
          "${runtime.newCondition({type: 'A', status: 'True'})}",
          "${runtime.newCondition({type: 'A', status: 'False'})}",
        ],
        'condition type "A" is declared by more than one conditions entry',
      ],
      [
        [
          "${runtime.newCondition({type: 'A', status: 'True'})}",
          "${runtime.newCondition({type: 'B', status: runtime.condition(schema, 'A').status})}",
        ],
        'runtime.condition(schema, "A"): custom conditions cannot reference each other',
      ],
      [
        ["${runtime.newCondition({type: 'B', status: runtime.condition(schema, 'Redy').status})}"],
        'runtime.condition(schema, "Redy"): unknown condition type; only kro\'s built-in types (InstanceManaged, GraphResolved, ResourcesReady, Ready) and kro-ts\'s Reconciling, Stalled, GraphCurrent can be read from schema',
      ],
      [["${runtime.newCondition({type: 'A', status: nope.x})}"], 'nope'],
    ];
    for (const [conditions, want] of cases) {
      const ms = await messages(rgd([cm('a')], { status: { conditions } as never }));
      expect(ms.join('\n'), JSON.stringify(conditions)).toContain(want);
    }
  });

  it('runtime stays refused in status fields and templates', async () => {
    const ms = await messages(
      rgd([cm('a')], { status: { x: "${runtime.condition(schema, 'Ready').status}" } }),
    );
    expect(ms).toEqual(['runtime is only available in status.conditions expressions']);
  });

  it('type-check failures quote expression and path', async () => {
    const r = rgd([cm('a')], { status: { bad: '${a.metadata.name + 1}' } });
    const ms = await messages(r);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatch(/^failed to type-check status expression "a.metadata.name \+ 1" at path "bad": /);
  });

  it('infers types, keeps declared names for the author', async () => {
    const r = await buildGraph(
      rgd([cm('a')], {
        status: {
          name: '${a.metadata.name}',
          labels: '${a.metadata.labels}',
          mixed: ['${a.metadata.name}', '${a.metadata.generation}'],
          state: '${a.metadata.uid}',
          when: '${a.metadata.creationTimestamp}',
        },
      }),
      { resolver },
    );
    if (!r.ok) throw new Error(r.error.map((i) => i.message).join('\n'));
    const props = r.value.status.schema.properties ?? {};
    expect(props['name']).toEqual({ type: 'string' });
    expect(props['labels']).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(props['mixed']).toEqual({
      type: 'array',
      items: { 'x-kubernetes-preserve-unknown-fields': true },
    });
    expect(props['state']).toEqual({ type: 'string' });
    expect(props['when']).toEqual({ type: 'string', format: 'date-time' });
    expect(props['observedGeneration']).toEqual({ type: 'integer', format: 'int64' });
    expect(r.value.status.declared).toEqual(['labels', 'mixed', 'name', 'state', 'when']);
  });
});

describe('externalRef and instance scope', () => {
  it('externalRef name, namespace and selector values may hold expressions and create edges', async () => {
    const r = await buildGraph(
      rgd([
        cm('base'),
        {
          id: 'ref',
          externalRef: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              namespace: '${base.metadata.namespace}',
              selector: {
                matchLabels: { team: '${schema.spec.name}' },
                matchExpressions: [{ key: 'tier', operator: 'In', values: ['${base.metadata.name}', 'x'] }],
              },
            },
          },
        },
      ]),
      { resolver },
    );
    if (!r.ok) throw new Error(r.error.map((i) => i.message).join('\n'));
    const ref = r.value.nodesById.get('ref');
    expect(ref?.type).toBe('externalCollection');
    expect(ref?.dependencies).toEqual(['base']);
    expect(ref?.fields.map((f) => f.path)).toEqual([
      'spec.resources[1].externalRef.metadata.namespace',
      'spec.resources[1].externalRef.metadata.selector.matchLabels.team',
      'spec.resources[1].externalRef.metadata.selector.matchExpressions[0].values[0]',
    ]);
  });

  it('a cluster-scoped instance has no metadata.namespace in `schema`', async () => {
    const ns = {
      id: 'ns',
      template: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: '${schema.metadata.namespace}' } },
    };
    const issues = await issuesOf(rgd([ns], { scope: 'Cluster' }));
    expect(issues.map((i) => [i.code, i.path, i.expression])).toEqual([
      ['CelCompile', 'spec.resources[0].template.metadata.name', 'schema.metadata.namespace'],
    ]);
    const ok = await issuesOf(rgd([ns]));
    expect(ok).toEqual([]);
  });

  it('a resource may template another RGD instance through the CRD resolver chain', async () => {
    const { CrdSchemaResolver } = await import('../schema/crd-resolver.js');
    const { ChainSchemaResolver } = await import('../schema/chain-resolver.js');
    const inner = await buildGraph(rgd([cm('a')], { kind: 'Inner', spec: { size: 'integer' } }), {
      resolver,
    });
    if (!inner.ok) throw new Error('inner failed');
    const chain = new ChainSchemaResolver([new CrdSchemaResolver([inner.value.crd]), resolver]);
    const outer = rgd([
      {
        id: 'inner',
        template: {
          apiVersion: 'kro.run/v1alpha1',
          kind: 'Inner',
          metadata: { name: 'x' },
          spec: { size: '${schema.spec.name}' },
        },
      },
    ]);
    const out = await buildGraph(outer, { resolver: chain });
    expect(out.ok ? [] : out.error.map((i) => i.message)).toEqual([
      'type mismatch in resource "inner" at path "spec.size": expression "schema.spec.name" returns type "string" but expected "int"',
    ]);
  });
});
