// OpenAPI → the instance CRD of an RGD (spec 02 §9). Pure and deterministic: keys sorted at every
// level and `required` lists sorted, so an unchanged RGD yields byte-identical output and never
// causes a CRD write. Ownership is carried by labels only (no owner reference).

import type { OpenApiSchema } from '../api/openapi.js';
import type { PrinterColumn, ResourceGraphDefinition } from '../api/rgd.js';
import { DEFAULT_INSTANCE_GROUP, Labels, versionLabelValue } from '../api/constants.js';
import type { JsonObject } from '../lib/json.js';
import { deepClone, sortKeysDeep } from '../lib/json.js';
import { pluralize } from './pluralize.js';
import { sortRequiredDeep } from './schema-walk.js';
import { buildStatusSchema } from './status-schema.js';

export const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
export const CRD_KIND = 'CustomResourceDefinition';

/** kro's default printer columns, used when the RGD declares none. */
export const DEFAULT_PRINTER_COLUMNS: readonly PrinterColumn[] = [
  {
    name: 'State',
    type: 'string',
    jsonPath: '.status.state',
    description: 'The state of a ResourceGraphDefinition instance',
  },
  {
    name: 'Ready',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    description: 'Whether a ResourceGraphDefinition instance is ready',
  },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Age of the resource' },
];

export interface CrdNames {
  readonly group: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  /** `<plural>.<group>`, the CRD's metadata.name. */
  readonly crdName: string;
}

/** Names of the CRD generated for a kind (`WebApp` → `webapps.<group>`). */
export function crdNamesFor(kind: string, group: string = DEFAULT_INSTANCE_GROUP): CrdNames {
  const singular = kind.toLowerCase();
  const plural = pluralize(singular);
  return { group, kind, listKind: `${kind}List`, plural, singular, crdName: `${plural}.${group}` };
}

export interface SynthesizeCrdInput {
  readonly rgd: ResourceGraphDefinition;
  /** The instance `spec` schema (from SimpleSchema). */
  readonly specSchema: OpenApiSchema;
  /** The status schema inferred from status expressions, possibly `{type: object}`. */
  readonly statusSchema: OpenApiSchema;
  /** Written into `kro.run/kro-version` ('+' replaced by '-'); defaults to kro-ts's version. */
  readonly kroVersion?: string;
}

export function synthesizeCrd(input: SynthesizeCrdInput): JsonObject {
  const schema = input.rgd.spec.schema;
  const names = crdNamesFor(schema.kind, schema.group || DEFAULT_INSTANCE_GROUP);

  const openApi: OpenApiSchema = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: deepClone(input.specSchema),
      status: buildStatusSchema(input.statusSchema),
    },
  };
  sortRequiredDeep(openApi);

  const crdNames: Record<string, unknown> = {
    kind: names.kind,
    listKind: names.listKind,
    plural: names.plural,
    singular: names.singular,
  };
  if ((schema.shortNames ?? []).length > 0) crdNames['shortNames'] = [...(schema.shortNames ?? [])];
  if ((schema.categories ?? []).length > 0) crdNames['categories'] = [...(schema.categories ?? [])];

  const custom = schema.additionalPrinterColumns ?? [];
  const columns = (custom.length > 0 ? custom : DEFAULT_PRINTER_COLUMNS).map(copyColumn);

  const crd = {
    apiVersion: CRD_API_VERSION,
    kind: CRD_KIND,
    metadata: crdMetadata(input, names.crdName),
    spec: {
      group: names.group,
      names: crdNames,
      scope: schema.scope ?? 'Namespaced',
      versions: [
        {
          name: schema.apiVersion,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: columns,
          schema: { openAPIV3Schema: openApi },
        },
      ],
    },
  };
  return sortKeysDeep(crd) as JsonObject;
}

function crdMetadata(input: SynthesizeCrdInput, name: string): Record<string, unknown> {
  const { rgd } = input;
  const userMeta = rgd.spec.schema.metadata;
  // The user's labels first; kro's ownership labels win on conflict.
  const labels: Record<string, string> = {
    ...(userMeta?.labels ?? {}),
    [Labels.owned]: 'true',
    [Labels.kroVersion]: versionLabelValue(input.kroVersion),
    [Labels.rgdName]: rgd.metadata?.name ?? '',
  };
  if (rgd.metadata?.uid !== undefined) labels[Labels.rgdId] = rgd.metadata.uid;
  const meta: Record<string, unknown> = { name, labels };
  const annotations = userMeta?.annotations ?? {};
  if (Object.keys(annotations).length > 0) meta['annotations'] = { ...annotations };
  return meta;
}

/** Copies the fields a CRD column has; priority 0 is omitted as Go's omitempty does. */
function copyColumn(c: PrinterColumn): Record<string, unknown> {
  const out: Record<string, unknown> = { name: c.name, type: c.type, jsonPath: c.jsonPath };
  if (c.format !== undefined && c.format !== '') out['format'] = c.format;
  if (c.description !== undefined && c.description !== '') out['description'] = c.description;
  if (c.priority !== undefined && c.priority !== 0) out['priority'] = c.priority;
  return out;
}
