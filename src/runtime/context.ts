// The per-reconcile evaluation context of one instance: the `schema` variable (the instance
// without status), the observed objects of settled nodes bound to their ids (collections as lists
// in desired order), the expression cache and the bounds from the configuration.

import { toCel } from '../cel/index.js';
import type { CompiledGraph, CompiledNode } from '../graph/types.js';
import { ExpressionCache } from './evaluate.js';
import type { EvaluateContext } from './evaluate.js';
import type { InstanceObject, RuntimeObject } from './types.js';

export interface RuntimeOptions {
  /** --cel-eval-timeout in ms; 0 disables. */
  readonly timeoutMs: number;
  /** --rgd-max-collection-size. */
  readonly maxCollectionSize: number;
  /** --owner-references. */
  readonly ownerReferences: 'auto' | 'none';
  /** kro-ts version for the `kro.run/kro-version` labels. */
  readonly kroVersion: string;
}

export class InstanceContext {
  readonly cache = new ExpressionCache();
  readonly evaluation: EvaluateContext;
  readonly #activation: Record<string, unknown>;
  /** Applied or read but not ready (readyWhen false): visible to status fields only. */
  readonly #unready: Record<string, unknown> = {};
  evaluations = 0;

  constructor(
    readonly graph: CompiledGraph,
    readonly instance: InstanceObject,
    readonly options: RuntimeOptions,
  ) {
    const { status: _status, ...withoutStatus } = instance;
    this.#activation = { schema: toCel(withoutStatus, graph.instanceSchema) };
    this.evaluation = {
      timeoutMs: options.timeoutMs,
      cache: this.cache,
      onEvaluate: () => {
        this.evaluations++;
      },
    };
  }

  get clusterScoped(): boolean {
    return this.graph.instance.scope === 'Cluster';
  }

  /** The instance's namespace ('' for cluster-scoped instances). */
  get namespace(): string {
    return this.clusterScoped ? '' : (this.instance.metadata.namespace ?? '');
  }

  /** Binds a settled node's observed state: one object, or the list of items. */
  observe(node: CompiledNode, observed: RuntimeObject | readonly RuntimeObject[]): void {
    this.#activation[node.id] = Array.isArray(observed)
      ? observed.map((o) => toCel(o, node.schema))
      : toCel(observed, node.schema);
  }

  isObserved(id: string): boolean {
    return Object.hasOwn(this.#activation, id);
  }

  /**
   * Binds the observed state of a node that is not ready yet. Dependents still wait for it, but
   * status fields read it, as kro's do (a Deployment's conditions show while it rolls out).
   */
  observeUnready(node: CompiledNode, observed: RuntimeObject | readonly RuntimeObject[]): void {
    this.#unready[node.id] = Array.isArray(observed)
      ? observed.map((o) => toCel(o, node.schema))
      : toCel(observed, node.schema);
  }

  /** Observed for status fields: ready, or applied/read and waiting for readiness. */
  isObservedForStatus(id: string): boolean {
    return this.isObserved(id) || Object.hasOwn(this.#unready, id);
  }

  /** The activation of status fields: every observed node, ready or not. */
  statusActivation(): Record<string, unknown> {
    return { ...this.#unready, ...this.#activation };
  }

  /** Variables of templates, includeWhen, forEach and status; extra bindings (iterators) on top. */
  activation(extra?: Record<string, unknown>): Record<string, unknown> {
    return extra ? { ...this.#activation, ...extra } : this.#activation;
  }
}
