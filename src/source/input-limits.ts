// Hostile-input guards of the RGD sources (issue 14), for the CLI and the language server: every
// file read goes through readInputFile and every parsed document through documentLimitProblem, so a directory, a huge file, bytes that are not
// UTF-8, a YAML alias bomb or absurd nesting each end in one clear line naming the file and the
// limit, never a stack trace or a runaway process.
//
// The size limits are the API server's (kube-apiserver v1.36): a request body is at most 3 MiB
// (--max-request-body-bytes default, apiserver.DefaultMaxRequestSizeBytes = 3 * 1024 * 1024), and
// etcd stores an object of at most 1.5 MiB (etcd --max-request-bytes default 1.5 MiB; kube-apiserver
// answers "etcdserver: request is too large"). A file larger than a request could never be applied
// in one `kubectl apply --server-side` call of one object; an object larger than etcd's limit
// could never be stored.

import { readFileSync, statSync } from 'node:fs';
import { SourceError } from './errors.js';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;
/** YAML aliases expanded per document (yaml's own default is 100 as well). */
export const MAX_ALIAS_COUNT = 100;
/**
 * Nesting of maps and lists in one document. Not an API server limit (its JSON decoder allows
 * 10,000 levels): the CLI's own, far above any real manifest (a Deployment is about 12 deep) and
 * far below what exhausts the stack of the recursive schema and template walks.
 */
export const MAX_NESTING_DEPTH = 256;
export const NESTING_MESSAGE = `nested more than ${MAX_NESTING_DEPTH} levels deep (the CLI's limit)`;

const MIB = (n: number): string => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

/** The file's text, or a SourceError naming the file and the problem. */
export function readInputFile(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new SourceError(`${file}: is a directory (give the YAML files in it)`);
    if (!st.isFile()) throw new SourceError(`${file}: not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(`${file}: ${fsMessage(e)}`);
  }
  if (size > MAX_REQUEST_BODY_BYTES) {
    throw new SourceError(
      `${file}: file is ${size} bytes, over the API server's request limit of ${MIB(MAX_REQUEST_BODY_BYTES)} (${MAX_REQUEST_BODY_BYTES} bytes)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new SourceError(`${file}: ${fsMessage(e)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SourceError(`${file}: not valid UTF-8 (${invalidUtf8At(bytes)}); YAML files must be UTF-8`);
  }
}

function fsMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}

/** `line L, byte B` of the first byte sequence that is not UTF-8. */
function invalidUtf8At(b: Buffer): string {
  let line = 1;
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    let n = 0;
    if (c < 0x80) n = 1;
    else if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) n = 3;
    else if (c >= 0xf0 && c <= 0xf4) n = 4;
    if (n === 0 || i + n > b.length || !decodes(b.subarray(i, i + n)))
      return `line ${line}, byte offset ${i}`;
    if (c === 0x0a) line++;
    i += n;
  }
  return `byte offset ${b.length}`;
}

function decodes(seq: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(seq);
    return true;
  } catch {
    return false;
  }
}

/**
 * What is wrong with one parsed document's depth or size, or undefined: the message names the limit
 * (the caller adds the file and position).
 */
export function documentLimitProblem(value: unknown): string | undefined {
  // Iterative walk: recursion here would overflow on exactly the input it guards against.
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_NESTING_DEPTH) return NESTING_MESSAGE;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  const bytes = Buffer.byteLength(
    JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? '',
  );
  if (bytes > MAX_OBJECT_BYTES) {
    return `object is ${bytes} bytes as JSON, over etcd's object limit of ${MIB(MAX_OBJECT_BYTES)} (${MAX_OBJECT_BYTES} bytes)`;
  }
  return undefined;
}

/** yaml's alias-expansion guard, reworded. */
export const ALIAS_LIMIT_MESSAGE = `YAML aliases expand to too many nodes (limit: ${MAX_ALIAS_COUNT} alias expansions per document; an alias bomb?)`;
