// The per-reconcile evaluation context of one instance: the `schema` variable (the instance
// without status), the observed objects of settled nodes bound to their ids (collections as lists
// in desired order), the expression cache and the bounds from the configuration.

import { toCel } from '../cel/index.js';
import type { CompiledGraph, CompiledNode } from '../graph/types.js';
import { DEFAULT_RECONCILE_BUDGET_MS, ExpressionCache, ReconcileBudget } from './evaluate.js';
import type { EvaluateContext } from './evaluate.js';
import type { InstanceObject, RuntimeObject } from './types.js';

export interface RuntimeOptions {
  /** --cel-eval-timeout in ms; 0 disables. */
  readonly timeoutMs: number;
  /** --cel-reconcile-budget in ms: CEL time across all expressions of one reconcile; 0 disables. */
  readonly reconcileBudgetMs?: number | undefined;
  /** --rgd-max-collection-size. */
  readonly maxCollectionSize: number;
  /** --owner-references. */
  readonly ownerReferences: 'auto' | 'none';
  /** kro-ts version for the `kro.run/kro-version` labels. */
  readonly kroVersion: string;
}

/** Synchronous work one event-loop turn may do before CEL evaluation waits for the next turn. */
export const YIELD_AFTER_MS = 10;

let turnStarted = performance.now();
let nextTurn: Promise<void> | undefined;

/**
 * Process-wide cooperative scheduling of CEL work (issue 14). Rendering is synchronous; before
 * each piece of it (a node, in the wave loop) callers run
 *
 *     while (eventLoopTurnSpent()) await nextEventLoopTurn();
 *
 * with no await between the check and the work. Once the current event-loop turn has run for
 * more than YIELD_AFTER_MS, every caller waits for one shared setImmediate, and only the first to
 * resume works in the new turn: concurrent reconciles take one node per turn instead of running
 * back to back inside one phase, and leases, probes and watch events get a turn in between.
 */
export function eventLoopTurnSpent(): boolean {
  return nextTurn !== undefined || performance.now() - turnStarted >= YIELD_AFTER_MS;
}

export function nextEventLoopTurn(): Promise<void> {
  nextTurn ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      nextTurn = undefined;
      turnStarted = performance.now();
      resolve();
    }),
  );
  return nextTurn;
}

export class InstanceContext {
  readonly cache = new ExpressionCache();
  readonly evaluation: EvaluateContext;
  readonly budget: ReconcileBudget;
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
    this.budget = new ReconcileBudget(options.reconcileBudgetMs ?? DEFAULT_RECONCILE_BUDGET_MS);
    this.evaluation = {
      timeoutMs: options.timeoutMs,
      reconcileBudget: this.budget,
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
