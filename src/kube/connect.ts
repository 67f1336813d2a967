// One call to get everything a controller needs: client, discovery and the resource verbs
// sharing one connection pool and one rate limiter.

import type { KubeClient, KubeClientOptions } from './client.js';
import { createKubeClient } from './client.js';
import type { DiscoveryOptions } from './discovery.js';
import { Discovery } from './discovery.js';
import { Resources } from './resources.js';

export interface Kube {
  readonly client: KubeClient;
  readonly discovery: Discovery;
  readonly resources: Resources;
  close(): void;
}

export async function connectKube(
  opts: KubeClientOptions & { discovery?: DiscoveryOptions } = {},
): Promise<Kube> {
  const client = await createKubeClient(opts);
  return kubeFromClient(client, opts.discovery);
}

export function kubeFromClient(client: KubeClient, discoveryOpts?: DiscoveryOptions): Kube {
  const discovery = new Discovery(client, discoveryOpts);
  return { client, discovery, resources: new Resources(client, discovery), close: () => client.close() };
}
