// The lean kubeconfig loader, with @kubernetes/client-node as the oracle: for the kubeconfigs it
// handles, the TLS and credential options it fills must be the ones client-node fills.

import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { createKubeClientFromConfig } from './client.js';
import type { ClusterAccess, KubeConfigSource } from './kubeconfig.js';
import { loadKubeConfig } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kro-ts-lean-kc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pem = (what: string): string =>
  `-----BEGIN ${what}-----\n${Buffer.from(what).toString('base64')}\n-----END ${what}-----\n`;
const CA = pem('CA CERTIFICATE');
const CERT = pem('CERTIFICATE');
const KEY = pem('PRIVATE KEY');
const b64 = (s: string): string => Buffer.from(s).toString('base64');

let seq = 0;
/** A fresh directory under the test's temporary one. */
function subdir(name: string): string {
  const d = join(dir, `${++seq}-${name}`);
  mkdirSync(d, { recursive: true });
  return d;
}

interface Kc {
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> | null }[];
  contexts?: { name: string; context: Record<string, unknown> }[];
  'current-context'?: string;
}

function write(path: string, kc: Kc | string): string {
  writeFileSync(path, typeof kc === 'string' ? kc : stringify({ apiVersion: 'v1', kind: 'Config', ...kc }));
  return path;
}

