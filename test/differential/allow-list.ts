// THE allow-list of the differential tier: every deliberate difference between kro v0.9.4 and
// kro-ts on the corpus, each with its reason. A difference not matched here fails the tier.
// The tier prints this list (with how many differences each entry absorbed) at the end of a run.

import type { AllowEntry } from './lib/compare.js';

const STATUS_PROPS =
  /^spec\.versions\[name=[^\]]+\]\.schema\.openAPIV3Schema\.properties\.status\.properties\./;

/** Property names CEL escapes (kro's status schemas carry the escaped form). */
const CEL_RESERVED =
  'as|break|const|continue|else|false|for|function|if|import|in|let|loop|namespace|null|package|return|true|var|void|while';

export const ALLOW_LIST: readonly AllowEntry[] = [
  {
    id: 'crd-status-observedGeneration-managedResources',
    reason:
      'kro-ts adds status.observedGeneration and status.managedResources to every instance CRD (README "Features against kro"; spec "Beyond kro")',
    category: ['crd'],
    path: new RegExp(`${STATUS_PROPS.source}(observedGeneration|managedResources)(\\.|$)`),
    shape: 'kro-ts-only',
  },
  {
    id: 'instance-status-observedGeneration-managedResources',
    reason: 'kro-ts populates status.observedGeneration and status.managedResources on instances',
    category: ['instance'],
    path: /^status\.(observedGeneration|managedResources)(\.|\[|$)/,
    shape: 'kro-ts-only',
  },
  {
    id: 'instance-kstatus-conditions',
    reason:
      'kro-ts writes Reconciling and Stalled (kstatus conventions) and GraphCurrent (which GraphRevision serves the instance) beside kro\'s four conditions, unless the RGD declares its own conditions (README "GitOps")',
    category: ['instance'],
    path: /^status\.conditions\[type=(Reconciling|Stalled|GraphCurrent)\](\.|$)/,
    shape: 'kro-ts-only',
  },
  {
    id: 'instance-failure-reason',
    reason:
      'Ready/ResourcesReady=False after a failure (refused apply, CEL error) has reason ResourceError in kro-ts, kro says NotReady for waiting and failures alike (README "GitOps")',
    category: ['instance'],
    path: /^status\.conditions\[type=(Ready|ResourcesReady)\]\.reason$/,
    shape: 'both',
    kroTsValue: /^"ResourceError"$/,
    kroValue: /^"NotReady"$/,
  },
  {
    id: 'update-field-managers',
    reason:
      "non-apply writes (finalizers, RGD/instance status) are attributed by the API server to the client: kro's user agent is `kro`, kro-ts's `kro-ts`, and kro-ts writes instance status as `kro.run/status`; Update entries never conflict with server-side apply, and the Apply managers (kro.run/applyset, kro.run/labeller, kro.run/applyset-parent) are the same",
    path: /^metadata\.managedFields\.(kro|kro-ts|kro\.run\/status) Update( \/status)?$/,
  },
  {
    id: 'kro-version-label',
    reason:
      "kro.run/kro-version carries the controller version: kro's build version vs kro-ts's package version",
    path: /^metadata\.labels\.kro\.run\/kro-version$/,
    shape: 'both',
  },
  {
    id: 'owner-references',
    reason:
      'kro sets no owner references on children; kro-ts adds a controller owner reference to the instance where one is legal (spec 04 §6.4 "Beyond kro", `--owner-references=auto`, the default): Argo CD shows the tree and garbage collection is a safety net behind ordered deletion. `--owner-references=none` gives exactly kro\'s children',
    category: ['child'],
    path: /^metadata\.ownerReferences(\[|\.|$)/,
    shape: 'kro-ts-only',
  },
  {
    id: 'instance-waiting-messages',
    reason:
      'while an instance waits, kro-ts\'s Ready/ResourcesReady message lists every waiting node with the readyWhen/includeWhen expression and the value it waits for (spec 04 §12.2), where kro reports the first error of its apply loop ("resource reconciliation failed: apply results contain errors: ..."); condition status and reason are the same',
    category: ['instance'],
    path: /^status\.conditions\[type=(Ready|ResourcesReady)\]\.message$/,
    shape: 'both',
    kroValue: /^"(resource reconciliation failed|resource error|awaiting resource readiness)/,
    kroTsValue: /^"(awaiting resource readiness|resource error)/,
  },
  {
    id: 'rgd-build-error-messages',
    reason:
      'for an invalid RGD kro-ts\'s GraphAccepted/Ready message says where in the RGD (`resource "a" at spec.resources[0].template.metadata.name, expression "...": `) followed by the error, worded by kro-ts\'s own CEL checker ("no such overload: string + int" for cel-go\'s "found no matching overload for \'_+_\' ..." with a caret) or API discovery ("no matches for kind" for kro\'s "cannot resolve group version ... schema not found"); condition status and reason are the same',
    category: ['rgd'],
    path: /^status\.conditions\[type=(GraphAccepted|Ready)\]\.message$/,
    shape: 'both',
  },
  {
    id: 'status-schema-cel-escaped-names',
    reason:
      "kro builds a status field's schema back from CEL's declared type, whose property names are escaped for CEL (`namespace` → `__namespace__`, `x-y` → `x__dash__y`): the CRD then declares a field the object never has and the API server prunes the real one (e.g. a projected pod template's metadata.namespace); kro-ts keeps the real names",
    category: ['crd'],
    path: new RegExp(
      `${STATUS_PROPS.source}(.*\\.)?(properties\\.[^.]*__[a-z]+__[^.]*|properties\\.(${CEL_RESERVED}))\\.type$`,
    ),
  },
  {
    id: 'status-schema-field-less-objects',
    reason:
      'kro gives an object without declared fields (e.g. metav1.FieldsV1 in projected managedFields) `{type: object}`, so the API server prunes the projected value to `{}`; kro-ts marks it x-kubernetes-preserve-unknown-fields so the value survives',
    category: ['crd', 'instance'],
    path: /(^spec\.versions\[name=[^\]]+\]\.schema\.openAPIV3Schema\.properties\.status\..*\.fieldsV1\.x-kubernetes-preserve-unknown-fields$|^status\..*\.fieldsV1(\.|$))/,
  },
  {
    id: 'status-schema-timestamp-description',
    reason:
      'kro describes a status field holding a timestamp with metav1.Time\'s fixed "Timestamp representing a creation time" whatever the field is; kro-ts writes no description',
    category: ['crd'],
    path: new RegExp(`${STATUS_PROPS.source}[^.]+\\.description$`),
    shape: 'kro-only',
    kroValue: /^"Timestamp representing a creation time"$/,
  },
  {
    id: 'status-field-error-written',
    reason:
      'a status expression that fails (here a bytes value, which kro v0.9.4 refuses in status) makes kro fail the whole status write, so the instance never gets a status; kro-ts leaves that field out, sets state ERROR and ResourcesReady=False/StatusFieldError naming the field (spec 04 §12.4 "Beyond kro")',
    category: ['instance'],
    object: /^instance kro\.run\/v1alpha1 DiffStatusBytesOutput diff-a\/b$/,
    path: /^status\./,
    shape: 'kro-ts-only',
  },
  {
    id: 'suspended-instance-state',
    reason:
      'a suspended instance: kro computes its state from an empty node set, so it shows ACTIVE while Ready=False/ReconciliationSuspended; kro-ts shows IN_PROGRESS (spec 04 §3), consistent with Ready',
    category: ['instance'],
    object: /^instance kro\.run\/v1alpha1 DiffSuspended diff-a\/paused$/,
    path: /^status\.state$/,
    kroValue: /^"ACTIVE"$/,
    kroTsValue: /^"IN_PROGRESS"$/,
  },
];

/**
 * Migration (test/differential/migration.test.ts): what kro-ts may change on a child that kro
 * created when it takes over a live cluster (and kro when it takes back over). Anything else that
 * changes on a child fails.
 */
export const MIGRATION_ALLOW_LIST: readonly AllowEntry[] = [
  {
    id: 'migration-field-managers',
    reason:
      'the new controller applies with its own field manager: a managedFields entry is added (kro-ts applies as kro does, with the same manager name where kro has one)',
    path: /^metadata\.managedFields\./,
  },
  {
    id: 'migration-owner-references',
    reason:
      "kro-ts (with --owner-references=auto, the default) adds its controller owner reference to the instance on the children it takes over (spec 05 §13 step 3); going back, kro's first apply removes it again, because kro-ts applies children with kro's own field manager (kro.run/applyset), so the reference is a field kro's manager owns and no longer sends",
    path: /^metadata\.ownerReferences(\[|\.|$)/,
  },
  {
    id: 'migration-kro-version-label',
    reason: 'kro.run/kro-version names the controller that last applied the child',
    path: /^metadata\.labels\.kro\.run\/kro-version$/,
    shape: 'both',
  },
];
