// Helpers for integration and e2e tests: the cluster the global setup started, isolated
// namespaces and API groups, cleanup, and polling with deadlines. Importing this module registers
// a file-level afterAll that runs the cleanups of that test file (vitest isolates modules per file).

import { randomBytes } from 'node:crypto';
import { afterAll, inject, onTestFinished } from 'vitest';
import type { Kube, ObjectRef } from '../../src/kube/index.js';
import { connectKube, isNotFound } from '../../src/kube/index.js';
import './context.js';

export { compactEtcd, etcdRevision } from './etcd.js';

type Cleanup = () => Promise<unknown> | unknown;
const fileCleanups: Cleanup[] = [];
let kubePromise: Promise<Kube> | undefined;

afterAll(async () => {
  // Last registered first, like defer; a failing cleanup must not hide the others.
  for (const c of fileCleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (e) {
      process.stderr.write(`[kro-ts harness] cleanup failed: ${String(e)}\n`);
    }
  }
  if (kubePromise) (await kubePromise).close();
  kubePromise = undefined;
});

export function getKubeConfigPath(): string {
  return inject('kubeconfigPath');
}

/** The harness-started cluster's directory (ports, logs), or undefined for an external cluster. */
export function getClusterDir(): string | undefined {
  return inject('clusterDir') || undefined;
}

/** One client per test file, closed after the file. */
export function getKube(): Promise<Kube> {
  kubePromise ??= connectKube({ kubeconfigPath: getKubeConfigPath(), userAgent: 'kro-ts-tests' });
  return kubePromise;
}

/**
 * Runs `fn` after the current test when called inside a test (like afterEach), otherwise after
 * the current test file (like afterAll).
 */
export function registerCleanup(fn: Cleanup): void {
  try {
    onTestFinished(async () => {
      await fn();
    });
  } catch {
    fileCleanups.push(fn);
  }
}

/** A DNS-label-safe unique name: `<prefix>-<8 random chars>`. */
export function uniqueName(prefix: string): string {
  const p = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
  return `${p}-${randomBytes(4).toString('hex')}`;
}

/** An API group of its own for a test that creates CRDs: `<prefix><random>.kro-ts.test`. */
export function uniqueGroup(prefix = 't'): string {
  const p = prefix.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `${p}${randomBytes(3).toString('hex')}.kro-ts.test`;
}

/**
 * Creates a namespace with a unique name and deletes it after the test (when called in a test)
 * or after the file (in beforeAll). Deletion does not wait for the namespace to terminate.
 */
export async function createTestNamespace(prefix: string): Promise<string> {
  const kube = await getKube();
  const name = uniqueName(prefix);
  await kube.resources.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kro-ts.test/namespace': 'true' } },
  });
  deleteAfter({ apiVersion: 'v1', kind: 'Namespace', name });
  return name;
}

/** Deletes the object after the test / file (see registerCleanup); a 404 is fine. */
export function deleteAfter(ref: ObjectRef): void {
  registerCleanup(async () => {
    const kube = await getKube();
    try {
      await kube.resources.delete(ref, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (ref.kind === 'CustomResourceDefinition' && ref.apiVersion.startsWith('apiextensions.k8s.io/')) {
      await releaseCustomResources(kube, ref.name);
    }
  });
}

interface CrdShape {
  spec: {
    group: string;
    scope: string;
    names: { plural: string };
    versions: { name: string; served: boolean; storage: boolean }[];
  };
}

/**
 * Removes every finalizer from the custom resources of a CRD being deleted. The API server's CRD
 * cleanup deletes them, but an instance whose operator has stopped keeps kro.run/finalizer forever;
 * such a CRD occupies one of kube-apiserver's few CRD-finalizer workers for a minute at a time, and
 * a handful of them stall every later CRD deletion on the shared test cluster.
 */
export async function releaseCustomResources(kube: Kube, crdName: string): Promise<void> {
  let crd: CrdShape;
  try {
    crd = await kube.client.request<CrdShape>({
      method: 'GET',
      path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`,
    });
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  if (version === undefined) return;
  const base = `/apis/${crd.spec.group}/${version.name}`;
  let items: { metadata: { name: string; namespace?: string; finalizers?: string[] } }[];
  try {
    items = (
      await kube.client.request<{ items: typeof items }>({
        method: 'GET',
        path: `${base}/${crd.spec.names.plural}`,
      })
    ).items;
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  for (const item of items) {
    if ((item.metadata.finalizers ?? []).length === 0) continue;
    const ns = item.metadata.namespace ? `/namespaces/${item.metadata.namespace}` : '';
    try {
      await kube.client.request({
        method: 'PATCH',
        path: `${base}${ns}/${crd.spec.names.plural}/${item.metadata.name}`,
        contentType: 'application/merge-patch+json',
        body: { metadata: { finalizers: null } },
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

export interface EventuallyOptions {
  /** Default 10 s. */
  readonly timeoutMs?: number;
  /** Default 100 ms. */
  readonly intervalMs?: number;
  /** Named in the timeout message. */
  readonly description?: string;
}

/**
 * Calls `fn` until it returns without throwing (its value is returned) or the deadline passes;
 * the timeout error carries the last failure's message (e.g. the last assertion) as its cause.
 */
export async function eventually<T>(fn: () => T | Promise<T>, opts: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      return await fn();
    } catch (e) {
      if (Date.now() + intervalMs > deadline) {
        const what = opts.description ? ` waiting for ${opts.description}` : '';
        const last = e instanceof Error ? e.message : String(e);
        throw new Error(`timed out after ${timeoutMs}ms${what} (${attempts} attempts); last error: ${last}`, {
          cause: e,
        });
      }
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