/** One cluster, one user, one context named x. */
function single(cluster: Record<string, unknown>, user: Record<string, unknown> | null): Kc {
  return {
    clusters: [{ name: 'c', cluster: { server: 'https://k8s.example:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  };
}

/** What the HTTP client takes from applyToHTTPSOptions. */
function pick(o: https.RequestOptions) {
  const s = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
  const headers = o.headers as Record<string, unknown> | undefined;
  return {
    ca: s(o.ca),
    cert: s(o.cert),
    key: s(o.key),
    authorization: s(headers?.['Authorization']),
    impersonate: s(headers?.['Impersonate-User']),
    auth: o.auth,
    rejectUnauthorized: o.rejectUnauthorized,
    servername: o.servername,
  };
}

async function apply(access: ClusterAccess) {
  const o: https.RequestOptions = {};
  await access.applyToHTTPSOptions(o);
  return pick(o);
}

async function lean(file: string, src: KubeConfigSource = {}) {
  const loaded = await loadKubeConfig({ kubeconfigPath: file, ...src });
  return { ...loaded, options: await apply(loaded.access) };
}

async function oracle(file: string, context?: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (context) kc.setCurrentContext(context);
  const o: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(o);
  return { server: kc.getCurrentCluster()?.server, options: pick(o) };
}

describe('lean kubeconfig loader against client-node', () => {
  const d = subdir('oracle');
  const pki = join(d, 'pki');
  mkdirSync(pki);
  writeFileSync(join(pki, 'ca.crt'), CA);
  writeFileSync(join(pki, 'admin.crt'), CERT);
  writeFileSync(join(pki, 'admin.key'), KEY);
  const cases: [string, Kc][] = [
    [
      'CA, client certificate and key as data (hack/local-cluster.sh)',
      single(
        { 'certificate-authority-data': b64(CA) },
        { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) },
      ),
    ],
    [
      'CA, client certificate and key as relative paths',
      single(
        { 'certificate-authority': 'pki/ca.crt' },
        { 'client-certificate': 'pki/admin.crt', 'client-key': './pki/admin.key' },
      ),
    ],
    [
      'absolute paths, a token, a trailing slash on the server',
      single(
        { server: 'https://k8s.example:6443/', 'certificate-authority': join(pki, 'ca.crt') },
        { token: 'static-token' },
      ),
    ],
    [
      'insecure-skip-tls-verify and tls-server-name',
      single({ 'insecure-skip-tls-verify': true, 'tls-server-name': 'api.internal' }, { token: 't' }),
    ],
    [
      'basic auth',
      single({ 'certificate-authority-data': b64(CA) }, { username: 'admin', password: 's3cret' }),
    ],
    [
      'client certificate and token together',
      single({}, { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY), token: 'both' }),
    ],
  ];
  it.each(cases)('%s', async (_name, kc) => {
    const file = write(join(d, `kc-${++seq}.yaml`), kc);
    const want = await oracle(file);
    const got = await lean(file);
    expect(got.access.loader).toBe('lean');
    expect(got.fallback).toBeUndefined();
    expect(got.options).toEqual(want.options);
    expect(got.access.server).toBe(want.server);
    // The case is not vacuous: something was filled in.
    expect(Object.values(got.options).filter((v) => v !== undefined).length).toBeGreaterThan(0);
  });

  it('resolves relative paths against the kubeconfig directory, not the working directory', async () => {
    const file = write(
      join(d, 'relative.yaml'),
      single({ 'certificate-authority': 'pki/ca.crt' }, { token: 't' }),
    );
    const cwd = process.cwd();
    process.chdir(subdir('elsewhere'));
    try {
      expect((await lean(file)).options.ca).toBe(CA);
    } finally {
      process.chdir(cwd);
    }
  });

  it('reads what client-node exportConfig writes (JSON, test/integration/kube/apf-retry.test.ts)', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://10.0.0.1:6443', caData: b64(CA), skipTLSVerify: false }],
      users: [{ name: 'sa', token: 'sa-token' }],
      contexts: [{ name: 'sa', cluster: 'c', user: 'sa' }],
      currentContext: 'sa',
    });
    const file = write(join(d, 'exported.json'), kc.exportConfig());
    const got = await lean(file);
    expect(got.access.loader).toBe('lean');
    expect(got.options).toEqual((await oracle(file)).options);
    expect(got.options.authorization).toBe('Bearer sa-token');
  });

  it('selects the --context one like client-node does', async () => {
    const file = write(join(d, 'two.yaml'), {
      clusters: [
        { name: 'a', cluster: { server: 'https://a:6443', 'insecure-skip-tls-verify': true } },
        { name: 'b', cluster: { server: 'https://b:6443', 'certificate-authority-data': b64(CA) } },
      ],
      users: [
        { name: 'ua', user: { token: 'token-a' } },
        { name: 'ub', user: { username: 'bob', password: 'pw' } },
      ],
      contexts: [
        { name: 'ctx-a', context: { cluster: 'a', user: 'ua' } },
        { name: 'ctx-b', context: { cluster: 'b', user: 'ub' } },
      ],
      'current-context': 'ctx-a',
    });
    const got = await lean(file, { context: 'ctx-b' });
    const want = await oracle(file, 'ctx-b');
    expect(got.options).toEqual(want.options);
    expect([got.access.server, got.access.context]).toEqual(['https://b:6443', 'ctx-b']);
    expect((await lean(file)).options.authorization).toBe('Bearer token-a');
  });
});

