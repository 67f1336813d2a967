// Where the API client's configuration comes from, in kro's (controller-runtime's) order:
// an explicit --kubeconfig path, then $KUBECONFIG, then the in-cluster service account, then
// ~/.kube/config. client-node's loadFromDefault checks ~/.kube/config before in-cluster, so the
// order is spelled out here.
//
// The files are read by kubeconfig-lean.ts, which does not load @kubernetes/client-node (~60 MiB
// resident). Only when the selected user or cluster needs what it does not implement (exec and
// auth-provider plugins, impersonation, proxy-url) is client-node imported, on demand, and given
// the selected entries.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';
import type { ClusterAccess, Entry, Selection } from './kubeconfig-lean.js';
import {
  describeEntry,
  inClusterAccess,
  leanAccess,
  optPath,
  optString,
  readKubeconfigs,
  selectContext,
  SERVICE_ACCOUNT_DIR,
} from './kubeconfig-lean.js';

export type { ClusterAccess } from './kubeconfig-lean.js';

export interface KubeConfigSource {
  /** Explicit kubeconfig file (the --kubeconfig flag). */
  readonly kubeconfigPath?: string | undefined;
  /** Context to use instead of the file's current-context. */
  readonly context?: string | undefined;
  /** Environment to read KUBECONFIG / KUBERNETES_SERVICE_HOST from (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Service account directory for the in-cluster source (tests pass a temporary one). */
  readonly serviceAccountDir?: string;
  /** How often token files are re-read. Default 60 s. */
  readonly tokenRefreshMs?: number;
}

/** Which source was used, for the startup log line. */
export type KubeConfigOrigin = 'flag' | 'env' | 'in-cluster' | 'home';

export interface LoadedKubeConfig {
  readonly access: ClusterAccess;
  readonly origin: KubeConfigOrigin;
  /** What made the loader fall back to client-node (e.g. `... users[0] "u": exec`), if it did. */
  readonly fallback?: string;
}

export async function loadKubeConfig(src: KubeConfigSource = {}): Promise<LoadedKubeConfig> {
  const env = src.env ?? process.env;
  if (src.kubeconfigPath) return fromFiles([src.kubeconfigPath], 'flag', src);
  // A path list, merged the way kubectl does; files that do not exist are left out.
  const list = [...new Set((env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== ''))];
  if (list.length > 0) return fromFiles(list, 'env', src);
  const saDir = src.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(join(saDir, 'token'))) {
    const access = inClusterAccess({
      env,
      serviceAccountDir: saDir,
      context: src.context,
      ...(src.tokenRefreshMs !== undefined ? { tokenRefreshMs: src.tokenRefreshMs } : {}),
    });
    return { access, origin: 'in-cluster' };
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (!existsSync(home)) {
    throw new Error(
      'no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, run in a cluster, or create ~/.kube/config',
    );
  }
  return fromFiles([home], 'home', src);
}

async function fromFiles(
  files: readonly string[],
  origin: KubeConfigOrigin,
  src: KubeConfigSource,
): Promise<LoadedKubeConfig> {
  const merged = readKubeconfigs(files, { skipMissing: origin === 'env' });
  if (merged.files.length === 0) {
    throw new Error(
      `no Kubernetes configuration found: none of the files in KUBECONFIG exists (${files.join(', ')})`,
    );
  }
  const sel = selectContext(merged, src.context);
  const lean = leanAccess(
    sel,
    src.tokenRefreshMs !== undefined ? { tokenRefreshMs: src.tokenRefreshMs } : {},
  );
  if ('access' in lean) return { access: lean.access, origin };
  return { access: await clientNodeAccess(sel), origin, fallback: lean.unsupported };
}

/** Adapts a client-node KubeConfig (tests, the harness, the fallback) to ClusterAccess. */
export function accessFromKubeConfig(kc: KubeConfig): ClusterAccess {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig has no cluster for context "${kc.getCurrentContext()}"`);
  return {
    server: cluster.server,
    context: kc.getCurrentContext(),
    loader: 'client-node',
    applyToHTTPSOptions: (opts) => kc.applyToHTTPSOptions(opts),
  };
}

/** Loads client-node (only now) and gives it the selected context, cluster and user. */
async function clientNodeAccess(sel: Selection): Promise<ClusterAccess> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [clientNodeCluster(sel.cluster)],
    users: sel.user ? [clientNodeUser(sel.user)] : [],
    contexts: [{ name: sel.context.name, cluster: sel.cluster.name, user: sel.user?.name ?? '' }],
    currentContext: sel.context.name,
  });
  return accessFromKubeConfig(kc);
}

/** The entry as client-node's loadFromFile would have made it (paths already absolute). */
function clientNodeCluster(e: Entry): Cluster {
  const server = optString(e, 'server');
  if (server === undefined) throw new Error(`${describeEntry(e)}: cluster.server is missing`);
  const caData = optString(e, 'certificate-authority-data');
  const caFile = optPath(e, 'certificate-authority');
  const tlsServerName = optString(e, 'tls-server-name');
  const proxyUrl = optString(e, 'proxy-url');
  return {
    name: e.name,
    server: server.replace(/\/$/, ''),
    skipTLSVerify: e.body['insecure-skip-tls-verify'] === true,
    ...(caData !== undefined ? { caData } : {}),
    ...(caFile !== undefined ? { caFile } : {}),
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
    ...(proxyUrl !== undefined ? { proxyUrl } : {}),
  };
}

function clientNodeUser(e: Entry): User {
  const b = e.body;
  const fields: Record<string, string | undefined> = {
    certData: optString(e, 'client-certificate-data'),
    certFile: optPath(e, 'client-certificate'),
    keyData: optString(e, 'client-key-data'),
    keyFile: optPath(e, 'client-key'),
    token: optString(e, 'token') ?? tokenFromFile(e),
    username: optString(e, 'username'),
    password: optString(e, 'password'),
    impersonateUser: optString(e, 'as'),
  };
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return {
    name: e.name,
    ...set,
    ...(b['exec'] != null ? { exec: b['exec'] } : {}),
    ...(b['auth-provider'] != null ? { authProvider: b['auth-provider'] } : {}),
  };
}

function tokenFromFile(e: Entry): string | undefined {
  const key = e.body['tokenFile'] !== undefined ? 'tokenFile' : 'token-file';
  const path = optPath(e, key);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new Error(`${describeEntry(e)}: user.${key} "${path}" cannot be read: ${(err as Error).message}`);
  }
}
