// CompiledGraph: the immutable result of compiling one RGD, and the only thing the instance
// runtime walks. Everything a reconcile needs is precomputed here (compiled expressions per field
// path, iterator and `each` bindings, dependencies, order, layers, status fields), so the runtime
// never re-parses YAML or re-checks types. All objects are frozen.

import type { OpenApiSchema } from '../api/openapi.js';
import type { CompiledExpression } from '../cel/index.js';
import type { PathSegment } from '../expr/path.js';
import type { JsonObject } from '../lib/json.js';
import type { Gvk } from '../schema/types.js';

export type NodeType = 'resource' | 'collection' | 'external' | 'externalCollection';

/** One string value holding `${...}`: what to evaluate and where to put the result. */
export interface CompiledField {
  /** RGD path, e.g. `spec.resources[2].template.spec.replicas`. */
  readonly path: string;
  /** Path inside the template / externalRef / status block, e.g. `spec.replicas`. */
  readonly relativePath: string;
  readonly segments: readonly PathSegment[];
  /** One `${...}` and nothing else: the value keeps its CEL type. */
  readonly standalone: boolean;
  /**
   * String template: result = literalParts[0] + e0 + literalParts[1] + ... (each part a string).
   * Standalone: ['', ''].
   */
  readonly literalParts: readonly string[];
  readonly expressions: readonly CompiledExpression[];
  /** Root identifiers of all expressions (resource ids, `schema`, iterators), sorted. */
  readonly references: readonly string[];
  /** Resource ids among the references, sorted. */
  readonly dependencies: readonly string[];
  /** Iterators among the references: the field differs per collection item. */
  readonly iterators: readonly string[];
}

export interface CompiledCondition {
  readonly path: string;
  readonly expression: CompiledExpression;
  readonly references: readonly string[];
}

export interface CompiledForEachDimension {
  /** The iterator name bound to one element per item. */
  readonly name: string;
  readonly path: string;
  readonly expression: CompiledExpression;
  /** Schema of one element (the iterator's declared type). */
  readonly elementSchema: OpenApiSchema;
}

export interface CompiledNode {
  readonly id: string;
  /** Position in spec.resources. */
  readonly index: number;
  readonly type: NodeType;
  /** `spec.resources[<index>]`. */
  readonly path: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly gvk: Gvk;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Resolved OpenAPI schema of the kind (type of the node's variable). */
  readonly schema: OpenApiSchema;
  /** The template, or for external nodes the externalRef object; expressions unresolved. */
  readonly template: Readonly<JsonObject>;
  /** Expression fields of the template / externalRef, in document order. */
  readonly fields: readonly CompiledField[];
  readonly forEach: readonly CompiledForEachDimension[];
  /** All must be true for the node to exist. Context: `schema` and resource ids. */
  readonly includeWhen: readonly CompiledCondition[];
  /** All must be true for the node to be ready. Context: own id, or `each` for collections. */
  readonly readyWhen: readonly CompiledCondition[];
  /** Ids this node references, in topological order. */
  readonly dependencies: readonly string[];
  /** Ids referencing this node, in topological order. */
  readonly dependents: readonly string[];
  /** Apply-order (spec/03 §7): higher is applied later and deleted earlier. */
  readonly applyOrder: number;
}

export interface InstanceInfo {
  readonly group: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
}

export interface CompiledStatus {
  /** Expression fields of schema.status; relativePath is under `status`. */
  readonly fields: readonly CompiledField[];
  /** Inferred from the expressions, without kro-ts's own fields. */
  readonly inferredSchema: OpenApiSchema;
  /** The status schema of the CRD: inferred plus state/conditions/observedGeneration/managedResources. */
  readonly schema: OpenApiSchema;
  /** Top-level status fields the RGD declares itself; kro-ts leaves those to the author. */
  readonly declared: readonly string[];
  /**
   * Author-defined conditions (`status.conditions`), in declaration order. When present they
   * replace kro's built-in conditions on the instance's `status.conditions`.
   */
  readonly conditions: readonly CompiledAuthorCondition[];
}

export interface CompiledAuthorCondition {
  /** `spec.schema.status.conditions[<i>]`. */
  readonly path: string;
  readonly expression: CompiledExpression;
  /** Resource ids the expression reads, sorted. */
  readonly dependencies: readonly string[];
}

/** The RGD status fields derived from the graph (spec/01 §6). */
export interface GraphStatusSummary {
  topologicalOrder: string[];
  resources: { id: string; dependencies: { id: string }[] }[];
}

export interface CompiledGraph {
  readonly instance: InstanceInfo;
  /** OpenAPI of the instance `spec` (from SimpleSchema). */
  readonly specSchema: OpenApiSchema;
  /** Type of the `schema` variable: apiVersion, kind, metadata (ObjectMeta) and spec. */
  readonly instanceSchema: OpenApiSchema;
  readonly status: CompiledStatus;
  /** The instance CRD (apiextensions.k8s.io/v1), ready to apply. */
  readonly crd: Readonly<JsonObject>;
  /** Nodes in spec.resources order. */
  readonly nodes: readonly CompiledNode[];
  readonly nodesById: ReadonlyMap<string, CompiledNode>;
  readonly topologicalOrder: readonly string[];
  /** Layers peeled from the dependents' side: delete layer 0 first, create in reverse. */
  readonly applyLayers: readonly (readonly string[])[];
  /** `status.topologicalOrder` and `status.resources` for the RGD. */
  toStatus(): GraphStatusSummary;
}
