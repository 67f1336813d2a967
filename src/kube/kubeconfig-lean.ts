// A kubeconfig reader that does not load @kubernetes/client-node (whose generated API costs
// ~60 MiB of resident memory the operator never uses). It covers what operators are run with:
// the in-cluster service account, and kubeconfig files with client certificates, bearer tokens
// (inline or from a file, re-read periodically), basic auth, custom CAs, insecure-skip-tls-verify
// and tls-server-name. Users with `exec`, `auth-provider` or impersonation and clusters with a
// `proxy-url` are reported as unsupported; kubeconfig.ts then hands the selected entries to
// client-node. Several files (a KUBECONFIG list) merge the way kubectl merges them: the first
// file to define a named cluster, user or context wins, and so does the first current-context.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import type https from 'node:https';
import { isIPv6 } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** What the HTTP client needs from a configuration: where the API server is, and how to reach it. */
export interface ClusterAccess {
  /** API server URL as configured (without a trailing slash). */
  readonly server: string;
  /** The selected context (for messages). */
  readonly context: string;
  /** Which implementation fills the request options. */
  readonly loader: 'lean' | 'client-node';
  /**
   * Fills TLS material (ca, cert, key, rejectUnauthorized, servername) and credentials
   * (headers.Authorization, auth) into `opts`. Cheap: called once per request so rotated
   * credentials are picked up.
   */
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
}

/** How often a token file (tokenFile, the service account token) is re-read, as client-go. */
export const TOKEN_REFRESH_MS = 60_000;

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const IN_CLUSTER_CONTEXT = 'inClusterContext';

// ---------------------------------------------------------------------------------------------
// Reading and merging files

export type EntryKind = 'clusters' | 'users' | 'contexts';
const BODY_KEY = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;

type Mapping = Readonly<Record<string, unknown>>;

/** One named cluster, user or context, with where it came from (relative paths resolve there). */
export interface Entry {
  readonly kind: EntryKind;
  readonly name: string;
  /** The `cluster:` / `user:` / `context:` mapping; empty when absent or null. */
  readonly body: Mapping;
  readonly file: string;
  readonly index: number;
}

export interface MergedKubeconfig {
  /** The files that were read, in order. */
  readonly files: readonly string[];
  readonly clusters: ReadonlyMap<string, Entry>;
  readonly users: ReadonlyMap<string, Entry>;
  readonly contexts: ReadonlyMap<string, Entry>;
  readonly currentContext?: { readonly name: string; readonly file: string };
}

/** `kubeconfig <file>: users[2] "admin"` */
export function describeEntry(e: Entry): string {
  return `kubeconfig ${e.file}: ${e.kind}[${e.index}] "${e.name}"`;
}

function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isNotFound(e: unknown): boolean {
  return isMapping(e) && e['code'] === 'ENOENT';
}

