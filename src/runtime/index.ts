// runtime/: one instance, one reconcile, no I/O (spec 04). Everything that decides (the wave
// scheduler, activation, includeWhen, forEach, rendering, child metadata, readiness, ApplySet
// formulas, status) lives here so it is testable without a cluster; two executors drive the
// scheduler: the operator's (controller/instance/waves.ts: reads and writes) and the offline
// CLI's (cli/render-engine.ts: --observed).

export * from './types.js';
export { eventLoopTurnSpent, InstanceContext, nextEventLoopTurn } from './context.js';
export type { RuntimeOptions } from './context.js';
export {
  DEFAULT_RECONCILE_BUDGET_MS,
  ExpressionCache,
  ReconcileBudget,
  evaluateExpression,
  truthOf,
} from './evaluate.js';
export type { EvalOutcome, EvaluateContext } from './evaluate.js';
export { evaluateConditions, evaluateIncludeWhen, evaluateReadyWhen, SYNCED } from './conditions.js';
export { expandForEach } from './for-each.js';
export { renderTemplate } from './render.js';
export { addOwnerReference, childLabels, decorateChild, mayOwn, resolveNamespace } from './child-metadata.js';
export { collision, identityOf, planNode } from './plan.js';
export type { DesiredItem, LabelSelector, NodePlan } from './plan.js';
export { blockersOf, staticWaves, waitingOutcome, WaveScheduler } from './scheduler.js';
export type { PlannedNode, StateOf } from './scheduler.js';
export { collectionOutcome, collectionReadiness, scalarReadiness } from './readiness.js';
export type { CollectionReadiness, ItemResult } from './readiness.js';
export * from './applyset.js';
export { evaluateUserStatus } from './user-status.js';
export type { UserStatus } from './user-status.js';
export { instanceState, managedResources, MAX_MESSAGE, resourcesReady, truncate } from './status.js';
export type { ConditionValue } from './status.js';
export { evaluateAuthorConditions, mergeWithPrevious, stampAuthorConditions } from './author-conditions.js';
export type { AuthorCondition, AuthorConditionsResult } from './author-conditions.js';
