// Group/version/kind and group/version/resource identities. Kinds are what templates name;
// resources (plural, scope) are what URLs need; discovery maps one to the other.

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface Gvr {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** `apps/v1` → {group: 'apps', version: 'v1'}; `v1` → core group ''. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function formatApiVersion(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

export function gvkOf(obj: { apiVersion?: unknown; kind?: unknown }): Gvk {
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    throw new TypeError('object has no apiVersion');
  }
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new TypeError('object has no kind');
  return { ...parseApiVersion(obj.apiVersion), kind: obj.kind };
}

export function gvkFromApiVersion(apiVersion: string, kind: string): Gvk {
  return { ...parseApiVersion(apiVersion), kind };
}

/** `Deployment.v1.apps`, `ConfigMap.v1` — the shape kubectl and kro print in messages. */
export function formatGvk(gvk: Gvk): string {
  return gvk.group === '' ? `${gvk.kind}.${gvk.version}` : `${gvk.kind}.${gvk.version}.${gvk.group}`;
}

export function formatGvr(gvr: Gvr): string {
  return gvr.group === '' ? `${gvr.resource}.${gvr.version}` : `${gvr.resource}.${gvr.version}.${gvr.group}`;
}
