// Resolves kinds defined by CustomResourceDefinition objects: CRD files for the offline CLI, or
// the CRDs generated from other RGDs so that one RGD may template another's instances. Put it in
// front of the bundled resolver with ChainSchemaResolver.

import type { OpenApiSchema } from '../api/openapi.js';
import { isPlainObject } from '../lib/json.js';
import { err, ok } from '../lib/result.js';
import type { Result } from '../lib/result.js';
import { deepFreeze, RefInliner } from './inline-refs.js';
import { withObjectEnvelope } from './object-meta.js';
import { groupVersionOf } from './types.js';
import type { Gvk, ResolvedKind, SchemaResolver } from './types.js';

export interface CrdResolverOptions {
  /** Keep field descriptions (an editor shows them; compiling does not need them). */
  readonly keepDescriptions?: boolean;
}

export class CrdSchemaResolver implements SchemaResolver {
  private readonly kinds = new Map<string, ResolvedKind>();

  constructor(
    crds: Iterable<unknown> = [],
    private readonly options: CrdResolverOptions = {},
  ) {
    for (const c of crds) {
      const r = this.addCrd(c);
      if (!r.ok) throw new Error(r.error);
    }
  }

  /** Registers (or replaces) every served version of a CRD. */
  addCrd(crd: unknown): Result<void, string> {
    const parsed = parseCrd(crd, this.options);
    if (!parsed.ok) return parsed;
    for (const v of parsed.value.versions)
      this.kinds.set(keyOf({ ...parsed.value, version: v.name }), v.resolved);
    return ok(undefined);
  }

  resolve(gvk: Gvk): Promise<Result<ResolvedKind, string>> {
    const k = this.kinds.get(keyOf(gvk));
    return Promise.resolve(
      k ? ok(k) : err(`no matches for kind "${gvk.kind}" in version "${groupVersionOf(gvk)}"`),
    );
  }
}

function keyOf(g: { group: string; version: string; kind: string }): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

interface ParsedCrd {
  group: string;
  kind: string;
  versions: { name: string; resolved: ResolvedKind }[];
}

function parseCrd(crd: unknown, options: CrdResolverOptions): Result<ParsedCrd, string> {
  if (!isPlainObject(crd) || crd['kind'] !== 'CustomResourceDefinition' || !isPlainObject(crd['spec'])) {
    return err('not a CustomResourceDefinition');
  }
  const spec = crd['spec'];
  const names = isPlainObject(spec['names']) ? spec['names'] : {};
  const group = spec['group'];
  const kind = names['kind'];
  const plural = names['plural'];
  if (typeof group !== 'string' || typeof kind !== 'string' || typeof plural !== 'string') {
    return err('CustomResourceDefinition lacks spec.group, spec.names.kind or spec.names.plural');
  }
  const namespaced = spec['scope'] !== 'Cluster';
  const versions: ParsedCrd['versions'] = [];
  for (const v of Array.isArray(spec['versions']) ? spec['versions'] : []) {
    if (!isPlainObject(v) || typeof v['name'] !== 'string' || v['served'] === false) continue;
    const raw = isPlainObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
    const base: OpenApiSchema = isPlainObject(raw)
      ? new RefInliner({}, options).inline(raw)
      : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const schema = deepFreeze(withObjectEnvelope(base));
    versions.push({ name: v['name'], resolved: Object.freeze({ schema, plural, namespaced }) });
  }
  return ok({ group, kind, versions });
}