/** ` at line L, column C` for a yaml error carrying `pos`, else ''. */
function lineOf(text: string, e: unknown): string {
  const pos = isMapping(e) && Array.isArray(e['pos']) ? e['pos'][0] : undefined;
  if (typeof pos !== 'number') return '';
  const before = text.slice(0, pos).split('\n');
  return ` at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** Parses one kubeconfig file's text; `file` names it in errors (never its content). */
export function parseKubeconfig(text: string, file: string): Mapping {
  let doc: unknown;
  try {
    // Not yaml's pretty errors: they quote the offending line, which may hold a token or a key.
    doc = parse(text, { logLevel: 'error', prettyErrors: false });
  } catch (e) {
    throw new Error(`kubeconfig ${file}: invalid YAML: ${errorText(e)}${lineOf(text, e)}`);
  }
  if (doc === null || doc === undefined) return {}; // an empty file is an empty configuration
  if (!isMapping(doc))
    throw new Error(`kubeconfig ${file}: not a kubeconfig (expected a mapping at the top)`);
  return doc;
}

/**
 * Reads and merges kubeconfig files. `skipMissing` leaves out files that do not exist, as kubectl
 * does for KUBECONFIG lists; otherwise (an explicit path) a missing file is an error.
 */
export function readKubeconfigs(paths: readonly string[], opts: { skipMissing: boolean }): MergedKubeconfig {
  const files: string[] = [];
  const maps: Record<EntryKind, Map<string, Entry>> = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  let currentContext: { name: string; file: string } | undefined;
  for (const file of paths) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (opts.skipMissing && isNotFound(e)) continue;
      throw new Error(`kubeconfig ${file} cannot be read: ${errorText(e)}`);
    }
    files.push(file);
    const doc = parseKubeconfig(text, file);
    for (const kind of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of entriesOf(doc, kind, file)) {
        if (!maps[kind].has(entry.name)) maps[kind].set(entry.name, entry);
      }
    }
    const cc = doc['current-context'];
    if (currentContext === undefined && typeof cc === 'string' && cc !== '') {
      currentContext = { name: cc, file };
    }
  }
  return { files, ...maps, ...(currentContext ? { currentContext } : {}) };
}

function entriesOf(doc: Mapping, kind: EntryKind, file: string): Entry[] {
  const list = doc[kind];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`kubeconfig ${file}: ${kind} must be a list`);
  return list.map((item: unknown, index) => {
    if (!isMapping(item)) throw new Error(`kubeconfig ${file}: ${kind}[${index}] must be a mapping`);
    const name = item['name'];
    if (typeof name !== 'string' || name === '') {
      throw new Error(`kubeconfig ${file}: ${kind}[${index}].name is missing`);
    }
    const body = item[BODY_KEY[kind]];
    if (body !== undefined && body !== null && !isMapping(body)) {
      throw new Error(`kubeconfig ${file}: ${kind}[${index}] "${name}": ${BODY_KEY[kind]} must be a mapping`);
    }
    return { kind, name, body: body ?? {}, file, index };
  });
}

// ---------------------------------------------------------------------------------------------
// Selecting a context

export interface Selection {
  readonly context: Entry;
  readonly cluster: Entry;
  /** Undefined when the context names no user (anonymous). */
  readonly user: Entry | undefined;
}

/** The context to use (`override`, else current-context) with its cluster and user. */
export function selectContext(cfg: MergedKubeconfig, override?: string): Selection {
  const name = override || cfg.currentContext?.name || '';
  const noCluster = `kubeconfig has no cluster for context "${name}"`;
  const inFiles = cfg.files.join(', ');
  if (name === '') throw new Error(`${noCluster}: no current-context is set in ${inFiles}`);
  const context = cfg.contexts.get(name);
  if (!context) throw new Error(`${noCluster}: no context named "${name}" in ${inFiles}`);
  const clusterName = optString(context, 'cluster');
  if (clusterName === undefined)
    throw new Error(`${noCluster}: ${describeEntry(context)}: context.cluster is missing`);
  const cluster = cfg.clusters.get(clusterName);
  if (!cluster) {
    throw new Error(
      `${noCluster}: ${describeEntry(context)} names cluster "${clusterName}", defined in none of ${inFiles}`,
    );
  }
  const userName = optString(context, 'user');
  const user = userName === undefined ? undefined : cfg.users.get(userName);
  if (userName !== undefined && !user) {
    throw new Error(`${describeEntry(context)} names user "${userName}", defined in none of ${inFiles}`);
  }
  return { context, cluster, user };
}

// ---------------------------------------------------------------------------------------------
// Fields

/** A string field; absent, null and '' are all "not set". */
export function optString(e: Entry, key: string): string | undefined {
  const v = e.body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string')
    throw new Error(`${describeEntry(e)}: ${BODY_KEY[e.kind]}.${key} must be a string`);
  return v;
}

function optBool(e: Entry, key: string): boolean {
  const v = e.body[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') {
    throw new Error(`${describeEntry(e)}: ${BODY_KEY[e.kind]}.${key} must be true or false`);
  }
  return v;
}

/** A path field, resolved against the directory of the file that defined the entry. */
export function optPath(e: Entry, key: string): string | undefined {
  const p = optString(e, key);
  return p === undefined || isAbsolute(p) ? p : resolve(dirname(e.file), p);
}

function readField(e: Entry, key: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(
      `${describeEntry(e)}: ${BODY_KEY[e.kind]}.${key} "${path}" cannot be read: ${errorText(err)}`,
    );
  }
}

function decodeField(e: Entry, key: string, data: string): Buffer {
  const where = `${describeEntry(e)}: ${BODY_KEY[e.kind]}.${key}`;
  if (data.includes('-----BEGIN')) {
    throw new Error(`${where} holds PEM text; *-data fields take base64 (or name a file without -data)`);
  }
  if (!/^[A-Za-z0-9+/=_\-\s]+$/.test(data)) throw new Error(`${where} is not base64`);
  const buf = Buffer.from(data, 'base64');
  if (buf.length === 0) throw new Error(`${where} is not base64`);
  return buf;
}

/** The bytes of `fileKey` (a path) or `dataKey` (base64); kubectl refuses both at once. */
function material(e: Entry, fileKey: string, dataKey: string): Buffer | undefined {
  const path = optPath(e, fileKey);
  const data = optString(e, dataKey);
  if (path !== undefined && data !== undefined) {
    throw new Error(`${describeEntry(e)}: both ${fileKey} and ${dataKey} are set; keep one`);
  }
  if (path !== undefined) return readField(e, fileKey, path);
  return data === undefined ? undefined : decodeField(e, dataKey, data);
}

/** Fields the lean loader leaves to client-node. */
const UNSUPPORTED: Readonly<Record<'clusters' | 'users', readonly string[]>> = {
  clusters: ['proxy-url'],
  users: ['exec', 'auth-provider', 'as', 'as-uid', 'as-groups', 'as-user-extra'],
};

/** Why the lean loader cannot serve `sel` (e.g. `... users[0] "u": exec`), or undefined. */
export function unsupportedBy(sel: Selection): string | undefined {
  for (const e of [sel.cluster, sel.user]) {
    if (e === undefined || e.kind === 'contexts') continue;
    const keys = UNSUPPORTED[e.kind].filter((k) => {
      const v = e.body[k];
      if (v === undefined || v === null || v === '') return false;
      return typeof v !== 'object' || Object.keys(v).length > 0; // [] and {} are "not set" too
    });
    if (keys.length > 0) return `${describeEntry(e)}: ${keys.join(', ')}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tokens read from files

/**
 * A bearer token read from a file and re-read every `periodMs` (projected service account tokens
 * rotate). A failed or empty re-read keeps the last good token, as client-go does.
 */
export class FileToken {
  private token: string;
  private readAt: number;
  private refreshing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly periodMs: number,
    first: string,
  ) {
    this.token = first;
    this.readAt = Date.now();
  }

  /** Reads the file once now; `error` says why when it cannot be read or is empty. */
  static open(path: string, periodMs: number): { token: FileToken } | { error: string } {
    let text: string;
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (e) {
      return { error: errorText(e) };
    }
    return text === '' ? { error: 'the file is empty' } : { token: new FileToken(path, periodMs, text) };
  }

  async get(): Promise<string> {
    if (Math.abs(Date.now() - this.readAt) >= this.periodMs) {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    return this.token;
  }

  private async refresh(): Promise<void> {
    try {
      const text = (await readFile(this.path, 'utf8')).trim();
      if (text !== '') this.token = text;
    } catch {
      // Keep the last good token; the next period tries again.
    }
    this.readAt = Date.now();
  }
}

// ---------------------------------------------------------------------------------------------
// The lean ClusterAccess

interface Tls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly insecure: boolean;
  readonly servername?: string;
}

