// Where the API client's configuration comes from, in kro's (controller-runtime's) order:
// an explicit --kubeconfig path, then $KUBECONFIG, then the in-cluster service account, then
// ~/.kube/config. client-node's loadFromDefault checks ~/.kube/config before in-cluster, so the
// order is spelled out here.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface KubeConfigSource {
  /** Explicit kubeconfig file (the --kubeconfig flag). */
  readonly kubeconfigPath?: string | undefined;
  /** Context to use instead of the file's current-context. */
  readonly context?: string | undefined;
  /** Environment to read KUBECONFIG / KUBERNETES_SERVICE_HOST from (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Which source was used, for the startup log line. */
export type KubeConfigOrigin = 'flag' | 'env' | 'in-cluster' | 'home';

export function loadKubeConfig(src: KubeConfigSource = {}): { kc: KubeConfig; origin: KubeConfigOrigin } {
  const env = src.env ?? process.env;
  const kc = new KubeConfig();
  let origin: KubeConfigOrigin;
  if (src.kubeconfigPath) {
    kc.loadFromFile(src.kubeconfigPath);
    origin = 'flag';
  } else if (env.KUBECONFIG) {
    // client-node merges a path list the way kubectl does.
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = env.KUBECONFIG;
    try {
      kc.loadFromDefault();
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
    origin = 'env';
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
    origin = 'in-cluster';
  } else {
    const home = join(env.HOME ?? homedir(), '.kube', 'config');
    if (!existsSync(home)) {
      throw new Error(
        'no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, run in a cluster, or create ~/.kube/config',
      );
    }
    kc.loadFromFile(home);
    origin = 'home';
  }
  if (src.context) kc.setCurrentContext(src.context);
  if (!kc.getCurrentCluster())
    throw new Error(`kubeconfig has no cluster for context "${kc.getCurrentContext()}"`);
  return { kc, origin };
}
