// schema/: OpenAPI schemas and REST mappings of the kinds RGD templates target (spec/03 §6.1).
// graph/ depends only on the SchemaResolver interface; the controller wires the live resolver,
// the offline CLI chains CRD files in front of the bundled built-in kinds.

export type { Gvk, ResolvedKind, SchemaResolver } from './types.js';
export { formatGvk, groupVersionOf, parseApiVersion } from './types.js';
export type { GroupVersionDocument, KindEntry } from './document.js';
export { DocumentKinds, isGroupVersionDocument } from './document.js';
export { RefInliner, deepFreeze } from './inline-refs.js';
export { StaticSchemaResolver } from './static-resolver.js';
export {
  BundledSchemaResolver,
  bundledDir,
  bundledFileName,
  loadDocuments,
  readDocument,
} from './bundled-resolver.js';
export { ChainSchemaResolver } from './chain-resolver.js';
export { CrdSchemaResolver } from './crd-resolver.js';
export type { CrdResolverOptions } from './crd-resolver.js';
export { LiveSchemaResolver } from './live-resolver.js';
export type { JsonGetter, LiveResolverOptions, RestMapper, RestMapping } from './live-resolver.js';
export { componentsByKind, documentFromServer, discoveryResources, stripDocs } from './from-server.js';
export { LruTtlCache } from '../lib/lru-cache.js';
export { OBJECT_META_SCHEMA, CLUSTER_OBJECT_META_SCHEMA, withObjectEnvelope } from './object-meta.js';
export { liveResolverFromKube } from './from-kube.js';
export type { KubeDiscovery, KubeRequester } from './from-kube.js';