interface Credentials {
  /** Preferred over `token` while readable (client-go: the token file takes precedence). */
  readonly tokenFile?: FileToken;
  readonly token?: string;
  /** `user:password` for basic auth. */
  readonly basic?: string;
}

class LeanAccess implements ClusterAccess {
  readonly loader = 'lean';

  constructor(
    readonly server: string,
    readonly context: string,
    private readonly tls: Tls,
    private readonly creds: Credentials,
  ) {}

  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    const { tls, creds } = this;
    if (tls.ca) opts.ca = tls.ca;
    if (tls.cert) opts.cert = tls.cert;
    if (tls.key) opts.key = tls.key;
    if (tls.insecure) opts.rejectUnauthorized = false;
    if (tls.servername !== undefined) opts.servername = tls.servername;
    const headers = (opts.headers ??= {}) as http.OutgoingHttpHeaders;
    const token = creds.tokenFile ? await creds.tokenFile.get() : creds.token;
    if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
    if (creds.basic !== undefined) opts.auth = creds.basic;
  }
}

function serverOf(e: Entry): string {
  const server = optString(e, 'server');
  if (server === undefined) throw new Error(`${describeEntry(e)}: cluster.server is missing`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`${describeEntry(e)}: cluster.server "${server}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${describeEntry(e)}: cluster.server "${server}" must be an https:// (or http://) URL`);
  }
  return server.replace(/\/$/, '');
}

