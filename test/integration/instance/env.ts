// Drives the instance reconciler directly against the test cluster (real API server): the RGD is
// compiled with the live schema resolver, its CRD applied with ensureCrd, the graph served from a
// local registry. Events are captured from the recorder's sink; watch interests are recorded.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { parse } from 'yaml';
import type { ResourceGraphDefinition } from '../../../src/api/rgd.js';
import { loadConfig } from '../../../src/config.js';
import type { Config } from '../../../src/config.js';
import { MutableGraphRegistry } from '../../../src/controller/graph-registry.js';
import { createInstanceReconciler } from '../../../src/controller/instance/index.js';
import type { InstanceKey } from '../../../src/controller/instance-key.js';
import type { WatchInterest, WatchLayer } from '../../../src/controller/watch-layer.js';
import { buildGraph } from '../../../src/graph/index.js';
import type { CompiledGraph } from '../../../src/graph/index.js';
import type { Kube, KubeObject } from '../../../src/kube/index.js';
import { ensureCrd } from '../../../src/kube/index.js';
import type { EventRecord } from '../../../src/observability/events.js';
import { EventRecorder } from '../../../src/observability/events.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { LiveSchemaResolver } from '../../../src/schema/index.js';
import {
  eventually,
  getKube,
  registerCleanup,
  releaseCustomResources,
  uniqueGroup,
} from '../../harness/index.js';

export interface InstanceEnv {
  readonly kube: Kube;
  readonly graph: CompiledGraph;
  readonly group: string;
  readonly events: EventRecord[];
  readonly interests: Map<string, readonly WatchInterest[]>;
  /** The reconciler's `reconcile wave` debug records, in order: which nodes each wave planned. */
  readonly waves: { instance: string; wave: number; nodes: string[] }[];
  reconcile(key: InstanceKey): Promise<{ requeueAfterMs?: number }>;
  key(name: string, namespace: string): InstanceKey;
  ref(
    name: string,
    namespace: string,
  ): { apiVersion: string; kind: string; name: string; namespace?: string };
  get(name: string, namespace: string): Promise<KubeObject | undefined>;
  /** Reconciles until `check` passes (throws otherwise), with a deadline. */
  until<T>(key: InstanceKey, check: (inst: KubeObject) => T, description: string): Promise<T>;
  eventMessages(reason: string): string[];
}

export function loadRgd(name: string): ResourceGraphDefinition {
  const file = fileURLToPath(new URL(`../../fixtures/graph/${name}`, import.meta.url));
  return parse(readFileSync(file, 'utf8')) as ResourceGraphDefinition;
}

export async function startInstanceEnv(
  rgd: ResourceGraphDefinition,
  argv: string[] = [],
): Promise<InstanceEnv> {
  const kube = await getKube();
  const group = uniqueGroup('inst');
  const withGroup = {
    ...rgd,
    spec: { ...rgd.spec, schema: { ...rgd.spec.schema, group } },
  } as ResourceGraphDefinition;
  const built = await buildGraph(withGroup, {
    resolver: new LiveSchemaResolver({
      client: { getJson: (path) => kube.client.request({ method: 'GET', path }) },
    }),
  });
  if (!built.ok) throw new Error(built.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const graph = built.value;
  const crd = graph.crd as unknown as KubeObject;
  await ensureCrd(kube.resources, crd);
  registerCleanup(async () => {
    await kube.resources
      .delete({ apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name ?? '' })
      .catch(() => undefined);
    await releaseCustomResources(kube, crd.metadata.name ?? '');
  });
  const info = graph.instance;
  const registry = new MutableGraphRegistry();
  registry.setServed(`${info.group}/${info.version}/${info.plural}`, {
    graph,
    rgdName: withGroup.metadata?.name ?? 'rgd',
    rgdUid: 'rgd-uid-1',
    revision: 1,
  });
  const interests = new Map<string, readonly WatchInterest[]>();
  const watches: WatchLayer = {
    setInterests: (k, i) => void interests.set(k, i),
    addInterests: (k, i) => void interests.set(k, [...(interests.get(k) ?? []), ...i]),
    dropInstance: (k) => void interests.delete(k),
  };
  const events: EventRecord[] = [];
  // Debug records of the waves only (the rest is dropped): the operator's waves, for comparison
  // with `kro-ts graph`.
  const waves: InstanceEnv['waves'] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        const rec = JSON.parse(line) as { msg?: string; instance: string; wave: number; nodes: string[] };
        if (rec.msg === 'reconcile wave')
          waves.push({ instance: rec.instance, wave: rec.wave, nodes: rec.nodes });
      },
    },
  );
  const metrics = createMetrics();
  const recorder = new EventRecorder({
    sink: async (r) => void events.push(r),
    enabled: true,
    reportingInstance: 'test',
    logger,
    metrics,
  });
  const cfg = loadConfig({ argv, env: {} });
  if (!cfg.ok) throw new Error('bad config');
  const config: Config = cfg.value;
  const reconciler = createInstanceReconciler({
    kube,
    graphs: registry,
    watches,
    events: recorder,
    logger,
    metrics,
    config,
  });
  const key = (name: string, namespace: string): InstanceKey => ({
    group: info.group,
    version: info.version,
    plural: info.plural,
    namespace,
    name,
  });
  const ref = (name: string, namespace: string) => ({
    apiVersion: info.apiVersion,
    kind: info.kind,
    name,
    ...(namespace ? { namespace } : {}),
  });
  const env: InstanceEnv = {
    kube,
    graph,
    group,
    events,
    interests,
    waves,
    key,
    ref,
    reconcile: async (k) => {
      const r = await reconciler.reconcile(k, { signal: new AbortController().signal });
      await recorder.flush();
      return r;
    },
    get: (name, namespace) => kube.resources.tryGet(ref(name, namespace)),
    until: (k, check, description) =>
      eventually(
        async () => {
          await env.reconcile(k);
          const inst = await env.get(k.name, k.namespace);
          if (!inst) throw new Error('instance not found');
          return check(inst);
        },
        { timeoutMs: 30_000, intervalMs: 200, description },
      ),
    eventMessages: (reason) => events.filter((e) => e.event.reason === reason).map((e) => e.event.message),
  };
  return env;
}

export function statusOf(inst: KubeObject): Record<string, unknown> {
  return (inst['status'] ?? {}) as Record<string, unknown>;
}

export function conditionOf(inst: KubeObject, type: string): Record<string, unknown> | undefined {
  const list = (statusOf(inst)['conditions'] ?? []) as Record<string, unknown>[];
  return list.find((c) => c['type'] === type);
}
