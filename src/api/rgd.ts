// Wire types of kro.run/v1alpha1 ResourceGraphDefinition (spec/01 §1–2). Field names are kro's.
// Templates and SimpleSchema blocks are free-form, so they are typed as unknown JSON.

import type { JsonObject, JsonValue } from '../lib/json.js';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface RgdSchema {
  apiVersion: string;
  kind: string;
  group?: string;
  scope?: 'Namespaced' | 'Cluster';
  spec?: JsonObject;
  types?: JsonObject;
  status?: JsonObject;
  additionalPrinterColumns?: PrinterColumn[];
  shortNames?: string[];
  categories?: string[];
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ExternalRef {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; selector?: LabelSelector };
}

export interface RgdResource {
  id: string;
  template?: JsonObject;
  externalRef?: ExternalRef;
  readyWhen?: string[];
  includeWhen?: string[];
  /** Each entry is a single-key map `{iterator: "${listExpr}"}`. */
  forEach?: Record<string, string>[];
}

export interface RgdSpec {
  schema: RgdSchema;
  resources?: RgdResource[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface RgdStatus {
  state?: string;
  topologicalOrder?: string[];
  resources?: { id: string; dependencies?: { id: string }[] }[];
  lastIssuedRevision?: number;
  conditions?: Condition[];
}

export interface ResourceGraphDefinition {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: RgdSpec;
  status?: RgdStatus;
}

export type { JsonObject, JsonValue };