function userTls(user: Entry): Pick<Tls, 'cert' | 'key'> {
  const cert = material(user, 'client-certificate', 'client-certificate-data');
  const key = material(user, 'client-key', 'client-key-data');
  if ((cert === undefined) !== (key === undefined)) {
    const [has, lacks] = cert
      ? ['a client certificate', 'client-key']
      : ['a client key', 'client-certificate'];
    throw new Error(`${describeEntry(user)}: has ${has} but no ${lacks}(-data)`);
  }
  return cert && key ? { cert, key } : {};
}

function userCredentials(user: Entry, tokenRefreshMs: number): Credentials {
  const token = optString(user, 'token');
  // `tokenFile` is client-go's key; client-node reads `token-file`.
  const fileKey = user.body['tokenFile'] !== undefined ? 'tokenFile' : 'token-file';
  const path = optPath(user, fileKey);
  let tokenFile: FileToken | undefined;
  if (path !== undefined) {
    const opened = FileToken.open(path, tokenRefreshMs);
    if ('token' in opened) tokenFile = opened.token;
    else if (token === undefined) {
      throw new Error(`${describeEntry(user)}: user.${fileKey} "${path}" cannot be read: ${opened.error}`);
    }
  }
  const username = optString(user, 'username');
  const password = optString(user, 'password');
  return {
    ...(tokenFile ? { tokenFile } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(username !== undefined ? { basic: `${username}:${password ?? ''}` } : {}),
  };
}

/**
 * The lean access for a selection, or `{ unsupported }` naming what it does not handle. Files named
 * by the entries (CA, client certificate and key) are read now; errors name file and field.
 */
export function leanAccess(
  sel: Selection,
  opts: { tokenRefreshMs?: number } = {},
): { access: ClusterAccess } | { unsupported: string } {
  const unsupported = unsupportedBy(sel);
  if (unsupported !== undefined) return { unsupported };
  const { cluster, user } = sel;
  const server = serverOf(cluster);
  const ca = material(cluster, 'certificate-authority', 'certificate-authority-data');
  const servername = optString(cluster, 'tls-server-name');
  const tls: Tls = {
    insecure: optBool(cluster, 'insecure-skip-tls-verify'),
    ...(ca ? { ca } : {}),
    ...(servername !== undefined ? { servername } : {}),
    ...(user ? userTls(user) : {}),
  };
  const creds = user ? userCredentials(user, opts.tokenRefreshMs ?? TOKEN_REFRESH_MS) : {};
  return { access: new LeanAccess(server, sel.context.name, tls, creds) };
}

// ---------------------------------------------------------------------------------------------
// In-cluster

export interface InClusterOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where token and ca.crt are (tests use a temporary directory). */
  readonly serviceAccountDir?: string;
  readonly tokenRefreshMs?: number;
  readonly context?: string | undefined;
}

/**
 * The service account the pod runs as: KUBERNETES_SERVICE_HOST/PORT, the token (re-read, it is
 * rotated by the kubelet) and the cluster CA. Like client-node, ports 80/8080/8001 mean http.
 */
export function inClusterAccess(opts: InClusterOptions): ClusterAccess {
  if (opts.context && opts.context !== IN_CLUSTER_CONTEXT) {
    throw new Error(`kubeconfig has no cluster for context "${opts.context}"`);
  }
  const host = opts.env['KUBERNETES_SERVICE_HOST'];
  const port = opts.env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port)
    throw new Error('in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const caPath = join(dir, 'ca.crt');
  let ca: Buffer;
  try {
    ca = readFileSync(caPath);
  } catch (e) {
    throw new Error(`in-cluster: the service account CA ${caPath} cannot be read: ${errorText(e)}`);
  }
  const tokenPath = join(dir, 'token');
  const opened = FileToken.open(tokenPath, opts.tokenRefreshMs ?? TOKEN_REFRESH_MS);
  if ('error' in opened) {
    throw new Error(`in-cluster: the service account token ${tokenPath} cannot be read: ${opened.error}`);
  }
  return new LeanAccess(server, IN_CLUSTER_CONTEXT, { ca, insecure: false }, { tokenFile: opened.token });
}
