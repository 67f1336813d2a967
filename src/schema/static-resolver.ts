// A resolver over a fixed set of group-version documents: the bundled built-in kinds, test
// fixtures, or anything loaded from files. No I/O after construction.

import { err, ok } from '../lib/result.js';
import type { Result } from '../lib/result.js';
import { DocumentKinds } from './document.js';
import type { GroupVersionDocument } from './document.js';
import { groupVersionOf } from './types.js';
import type { Gvk, ResolvedKind, SchemaResolver } from './types.js';

export class StaticSchemaResolver implements SchemaResolver {
  private readonly docs = new Map<string, DocumentKinds>();

  constructor(documents: Iterable<GroupVersionDocument>) {
    for (const d of documents) this.docs.set(d.groupVersion, new DocumentKinds(d));
  }

  groupVersions(): string[] {
    return [...this.docs.keys()].sort();
  }

  resolve(gvk: Gvk): Promise<Result<ResolvedKind, string>> {
    return Promise.resolve(this.resolveSync(gvk));
  }

  resolveSync(gvk: Gvk): Result<ResolvedKind, string> {
    const gv = groupVersionOf(gvk);
    const doc = this.docs.get(gv);
    if (!doc) return err(`no matches for kind "${gvk.kind}" in version "${gv}"`);
    const r = doc.resolve(gvk.kind);
    return typeof r === 'string' ? err(r) : ok(r);
  }
}
