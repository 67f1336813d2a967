// The server's settings: CRD files or directories (the workspace's own kinds), relative to the
// first workspace folder, from `initializationOptions.crdPaths` or the `kro.crdPaths` setting
// (workspace/didChangeConfiguration). They sit in front of the bundled built-in kinds, exactly as
// `kro-ts validate --crds` does.

import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPlainObject } from '../lib/json.js';

export interface ServerSettings {
  readonly crdPaths: readonly string[];
}

/** `{crdPaths}` or `{kro: {crdPaths}}`; anything else leaves the setting undefined. */
export function crdPathsFrom(value: unknown): string[] | undefined {
  if (!isPlainObject(value)) return undefined;
  const holder = isPlainObject(value['kro']) ? value['kro'] : value;
  const paths = holder['crdPaths'];
  if (!Array.isArray(paths)) return undefined;
  return paths.filter((p): p is string => typeof p === 'string' && p !== '');
}

export function workspaceRoot(params: {
  workspaceFolders?: readonly { uri: string }[] | null;
  rootUri?: string | null;
}): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  return uri?.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export function absolutePaths(paths: readonly string[], root: string | undefined): string[] {
  return paths.map((p) => (isAbsolute(p) || root === undefined ? p : resolve(root, p)));
}

/** A file path for messages: the file system path of a file: URI, else the URI. */
export function fileOfUri(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}
