// What an RGD reconcile works with: clients, the instance manager, per-RGD memory of the graph
// being served, and observability. Shared by reconcile.ts, deletion.ts and controller.ts.

import { DEFAULT_INSTANCE_GROUP, RGD_KIND } from '../../api/constants.js';
import type { ResourceGraphDefinition } from '../../api/rgd.js';
import type { Config } from '../../config.js';
import { crdNamesFor } from '../../crd/index.js';
import type { CompiledGraph } from '../../graph/index.js';
import type { Gvr, Kube } from '../../kube/index.js';
import type { Issue } from '../../lib/issue.js';
import type { Result } from '../../lib/result.js';
import type { EventEmitter, InvolvedObject } from '../../observability/events.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ServedGraph } from '../graph-registry.js';
import type { InstanceManager } from '../manager.js';
import { RGD_API_VERSION } from './status.js';

export interface RgdMemory {
  /** Spec hash and generation of the served graph. */
  readonly hash?: string;
  readonly generation?: number;
  readonly served?: ServedGraph;
  /** Set while the current spec is rejected: API groups its resources reference. */
  readonly rejectedGroups?: ReadonlySet<string>;
}

export interface RgdContext {
  readonly kube: Kube;
  readonly manager: InstanceManager;
  readonly memory: Map<string, RgdMemory>;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: EventEmitter;
  buildGraph(rgd: ResourceGraphDefinition): Promise<Result<CompiledGraph, Issue[]>>;
  /** RFC 3339, seconds precision. */
  now(): string;
  /** Extra labels for GraphRevisions (tests: the operator's RGD selector); absent in production. */
  readonly revisionLabels?: Readonly<Record<string, string>>;
  /** No graph to serve (restart with an invalid spec): instances report it. */
  markUnavailable(rgd: ResourceGraphDefinition, message: string): Promise<void>;
}

export function rgdRef(name: string): { apiVersion: string; kind: string; name: string } {
  return { apiVersion: RGD_API_VERSION, kind: RGD_KIND, name };
}

export function involvedObject(rgd: ResourceGraphDefinition): InvolvedObject {
  return {
    apiVersion: RGD_API_VERSION,
    kind: RGD_KIND,
    name: rgd.metadata.name ?? '',
    ...(rgd.metadata.uid !== undefined ? { uid: rgd.metadata.uid } : {}),
    ...(rgd.metadata.resourceVersion !== undefined ? { resourceVersion: rgd.metadata.resourceVersion } : {}),
  };
}

/** The instance kind's identity straight from the spec (also when the spec does not build). */
export function instanceGvrOf(rgd: ResourceGraphDefinition): {
  gvr: Gvr;
  kind: string;
  apiVersion: string;
  crdName: string;
} {
  const schema = rgd.spec.schema;
  const group =
    typeof schema.group === 'string' && schema.group !== '' ? schema.group : DEFAULT_INSTANCE_GROUP;
  const names = crdNamesFor(schema.kind, group);
  const version = schema.apiVersion;
  return {
    gvr: { group, version, resource: names.plural },
    kind: schema.kind,
    apiVersion: `${group}/${version}`,
    crdName: names.crdName,
  };
}
