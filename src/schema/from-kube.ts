// Wires the live resolver to kube/'s client and discovery without importing kube/ (structural
// types only), so schema/ stays below kube/ in the dependency order and kube/'s API can evolve.

import { LiveSchemaResolver } from './live-resolver.js';
import type { LiveResolverOptions } from './live-resolver.js';
import type { Gvk } from './types.js';

/** What kube/'s KubeClient offers: one request, JSON body parsed, errors thrown. */
export interface KubeRequester {
  request(req: { method: 'GET'; path: string }): Promise<unknown>;
}

/** What kube/'s Discovery offers: the REST mapping of a kind, undefined when not served. */
export interface KubeDiscovery {
  tryResolve(gvk: Gvk): Promise<{ gvr: { resource: string }; namespaced: boolean } | undefined>;
}

export function liveResolverFromKube(
  client: KubeRequester,
  discovery?: KubeDiscovery,
  options: Omit<LiveResolverOptions, 'client' | 'restMapper'> = {},
): LiveSchemaResolver {
  return new LiveSchemaResolver({
    ...options,
    client: { getJson: (path) => client.request({ method: 'GET', path }) },
    ...(discovery
      ? {
          restMapper: async (gvk: Gvk) => {
            const m = await discovery.tryResolve(gvk);
            return m ? { plural: m.gvr.resource, namespaced: m.namespaced } : undefined;
          },
        }
      : {}),
  });
}
