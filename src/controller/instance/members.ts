// Listing the ApplySet members of an instance (spec 04 §11 step 1, §15 step 3): for each recorded
// group-kind, LIST with `applyset.kubernetes.io/part-of=<id>` in the instance's namespace and the
// recorded additional namespaces (namespaced kinds) or cluster-wide (cluster-scoped kinds).

import { Labels } from '../../api/constants.js';
import type { Kube } from '../../kube/index.js';
import { isNoKindMatch, isNotFound } from '../../kube/index.js';
import type { Inventory, RuntimeObject } from '../../runtime/index.js';
import { parseGroupKind } from '../../runtime/index.js';

export interface Member {
  readonly object: RuntimeObject;
  readonly namespaced: boolean;
}

export async function listMembers(
  kube: Kube,
  opts: {
    applySetId: string;
    inventory: Inventory;
    namespace: string;
    knownApiVersions?: ReadonlyMap<string, string>;
  },
): Promise<Member[]> {
  const out: Member[] = [];
  for (const gk of opts.inventory.groupKinds) {
    const { kind, group } = parseGroupKind(gk);
    const apiVersion = opts.knownApiVersions?.get(gk) ?? (await preferredApiVersion(kube, group));
    if (!apiVersion) continue;
    const mapping = await kube.discovery.tryResolve({
      group,
      version: apiVersion.split('/').pop() ?? '',
      kind,
    });
    if (!mapping) continue;
    const namespaces = mapping.namespaced
      ? [...new Set([opts.namespace, ...opts.inventory.namespaces].filter((n) => n !== ''))]
      : [undefined];
    for (const namespace of namespaces) {
      try {
        const list = await kube.resources.list({
          apiVersion,
          kind,
          namespace,
          labelSelector: `${Labels.applySetPartOf}=${opts.applySetId}`,
        });
        for (const o of list.items) out.push({ object: o as RuntimeObject, namespaced: mapping.namespaced });
      } catch (e) {
        if (!isNotFound(e) && !isNoKindMatch(e)) throw e;
      }
    }
  }
  return out;
}

async function preferredApiVersion(kube: Kube, group: string): Promise<string | undefined> {
  if (group === '') return 'v1';
  try {
    const g = await kube.client.request<{ preferredVersion?: { groupVersion?: string } }>({
      method: 'GET',
      path: `/apis/${group}`,
    });
    return g.preferredVersion?.groupVersion;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
