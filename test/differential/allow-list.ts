// THE allow-list of the differential tier: every deliberate difference between kro v0.9.4 and
// kro-ts on the corpus, each with its reason. A difference not matched here fails the tier.
// The tier prints this list (with how many differences each entry absorbed) at the end of a run.

import type { AllowEntry } from './lib/compare.js';

const STATUS_PROPS =
  /^spec\.versions\[name=v1alpha1\]\.schema\.openAPIV3Schema\.properties\.status\.properties\./;

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
    id: 'migration-kro-version-label',
    reason: 'kro.run/kro-version names the controller that last applied the child',
    path: /^metadata\.labels\.kro\.run\/kro-version$/,
    shape: 'both',
  },
];