describe('in-cluster service account', () => {
  const saEnv = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
  function serviceAccount(token: string): string {
    const root = subdir('sa');
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), token);
    writeFileSync(join(sa, 'ca.crt'), CA);
    writeFileSync(join(sa, 'namespace'), 'kro-system');
    return root;
  }
  const saDir = (root: string): string => join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
  afterEach(() => vi.useRealTimers());

  it.each([
    ['IPv4', '10.96.0.1', '443'],
    ['IPv6 (in brackets)', 'fd00:10:96::1', '443'],
  ])('%s: same server, CA and token as client-node', async (_name, host, port) => {
    const root = serviceAccount('sa-token-1');
    const env = { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port };
    const got = await loadKubeConfig({ env, serviceAccountDir: saDir(root) });
    expect(got.origin).toBe('in-cluster');
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const kc = new KubeConfig();
    try {
      kc.loadFromCluster(root);
    } finally {
      for (const k of Object.keys(env)) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    const o: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(o);
    expect(got.access.server).toBe(kc.getCurrentCluster()?.server);
    expect(await apply(got.access)).toEqual(pick(o));
    expect(pick(o).authorization).toBe('Bearer sa-token-1');
  });

  it('port 8080 means http, as in client-node', async () => {
    const root = serviceAccount('t');
    const env = { KUBERNETES_SERVICE_HOST: 'kubernetes.default.svc', KUBERNETES_SERVICE_PORT: '8080' };
    const got = await loadKubeConfig({ env, serviceAccountDir: saDir(root) });
    expect(got.access.server).toBe('http://kubernetes.default.svc:8080');
  });

  it('comes after KUBECONFIG and before ~/.kube/config', async () => {
    const root = serviceAccount('t');
    const home = subdir('home');
    mkdirSync(join(home, '.kube'));
    write(join(home, '.kube', 'config'), single({}, { token: 'home' }));
    const env = write(
      join(subdir('env'), 'config'),
      single({ server: 'https://env:6443' }, { token: 'env' }),
    );
    const src = { serviceAccountDir: saDir(root) };
    expect((await loadKubeConfig({ ...src, env: { ...saEnv, HOME: home, KUBECONFIG: env } })).origin).toBe(
      'env',
    );
    expect((await loadKubeConfig({ ...src, env: { ...saEnv, HOME: home } })).origin).toBe('in-cluster');
    // Without a port there is no in-cluster configuration (client-go's InClusterConfig).
    const noPort = { KUBERNETES_SERVICE_HOST: '10.96.0.1', HOME: home };
    expect((await loadKubeConfig({ ...src, env: noPort })).origin).toBe('home');
  });

  it('picks up a rotated token after the refresh period, and trims it', async () => {
    const root = serviceAccount('first\n');
    vi.useFakeTimers({ toFake: ['Date'] });
    const { access } = await loadKubeConfig({ env: saEnv, serviceAccountDir: saDir(root) });
    expect((await apply(access)).authorization).toBe('Bearer first');
    writeFileSync(join(saDir(root), 'token'), 'second\n');
    vi.setSystemTime(Date.now() + 30_000);
    expect((await apply(access)).authorization).toBe('Bearer first'); // within 60 s: cached
    vi.setSystemTime(Date.now() + 31_000);
    expect((await apply(access)).authorization).toBe('Bearer second');
  });

  it('keeps the last good token when a re-read fails or finds the file empty', async () => {
    const root = serviceAccount('good');
    const { access } = await loadKubeConfig({
      env: saEnv,
      serviceAccountDir: saDir(root),
      tokenRefreshMs: 0,
    });
    writeFileSync(join(saDir(root), 'token'), '');
    expect((await apply(access)).authorization).toBe('Bearer good');
    unlinkSync(join(saDir(root), 'token'));
    expect((await apply(access)).authorization).toBe('Bearer good');
    writeFileSync(join(saDir(root), 'token'), 'better');
    expect((await apply(access)).authorization).toBe('Bearer better');
  });

  it('names the file it cannot read', async () => {
    const root = serviceAccount('t');
    unlinkSync(join(saDir(root), 'ca.crt'));
    await expect(loadKubeConfig({ env: saEnv, serviceAccountDir: saDir(root) })).rejects.toThrow(
      /in-cluster: the service account CA .*ca\.crt cannot be read: ENOENT/,
    );
  });

  it('rejects a --context other than its own', async () => {
    const root = serviceAccount('t');
    await expect(
      loadKubeConfig({ env: saEnv, serviceAccountDir: saDir(root), context: 'prod' }),
    ).rejects.toThrow('kubeconfig has no cluster for context "prod"');
  });
});

