// Wire constants shared with kro: every label, annotation, finalizer, field manager, condition
// type, reason and state name kro writes. Changing one breaks the takeover promise (spec README).

export const KRO_GROUP = 'kro.run';
export const KRO_VERSION = 'v1alpha1';
export const RGD_KIND = 'ResourceGraphDefinition';
export const RGD_PLURAL = 'resourcegraphdefinitions';
export const RGD_SINGULAR = 'resourcegraphdefinition';
export const RGD_SHORT_NAME = 'rgd';
export const DEFAULT_INSTANCE_GROUP = 'kro.run';

export const FINALIZER = 'kro.run/finalizer';

export const Labels = {
  owned: 'kro.run/owned',
  kroVersion: 'kro.run/kro-version',
  rgdId: 'kro.run/resource-graph-definition-id',
  rgdName: 'kro.run/resource-graph-definition-name',
  instanceId: 'kro.run/instance-id',
  instanceName: 'kro.run/instance-name',
  instanceNamespace: 'kro.run/instance-namespace',
  instanceGroup: 'kro.run/instance-group',
  instanceVersion: 'kro.run/instance-version',
  instanceKind: 'kro.run/instance-kind',
  nodeId: 'kro.run/node-id',
  collectionIndex: 'kro.run/collection-index',
  collectionSize: 'kro.run/collection-size',
  managedBy: 'app.kubernetes.io/managed-by',
  applySetPartOf: 'applyset.kubernetes.io/part-of',
  applySetId: 'applyset.kubernetes.io/id',
  aggregateToController: 'rbac.kro.run/aggregate-to-controller',
} as const;

export const MANAGED_BY_VALUE = 'kro';

export const Annotations = {
  allowBreakingChanges: 'kro.run/allow-breaking-changes',
  reconcile: 'kro.run/reconcile',
  /**
   * kro-ts only (kro v0.9.4 has no equivalent): `orphan` on an instance makes its deletion leave
   * the children in place (released: the instance's ownerReference and ApplySet label removed
   * where the controller can) and remove the finalizer at once: the way out of a stuck deletion.
   */
  deletionPolicy: 'kro.run/deletion-policy',
  applyOrder: 'internal.kro.run/apply-order',
  applySetTooling: 'applyset.kubernetes.io/tooling',
  applySetContainsGroupKinds: 'applyset.kubernetes.io/contains-group-kinds',
  applySetAdditionalNamespaces: 'applyset.kubernetes.io/additional-namespaces',
  applySetInventoryHash: 'internal.kro.run/applyset-inventory-hash',
} as const;

export const RESERVED_LABEL_PREFIXES = ['kro.run/', 'internal.kro.run/'] as const;

export const FieldManagers = {
  applySet: 'kro.run/applyset',
  labeller: 'kro.run/labeller',
  applySetParent: 'kro.run/applyset-parent',
  status: 'kro.run/status',
} as const;

export const LEADER_ELECTION_LEASE = 'controller.kro.run';

/** RGD condition types (spec/01 §6). */
export const RgdConditionTypes = {
  graphRevisionsResolved: 'GraphRevisionsResolved',
  graphAccepted: 'GraphAccepted',
  kindReady: 'KindReady',
  controllerReady: 'ControllerReady',
  ready: 'Ready',
} as const;

/** Instance condition types (spec/04 §12.2). */
export const InstanceConditionTypes = {
  instanceManaged: 'InstanceManaged',
  graphResolved: 'GraphResolved',
  resourcesReady: 'ResourcesReady',
  ready: 'Ready',
} as const;

/**
 * Conditions kro-ts adds beside kro's four, derived from them on every status write; none is a
 * dependent of Ready. `Reconciling` and `Stalled` follow the kstatus convention (abnormal-true:
 * present as False when all is well) so Flux, kpt, Helm and `kubectl wait` read them;
 * `GraphCurrent` says whether the instance is served from its RGD's latest generation.
 */
export const KstatusConditionTypes = {
  reconciling: 'Reconciling',
  stalled: 'Stalled',
} as const;
export const GRAPH_CURRENT_CONDITION = 'GraphCurrent';

/**
 * Ready=False reasons that mean a human must act (the instance is Stalled): every other False
 * or Unknown reason is work still in progress.
 */
export const FAILURE_REASONS: ReadonlySet<string> = new Set([
  'ResourceError',
  'StatusFieldError',
  'ResolutionFailed',
  'ManagementFailed',
]);

export const RgdStates = { active: 'Active', inactive: 'Inactive' } as const;
export type RgdState = (typeof RgdStates)[keyof typeof RgdStates];

export const InstanceStates = {
  active: 'ACTIVE',
  inProgress: 'IN_PROGRESS',
  error: 'ERROR',
  deleting: 'DELETING',
  failed: 'FAILED',
} as const;
export type InstanceState = (typeof InstanceStates)[keyof typeof InstanceStates];

/** Node states used in status.managedResources (spec/04 §4). */
export const NodeStates = {
  inProgress: 'IN_PROGRESS',
  waitingForReadiness: 'WAITING_FOR_READINESS',
  synced: 'SYNCED',
  skipped: 'SKIPPED',
  error: 'ERROR',
  deleting: 'DELETING',
  deleted: 'DELETED',
} as const;
export type NodeState = (typeof NodeStates)[keyof typeof NodeStates];

/**
 * Words that may not be used as a resource id or forEach iterator name (spec/01 §5): kro's list
 * plus CEL's reserved words.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'apiVersion',
  'context',
  'dependency',
  'dependencies',
  'each',
  'externalRef',
  'externalReference',
  'externalRefs',
  'externalReferences',
  'graph',
  'instance',
  'item',
  'items',
  'kind',
  'kro',
  'metadata',
  'namespace',
  'object',
  'resource',
  'resourcegraphdefinition',
  'resourceGraphDefinition',
  'resources',
  'root',
  'runtime',
  'schema',
  'self',
  'serviceAccountName',
  'spec',
  'status',
  'this',
  'variables',
  'vars',
  'version',
  // CEL reserved words
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * The kro release kro-ts is a drop-in for. The ApplySet tooling annotation of an instance names it
 * (`kro/v0.9.4`, exactly what kro v0.9.4 writes), so the parent's annotation is the same under both
 * controllers and switching between them does not rewrite it; kro-ts's own version is in the
 * `kro.run/kro-version` label.
 */
export const KRO_COMPAT_VERSION = 'v0.9.4';
export const APPLYSET_TOOLING = `kro/${KRO_COMPAT_VERSION}`;

/** kro-ts version as written into `kro.run/kro-version` labels ('+' replaced by '-'). */
export const KRO_TS_VERSION = '0.1.0';
export function versionLabelValue(version: string = KRO_TS_VERSION): string {
  return version.replaceAll('+', '-');
}
