// kro v0.9.4: externalRef `metadata.selector` given as a literal LabelSelector or as CEL.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResourceGraphDefinition, RgdResource } from '../api/rgd.js';
import type { Issue } from '../lib/issue.js';
import { loadDocuments } from '../schema/bundled-resolver.js';
import { StaticSchemaResolver } from '../schema/static-resolver.js';
import { buildGraph } from './build-graph.js';
import { decodeSelector, SELECTOR_SHAPE } from './selector.js';

const resolver = new StaticSchemaResolver(
  loadDocuments(fileURLToPath(new URL('../../test/fixtures/openapi/', import.meta.url))),
);

function rgd(metadata: Record<string, unknown>): ResourceGraphDefinition {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'test' },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind: 'Test',
        spec: { team: 'string', replicas: 'integer | default=1', selector: 'map[string]string' },
        status: { found: '${string(size(peers))}' },
      },
      resources: [
        { id: 'peers', externalRef: { apiVersion: 'v1', kind: 'ConfigMap', metadata } } as RgdResource,
      ],
    },
  };
}

async function build(
  metadata: Record<string, unknown>,
): Promise<{ type?: string | undefined; issues: Issue[] }> {
  const r = await buildGraph(rgd(metadata), { resolver });
  if (!r.ok) return { issues: r.error };
  return { type: r.value.nodesById.get('peers')?.type, issues: [] };
}

describe('externalRef selector (kro v0.9.4)', () => {
  it.each([
    ['a literal LabelSelector', { matchLabels: { app: 'web' } }],
    ['one CEL expression for the whole selector', '${{"matchLabels": {"team": schema.spec.team}}}'],
    ['a spec field holding the selector', '${schema.spec.selector}'],
    ['expressions inside matchLabels', { matchLabels: { team: '${schema.spec.team}' } }],
    [
      'expressions inside matchExpressions',
      { matchExpressions: [{ key: 'team', operator: 'In', values: ['${schema.spec.team}'] }] },
    ],
    ['a CEL list for matchExpressions', { matchExpressions: '${[{"key": "team", "operator": "Exists"}]}' }],
  ])('accepts %s', async (_what, selector) => {
    const r = await build({ selector });
    expect(r.issues).toEqual([]);
    expect(r.type).toBe('externalCollection');
  });

  const at = 'spec.resources[0].externalRef.metadata.selector';
  const refused = (problem: string): Partial<Issue> => ({
    path: at,
    message: `invalid external ref metadata for resource peers: ${problem}`,
  });

  it.each([
    ['a plain string', 'app=web', refused(SELECTOR_SHAPE)],
    ['a string template', 'app=${schema.spec.team}', refused(SELECTOR_SHAPE)],
    ['a number', 3, refused(SELECTOR_SHAPE)],
    [
      'a misspelled field',
      { matchLabel: { app: 'web' } },
      refused(
        'error getting field schema for path metadata.selector.matchLabel: schema not found for field matchLabel',
      ),
    ],
    [
      'a non-string label value',
      { matchLabels: { app: 1 } },
      refused('expected string type for path metadata.selector.matchLabels.app, got integer'),
    ],
    [
      'an unknown operator',
      { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['a'] }] },
      refused(
        'invalid label selector: [metadata.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator]',
      ),
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'app', operator: 'In' }] },
      refused(
        "invalid label selector: [metadata.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn']",
      ),
    ],
  ])('refuses %s at build time', async (_what, selector, issue) => {
    const r = await build({ selector });
    expect(r.issues).toEqual([expect.objectContaining(issue)]);
  });

  it('types expressions inside matchLabels as strings', async () => {
    const r = await build({ selector: { matchLabels: { team: '${schema.spec.replicas}' } } });
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.path).toBe(`${at}.matchLabels.team`);
  });

  it.each([
    ['neither', {}],
    ['a blank name', { name: '  ' }],
    ['a null selector', { selector: null }],
    ['both', { name: 'x', selector: { matchLabels: { a: 'b' } } }],
  ])('needs exactly one of name and selector: %s', async (_what, metadata) => {
    const r = await build(metadata);
    expect(r.issues).toEqual([
      expect.objectContaining({
        path: 'spec.resources[0].externalRef.metadata',
        message: 'exactly one of name or selector must be provided',
      }),
    ]);
  });
});

describe('decodeSelector (reconcile time, strict)', () => {
  it('accepts a LabelSelector', () => {
    expect(
      decodeSelector({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] }),
    ).toEqual({
      ok: true,
      value: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] },
    });
  });
  it.each([
    [{ matchLabel: { a: 'b' } }, 'json: unknown field "matchLabel"'],
    [{ app: 'web' }, 'json: unknown field "app"'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', value: ['x'] }] }, 'json: unknown field "value"'],
    ['app=web', 'json: cannot unmarshal string into Go value of type v1.LabelSelector'],
  ])('refuses %j', (value, error) => {
    expect(decodeSelector(value)).toEqual({ ok: false, error });
  });
});