describe('tokenFile', () => {
  afterEach(() => vi.useRealTimers());

  it('is resolved against the kubeconfig directory and re-read periodically', async () => {
    const d = subdir('tokenfile');
    writeFileSync(join(d, 'token'), 'one');
    const file = write(join(d, 'config'), single({}, { tokenFile: 'token' }));
    vi.useFakeTimers({ toFake: ['Date'] });
    const { access } = await loadKubeConfig({ kubeconfigPath: file });
    expect((await apply(access)).authorization).toBe('Bearer one');
    writeFileSync(join(d, 'token'), 'two');
    expect((await apply(access)).authorization).toBe('Bearer one');
    vi.setSystemTime(Date.now() + 61_000);
    expect((await apply(access)).authorization).toBe('Bearer two');
  });

  it('takes precedence over token while readable (client-go), token is the fallback', async () => {
    const d = subdir('tokenfile-precedence');
    writeFileSync(join(d, 'token'), 'from-file');
    const both = write(join(d, 'both'), single({}, { token: 'inline', tokenFile: join(d, 'token') }));
    expect((await lean(both)).options.authorization).toBe('Bearer from-file');
    const missing = write(join(d, 'missing'), single({}, { token: 'inline', tokenFile: 'nope' }));
    expect((await lean(missing)).options.authorization).toBe('Bearer inline');
    const alone = write(join(d, 'alone'), single({}, { tokenFile: 'nope' }));
    await expect(loadKubeConfig({ kubeconfigPath: alone })).rejects.toThrow(
      `kubeconfig ${alone}: users[0] "u": user.tokenFile "${join(d, 'nope')}" cannot be read: ENOENT`,
    );
  });
});

describe('KUBECONFIG path lists (kubectl merge)', () => {
  it('the first file to define a name wins, and the first current-context', async () => {
    const a = subdir('merge-a');
    const b = subdir('merge-b');
    writeFileSync(join(b, 'ca.crt'), CA);
    const fileA = write(join(a, 'config'), {
      clusters: [{ name: 'shared', cluster: { server: 'https://from-a:6443' } }],
      users: [{ name: 'shared-user', user: { token: 'from-a' } }],
      contexts: [{ name: 'x', context: { cluster: 'only-b', user: 'shared-user' } }],
    });
    const fileB = write(join(b, 'config'), {
      clusters: [
        { name: 'shared', cluster: { server: 'https://from-b:6443' } },
        { name: 'only-b', cluster: { server: 'https://only-b:6443', 'certificate-authority': 'ca.crt' } },
      ],
      users: [{ name: 'shared-user', user: { token: 'from-b' } }],
      contexts: [
        { name: 'x', context: { cluster: 'shared', user: 'shared-user' } },
        { name: 'y', context: { cluster: 'shared', user: 'shared-user' } },
      ],
      'current-context': 'x',
    });
    const fileC = write(join(subdir('merge-c'), 'config'), { 'current-context': 'y' });
    const missing = join(a, 'does-not-exist');
    const env = { KUBECONFIG: [missing, fileA, '', fileB, fileC].join(delimiter) };
    const got = await loadKubeConfig({ env });
    expect(got.origin).toBe('env');
    // current-context x comes from B (A sets none, C's comes later); context x is A's, naming
    // cluster only-b (defined in B, its CA relative to B) and A's user.
    expect([got.access.context, got.access.server]).toEqual(['x', 'https://only-b:6443']);
    const o = await apply(got.access);
    expect([o.ca, o.authorization]).toEqual([CA, 'Bearer from-a']);
    const y = await loadKubeConfig({ env, context: 'y' });
    expect([y.access.server, (await apply(y.access)).authorization]).toEqual([
      'https://from-a:6443',
      'Bearer from-a',
    ]);
  });

  it('says so when none of the files exists', async () => {
    const d = subdir('merge-none');
    const env = { KUBECONFIG: [join(d, 'a'), join(d, 'b')].join(delimiter), HOME: d };
    await expect(loadKubeConfig({ env })).rejects.toThrow(
      /no Kubernetes configuration found: none of the files in KUBECONFIG exists/,
    );
  });
});

