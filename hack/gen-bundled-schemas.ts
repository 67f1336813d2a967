// Regenerates src/schema/bundled/: the OpenAPI schemas and REST mappings of every built-in kind,
// read from a real kube-apiserver (hack/local-cluster.sh, no controller-manager). One JSON file per
// group-version in the format of src/schema/document.ts, descriptions stripped and unreachable
// component schemas dropped to keep the data small.
//
//   npx tsx hack/gen-bundled-schemas.ts [--out DIR] [--cluster-dir DIR]
//
// With --cluster-dir pointing at a running local cluster it reuses it; otherwise it starts one
// in a temporary directory and stops it at the end.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledFileName } from '../src/schema/bundled-resolver.js';
import type { GroupVersionDocument } from '../src/schema/document.js';
import { documentFromServer } from '../src/schema/from-server.js';
import { isPlainObject, stableStringify } from '../src/lib/json.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

interface Conn {
  port: number;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

function args(): { out: string; clusterDir?: string } {
  const a = process.argv.slice(2);
  const get = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const clusterDir = get('--cluster-dir');
  return {
    out: resolve(get('--out') ?? join(repo, 'src/schema/bundled')),
    ...(clusterDir ? { clusterDir } : {}),
  };
}

function cluster(cmd: 'up' | 'down', dir: string): string {
  return execFileSync('bash', [join(repo, 'hack/local-cluster.sh'), cmd, '--dir', dir, '--no-kcm'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

function connection(dir: string): Conn {
  const kubeconfig = readFileSync(join(dir, 'kubeconfig'), 'utf8');
  const m = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(kubeconfig);
  if (!m?.[1]) throw new Error(`no server port in ${dir}/kubeconfig`);
  const pki = join(dir, 'pki');
  return {
    port: Number(m[1]),
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  };
}

function getJson(conn: Conn, path: string): Promise<unknown> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: conn.port,
        path,
        ca: conn.ca,
        cert: conn.cert,
        key: conn.key,
        headers: { Accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300)
            fail(new Error(`GET ${path}: ${res.statusCode} ${body.slice(0, 200)}`));
          else ok(JSON.parse(body));
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

/** Group-versions served by /openapi/v3: `api/v1` → `v1`, `apis/apps/v1` → `apps/v1`. */
function groupVersions(index: unknown): { gv: string; url: string }[] {
  const paths = isPlainObject(index) && isPlainObject(index['paths']) ? index['paths'] : {};
  const out: { gv: string; url: string }[] = [];
  for (const [k, v] of Object.entries(paths)) {
    const url =
      isPlainObject(v) && typeof v['serverRelativeURL'] === 'string'
        ? v['serverRelativeURL']
        : `/openapi/v3/${k}`;
    const core = /^api\/(v[^/]+)$/.exec(k);
    const named = /^apis\/([^/]+)\/([^/]+)$/.exec(k);
    if (core?.[1]) out.push({ gv: core[1], url });
    else if (named?.[1] && named[2]) out.push({ gv: `${named[1]}/${named[2]}`, url });
  }
  return out.sort((a, b) => a.gv.localeCompare(b.gv));
}

/** Keeps only the component schemas reachable from the document's kinds. */
function pruneUnreachable(doc: GroupVersionDocument): GroupVersionDocument {
  const keep = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') enqueue(x.slice(x.lastIndexOf('/') + 1));
        else visit(x);
      }
    }
  };
  const enqueue = (name: string): void => {
    if (keep.has(name)) return;
    keep.add(name);
    visit(doc.schemas[name]);
  };
  doc.resources.forEach((r) => enqueue(r.schema));
  const schemas = Object.fromEntries(Object.entries(doc.schemas).filter(([k]) => keep.has(k)));
  return { ...doc, schemas };
}

async function generate(conn: Conn, out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.endsWith('.json')) rmSync(join(out, f));
  let total = 0;
  for (const { gv, url } of groupVersions(await getJson(conn, '/openapi/v3'))) {
    const discoveryPath = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
    const [openapi, discovery] = await Promise.all([getJson(conn, url), getJson(conn, discoveryPath)]);
    const doc = pruneUnreachable(documentFromServer(gv, openapi, discovery, { stripDocs: true }));
    if (doc.resources.length === 0) continue;
    const text = `${stableStringify(doc)}\n`;
    writeFileSync(join(out, bundledFileName(gv)), text);
    total += text.length;
    console.log(
      `${gv}: ${doc.resources.length} kinds, ${Object.keys(doc.schemas).length} schemas, ${text.length} bytes`,
    );
  }
  console.log(`wrote ${out} (${total} bytes)`);
}

async function main(): Promise<void> {
  const { out, clusterDir } = args();
  if (clusterDir) return generate(connection(clusterDir), out);
  const dir = mkdtempSync(join(tmpdir(), 'kro-ts-bundle-'));
  try {
    cluster('up', dir);
    await generate(connection(dir), out);
  } finally {
    try {
      cluster('down', dir);
    } catch (e) {
      console.error(`local-cluster down failed: ${String(e)}`);
    }
  }
}

await main();
