// src/kube: the only module that talks to the API server (and the only importer of
// @kubernetes/client-node, loaded on demand by kubeconfig.ts for exec/auth-provider users only).
// Everything goes over raw JSON; see client.ts for why.

export type {
  HttpMethod,
  KubeClient,
  KubeClientOptions,
  KubeRequest,
  KubeStream,
  RequestObservation,
  RequestObserver,
} from './client.js';
export { ContentTypes, createKubeClient, DEFAULT_BURST, DEFAULT_QPS } from './client.js';
export type { ClusterAccess, KubeConfigOrigin, KubeConfigSource } from './kubeconfig.js';
export type { ResourceMapping, ServerVersion, DiscoveryOptions } from './discovery.js';
export { Discovery, getServerVersion } from './discovery.js';
export * from './errors.js';
export type { Gvk, Gvr } from './gvk.js';
export { formatApiVersion, formatGvk, formatGvr, gvkFromApiVersion, gvkOf, parseApiVersion } from './gvk.js';
export type {
  ApplyOptions,
  ApplyResult,
  DeleteOptions,
  ListOptions,
  PropagationPolicy,
  WriteOptions,
} from './resources.js';
export { METADATA_ONLY_ACCEPT, METADATA_ONLY_LIST_ACCEPT, Resources } from './resources.js';
export type { KubeObject, KubeObjectMeta, ObjectList, ObjectRef } from './types.js';
export { objectKey, refOf } from './types.js';
export type { InformerHandlers, InformerLogger, InformerOptions, InformerStats } from './informer.js';
export { Informer } from './informer.js';
export type { WatchEvent, WatchEventType, WatchHandle, WatchRequest } from './watch.js';
export { openWatch } from './watch.js';
export type { CrdAction, EnsureCrdOptions, WaitOptions } from './crd.js';
export {
  CRD_API_VERSION,
  CRD_KIND,
  CrdNotEstablishedError,
  ensureCrd,
  ensureCrdDetailed,
  waitForCrdEstablished,
} from './crd.js';
export type { LabelSelectorLike, ResourcePath } from './url.js';
export { formatLabelSelector, groupVersionPath, resourcePath } from './url.js';
export type { RateLimiter } from './rate-limiter.js';
export { TokenBucket } from './rate-limiter.js';
export type { Kube } from './connect.js';
export { connectKube, kubeFromClient } from './connect.js';
export type { InformerLease } from './informer-pool.js';
export { InformerPool } from './informer-pool.js';
export type { RetryOnConflictOptions } from './retry.js';
export { retryOnConflict } from './retry.js';