describe('fallback to client-node', () => {
  const d = subdir('fallback');
  const execUser = (token: string) => ({
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [
        '-e',
        `console.log(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token:'${token}'}}))`,
      ],
    },
  });

  it('an exec user gets client-node, with the header a static token user gets from the lean loader', async () => {
    writeFileSync(join(d, 'ca.crt'), CA);
    const file = write(
      join(d, 'exec'),
      single({ 'certificate-authority': 'ca.crt' }, execUser('exec-token')),
    );
    const got = await lean(file);
    expect(got.access.loader).toBe('client-node');
    expect(got.fallback).toBe(`kubeconfig ${file}: users[0] "u": exec`);
    const staticUser = await lean(
      write(join(d, 'static'), single({ 'certificate-authority': 'ca.crt' }, { token: 'exec-token' })),
    );
    expect(staticUser.access.loader).toBe('lean');
    expect(got.options).toEqual(staticUser.options);
    expect(got.options.authorization).toBe('Bearer exec-token');
  });

  it('the fallback gets the entries the lean loader selected (merge, --context, relative paths)', async () => {
    const other = subdir('fallback-merge');
    writeFileSync(join(other, 'ca.crt'), CA);
    const first = write(join(d, 'first'), {
      users: [{ name: 'u', user: execUser('first-wins') }],
      contexts: [{ name: 'e', context: { cluster: 'c', user: 'u' } }],
    });
    const second = write(join(other, 'second'), {
      ...single({ 'certificate-authority': 'ca.crt' }, { token: 'not-me' }),
      'current-context': 'x',
    });
    const got = await loadKubeConfig({ env: { KUBECONFIG: [first, second].join(delimiter) }, context: 'e' });
    expect(got.access.loader).toBe('client-node');
    expect(await apply(got.access)).toMatchObject({ ca: CA, authorization: 'Bearer first-wins' });
  });

  it.each([
    [
      'auth-provider',
      single({}, { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } }),
      'auth-provider',
    ],
    ['impersonation', single({}, { token: 't', as: 'someone' }), 'as'],
    ['proxy-url', single({ 'proxy-url': 'http://proxy:3128' }, { token: 't' }), 'proxy-url'],
  ])('%s', async (_name, kc, field) => {
    const file = write(join(d, `f-${++seq}`), kc);
    const got = await loadKubeConfig({ kubeconfigPath: file });
    expect(got.access.loader).toBe('client-node');
    expect(got.fallback).toMatch(new RegExp(`: ${field}$`));
  });

  it('impersonation: client-node sets Impersonate-User as it did before', async () => {
    const file = write(join(d, 'as'), single({}, { token: 't', as: 'someone' }));
    const got = await lean(file);
    expect(got.options).toEqual((await oracle(file)).options);
    expect(got.options.impersonate).toBe('someone');
  });
});

