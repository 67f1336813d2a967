// The GraphRevision API (internal.kro.run/v1alpha1, kro v0.9.4): an immutable, cluster-scoped
// snapshot of one accepted ResourceGraphDefinition spec. Wire types, names and the CRD
// (crds/internal.kro.run_graphrevisions.yaml is generated from this file by hack/gen-crds.ts).
// The snapshot's spec schema is the RGD's own spec schema, so the two CRDs cannot drift.

import { stringify } from 'yaml';
import type { JsonObject, JsonValue } from '../lib/json.js';
import { sortKeysDeep } from '../lib/json.js';
import type { Condition, ObjectMeta, RgdSpec } from './rgd.js';
import { RGD_OPENAPI_SCHEMA } from './rgd-crd.js';

export const GR_GROUP = 'internal.kro.run';
export const GR_VERSION = 'v1alpha1';
export const GR_API_VERSION = `${GR_GROUP}/${GR_VERSION}`;
export const GR_KIND = 'GraphRevision';
export const GR_PLURAL = 'graphrevisions';
export const GR_SINGULAR = 'graphrevision';
export const GR_SHORT_NAME = 'gr';
export const GR_CRD_NAME = `${GR_PLURAL}.${GR_GROUP}`;
export const GR_CRD_FILE = 'crds/internal.kro.run_graphrevisions.yaml';
/** The label holding the snapshot's spec hash (kro's `graph-revision-hash`). */
export const GR_HASH_LABEL = 'kro.run/graph-revision-hash';
/** The CRD's selectable field: list one RGD's revisions with `fieldSelector=spec.snapshot.name=<rgd>`. */
export const GR_SNAPSHOT_NAME_FIELD = 'spec.snapshot.name';

/** GraphRevision condition types: GraphVerified, with the root Ready. */
export const GraphRevisionConditionTypes = { graphVerified: 'GraphVerified', ready: 'Ready' } as const;

export interface GraphRevisionSpec {
  revision: number;
  snapshot: { name: string; generation: number; spec: RgdSpec };
}

export interface GraphRevisionStatus {
  topologicalOrder?: string[];
  conditions?: Condition[];
  resources?: { id: string; dependencies?: { id: string }[] }[];
}

export interface GraphRevision {
  apiVersion: string;
  kind: string;
  /** Cluster-scoped: no namespace. */
  metadata: Omit<ObjectMeta, 'namespace'>;
  spec: GraphRevisionSpec;
  status?: GraphRevisionStatus;
}

const rgdProperties = (RGD_OPENAPI_SCHEMA['properties'] ?? {}) as Record<string, JsonObject>;
const rgdStatusProperties = (rgdProperties['status']?.['properties'] ?? {}) as Record<string, JsonObject>;

function withDescription(schema: JsonObject | undefined, description: string): JsonObject {
  return { ...(schema ?? {}), description };
}

/** The openAPIV3Schema of internal.kro.run/v1alpha1 GraphRevision. */
export const GR_OPENAPI_SCHEMA: JsonObject = {
  description: 'GraphRevision is an immutable snapshot of a ResourceGraphDefinition revision.',
  properties: {
    apiVersion: rgdProperties['apiVersion'] as JsonValue,
    kind: rgdProperties['kind'] as JsonValue,
    metadata: { type: 'object' },
    spec: {
      description:
        'GraphRevisionSpec defines the desired state of GraphRevision.\nIt captures an immutable snapshot of the source ResourceGraphDefinition.',
      properties: {
        revision: {
          description: 'Revision is a monotonic revision number assigned per ResourceGraphDefinition name.',
          format: 'int64',
          minimum: 1,
          type: 'integer',
        },
        snapshot: {
          description:
            'Snapshot is an immutable capture of the source ResourceGraphDefinition\nidentity and spec at the time this revision was issued.',
          properties: {
            generation: {
              description:
                'Generation is the metadata.generation of the source ResourceGraphDefinition\nwhen this revision was issued. Informational only.',
              format: 'int64',
              type: 'integer',
            },
            name: {
              description:
                'Name identifies the source ResourceGraphDefinition by name.\nThis is the authoritative identity for adoption decisions.',
              type: 'string',
            },
            spec: withDescription(
              rgdProperties['spec'],
              'Spec is an immutable copy of the source ResourceGraphDefinition spec.\nThis includes user-authored schema and resource templates.',
            ),
          },
          required: ['generation', 'name', 'spec'],
          type: 'object',
        },
      },
      required: ['revision', 'snapshot'],
      type: 'object',
      'x-kubernetes-validations': [{ message: 'spec is immutable', rule: 'self == oldSelf' }],
    },
    status: {
      description:
        "GraphRevisionStatus defines the observed API state of GraphRevision.\nInternal runtime states such as Pending, Active, and Failed live in\nkro's in-memory revision registry and are not persisted here.",
      properties: {
        conditions: withDescription(
          rgdStatusProperties['conditions'],
          'Conditions represent the latest available observations of the GraphRevision state.\nGraphRevision exposes GraphVerified plus aggregate Ready.',
        ),
        resources: withDescription(
          rgdStatusProperties['resources'],
          'Resources provides detailed information about each resource in the graph.',
        ),
        topologicalOrder: {
          description: 'TopologicalOrder is the ordered list of resource IDs based on dependencies.',
          items: { type: 'string' },
          type: 'array',
        },
      },
      type: 'object',
    },
  },
  type: 'object',
};

export const GR_PRINTER_COLUMNS: JsonObject[] = [
  { jsonPath: '.spec.snapshot.name', name: 'RGD', priority: 1, type: 'string' },
  { jsonPath: '.spec.revision', name: 'REVISION', type: 'integer' },
  { jsonPath: '.metadata.labels.kro\\.run/graph-revision-hash', name: 'HASH', priority: 1, type: 'string' },
  { jsonPath: '.status.conditions[?(@.type=="Ready")].status', name: 'READY', type: 'string' },
  { jsonPath: '.metadata.creationTimestamp', name: 'AGE', type: 'date' },
];

export function graphRevisionCrd(): JsonObject {
  return sortKeysDeep({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: GR_CRD_NAME },
    spec: {
      group: GR_GROUP,
      names: {
        kind: GR_KIND,
        listKind: `${GR_KIND}List`,
        plural: GR_PLURAL,
        shortNames: [GR_SHORT_NAME],
        singular: GR_SINGULAR,
      },
      scope: 'Cluster',
      versions: [
        {
          additionalPrinterColumns: GR_PRINTER_COLUMNS,
          name: GR_VERSION,
          schema: { openAPIV3Schema: GR_OPENAPI_SCHEMA },
          selectableFields: [{ jsonPath: `.${GR_SNAPSHOT_NAME_FIELD}` }],
          served: true,
          storage: true,
          subresources: { status: {} },
        },
      ],
    },
  }) as JsonObject;
}

/** The file content of crds/internal.kro.run_graphrevisions.yaml. */
export function renderGraphRevisionCrdYaml(): string {
  const header = '# Generated by hack/gen-crds.ts from src/api/graph-revision.ts. Do not edit.\n---\n';
  return header + stringify(graphRevisionCrd(), { lineWidth: 0 });
}
