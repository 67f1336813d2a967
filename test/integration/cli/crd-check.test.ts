// kube-apiserver is the oracle for the CLI's CRD checks (src/source/crd-check.ts): each schema of the
// table is put into a CRD, created on the real API server, and the field paths the server refuses
// (its Status causes) must be exactly the paths `checkCrd` reports; accepted schemas must pass both.

import { describe, expect, it } from 'vitest';
import type { OpenApiSchema } from '../../../src/api/openapi.js';
import { checkCrd } from '../../../src/source/crd-check.js';
import type { KubeObject } from '../../../src/kube/index.js';
import { CRD_API_VERSION, CRD_KIND, KubeApiError } from '../../../src/kube/index.js';
import { deleteAfter, getKube, uniqueGroup } from '../../harness/index.js';

// One version: kube-apiserver reports paths of the internal form, where the schema is hoisted.
const ROOT = 'spec.validation.openAPIV3Schema';

function crdWithStatus(field: OpenApiSchema, columns?: unknown[]): KubeObject {
  const group = uniqueGroup('check');
  return {
    apiVersion: CRD_API_VERSION,
    kind: CRD_KIND,
    metadata: { name: `things.${group}`, labels: { 'kro-ts.test/crd': 'true' } },
    spec: {
      group,
      names: { kind: 'Thing', plural: 'things', singular: 'thing', listKind: 'ThingList' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: { status: {} },
          ...(columns ? { additionalPrinterColumns: columns } : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', properties: { field } },
              },
            },
          },
        },
      ],
    },
  };
}

/** Field paths kube-apiserver refused (empty when it accepted the CRD). */
async function serverVerdict(crd: KubeObject): Promise<string[]> {
  const kube = await getKube();
  try {
    await kube.resources.create(crd);
    deleteAfter({ apiVersion: CRD_API_VERSION, kind: CRD_KIND, name: crd.metadata.name ?? '' });
    return [];
  } catch (e) {
    if (!(e instanceof KubeApiError) || e.status !== 422) throw e;
    const causes = (e.details as { causes?: { field?: string }[] } | undefined)?.causes ?? [];
    return [...new Set(causes.map((c) => c.field ?? ''))].sort();
  }
}

const F = `${ROOT}.properties[status].properties[field]`;

// A DeploymentCondition as the built-in OpenAPI has it (what kro-ts copied before v0.9.4 parity).
const copiedConditions: OpenApiSchema = {
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  items: {
    type: 'object',
    default: {},
    required: ['type', 'status'],
    properties: {
      type: { type: 'string', default: '' },
      status: { type: 'string', default: '' },
      lastTransitionTime: { type: 'string', format: 'date-time' },
    },
  },
};

const table: [string, OpenApiSchema, string[]][] = [
  [
    'a copied DeploymentCondition list (default {} misses required fields)',
    copiedConditions,
    [`${F}.items.default.status`, `${F}.items.default.type`],
  ],
  ['a field with no type', { properties: { a: { type: 'string' } } }, [`${F}.type`]],
  ['an array without items', { type: 'array' }, [`${F}.items`]],
  [
    "int-or-string's anyOf with a description inside",
    {
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer', description: 'n' }, { type: 'string' }],
    },
    // No longer the exact int-or-string pattern, so the types inside anyOf are refused too.
    [`${F}.anyOf[0].description`, `${F}.anyOf[0].type`, `${F}.anyOf[1].type`],
  ],
  ['a type inside oneOf', { type: 'object', oneOf: [{ type: 'object' }] }, [`${F}.oneOf[0].type`]],
  ['a default outside its enum', { type: 'string', enum: ['a', 'b'], default: 'c' }, [`${F}.default`]],
  ['a default of the wrong type', { type: 'integer', default: 'x' }, [`${F}.default`]],
  [
    'a default with a field the schema prunes',
    { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } },
    [`${F}.default`],
  ],
  [
    'x-kubernetes-list-type on an object',
    { type: 'object', 'x-kubernetes-list-type': 'atomic' },
    [`${F}.type`],
  ],
  [
    'properties together with additionalProperties',
    { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
    [`${F}.additionalProperties`],
  ],
  ['$ref', { type: 'object', $ref: '#/definitions/x' } as OpenApiSchema, [`${F}.$ref`]],
  [
    'a list-map key that is neither required nor defaulted',
    {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['k'],
      items: { type: 'object', properties: { k: { type: 'string' } } },
    },
    [`${F}.items.properties[k].default`],
  ],
  // Accepted: what kro v0.9.4 and kro-ts now emit for projections of built-in kinds.
  [
    'the structural DeploymentCondition list',
    {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          status: { type: 'string' },
          lastTransitionTime: { 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
    [],
  ],
  ['int-or-string as preserve-unknown', { 'x-kubernetes-preserve-unknown-fields': true }, []],
  [
    'the int-or-string anyOf pattern',
    { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    [],
  ],
  ['a valid default', { type: 'string', enum: ['a', 'b'], default: 'a' }, []],
];

describe('CLI CRD checks against kube-apiserver', () => {
  it.each(table)('%s', async (_what, field, want) => {
    const crd = crdWithStatus(field);
    const cli = [...new Set(checkCrd(crd).map((e) => e.path))].sort();
    const server = await serverVerdict(crd);
    expect({ server, cli }).toEqual({ server: [...want].sort(), cli: [...want].sort() });
  });

  it('printer columns: an unknown type is refused at the same field', async () => {
    const crd = crdWithStatus({ type: 'string' }, [{ name: 'X', type: 'text', jsonPath: '.status.field' }]);
    const server = await serverVerdict(crd);
    expect(server).toEqual(['spec.additionalPrinterColumns[0].type']);
    expect(checkCrd(crd).map((e) => e.path)).toEqual(server);
  });
});