describe('errors name the file and the field', () => {
  const d = subdir('errors');
  const cases: [string, Kc | string, string | RegExp, KubeConfigSource?][] = [
    ['invalid YAML', 'clusters: [a, b\nusers: {', /^kubeconfig \S+: invalid YAML: /],
    ['not a mapping', '- a\n- b\n', /: not a kubeconfig/],
    [
      'no current-context',
      { ...single({}, {}), 'current-context': '' },
      /no cluster for context "": no current-context is set in /,
    ],
    [
      'unknown --context',
      single({}, {}),
      'kubeconfig has no cluster for context "nope": no context named "nope" in ',
      { context: 'nope' },
    ],
    [
      'missing cluster',
      { ...single({}, {}), clusters: [] },
      /kubeconfig has no cluster for context "x": kubeconfig \S+: contexts\[0\] "x" names cluster "c", defined in none of /,
    ],
    [
      'missing user',
      { ...single({}, {}), users: [] },
      /contexts\[0\] "x" names user "u", defined in none of /,
    ],
    ['cluster without server', single({ server: null }, {}), /clusters\[0\] "c": cluster\.server is missing/],
    [
      'server not a URL',
      single({ server: 'k8s:6443:x' }, {}),
      /cluster\.server "k8s:6443:x" must be an https:\/\//,
    ],
    [
      'unreadable CA file',
      single({ 'certificate-authority': 'no-such-ca.crt' }, {}),
      /clusters\[0\] "c": cluster\.certificate-authority "\S+no-such-ca\.crt" cannot be read: ENOENT/,
    ],
    [
      'unreadable client certificate',
      single({}, { 'client-certificate': '/nonexistent/admin.crt', 'client-key-data': b64(KEY) }),
      /users\[0\] "u": user\.client-certificate "\/nonexistent\/admin\.crt" cannot be read: ENOENT/,
    ],
    [
      'certificate without key',
      single({}, { 'client-certificate-data': b64(CERT) }),
      /users\[0\] "u": has a client certificate but no client-key/,
    ],
    [
      'both CA file and data',
      single({ 'certificate-authority': 'ca.crt', 'certificate-authority-data': b64(CA) }, {}),
      /both certificate-authority and certificate-authority-data are set/,
    ],
    [
      'PEM where base64 belongs',
      single({ 'certificate-authority-data': CA }, {}),
      /certificate-authority-data holds PEM text/,
    ],
    [
      'a token that is not a string',
      single({}, { token: 12345 }),
      /users\[0\] "u": user\.token must be a string/,
    ],
    [
      'insecure-skip-tls-verify: "yes"',
      single({ 'insecure-skip-tls-verify': 'yes' }, {}),
      /insecure-skip-tls-verify must be true or false/,
    ],
    [
      'an entry without a name',
      { ...single({}, {}), users: [{ user: {} } as never] },
      /users\[0\]\.name is missing/,
    ],
    ['clusters not a list', { ...single({}, {}), clusters: {} as never }, /: clusters must be a list/],
  ];
  it.each(cases)('%s', async (_name, kc, message, src) => {
    const file = write(join(d, `e-${++seq}`), kc);
    const err = await loadKubeConfig({ kubeconfigPath: file, ...src }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(file);
  });

  it('a YAML error gives line and column but does not quote the file (it may hold secrets)', async () => {
    const file = write(join(d, 'secret'), 'users:\n- name: u\n  user: {token: secret-abc, x: [1, 2}\n');
    const err = (await loadKubeConfig({ kubeconfigPath: file }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(new RegExp(`^kubeconfig ${file}: invalid YAML: .* at line 3, column 37$`));
    expect(err.message).not.toContain('secret-abc');
  });

  it('a --kubeconfig that does not exist', async () => {
    const file = join(d, 'absent');
    await expect(loadKubeConfig({ kubeconfigPath: file })).rejects.toThrow(
      `kubeconfig ${file} cannot be read: ENOENT`,
    );
  });
});

describe('HttpKubeClient over a ClusterAccess', () => {
  it('sends the current credentials with every request (a rotated tokenFile is picked up)', async () => {
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const d = subdir('client');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(d, 'token'), 'one');
    const file = write(join(d, 'config'), single({ server: url }, { tokenFile: 'token' }));
    const { access } = await loadKubeConfig({ kubeconfigPath: file, tokenRefreshMs: 0 });
    const client = await createKubeClientFromConfig(access, { qps: 0 });
    // A client-node KubeConfig still fits (tests and the harness pass one).
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'kc-token' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const viaKc = await createKubeClientFromConfig(kc, { qps: 0 });
    try {
      await client.request({ method: 'GET', path: '/api' });
      writeFileSync(join(d, 'token'), 'two');
      await client.request({ method: 'GET', path: '/api' });
      await viaKc.request({ method: 'GET', path: '/api' });
      expect(seen).toEqual(['Bearer one', 'Bearer two', 'Bearer kc-token']);
      expect(client.server).toBe(url);
    } finally {
      client.close();
      viaKc.close();
      await new Promise((r) => server.close(r));
    }
  });
});
