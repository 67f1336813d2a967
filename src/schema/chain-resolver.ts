// Tries resolvers in order and returns the first success: e.g. CRD overlay, then bundled
// built-ins. When all fail, the first resolver's cause is reported (it is the most specific).

import { err } from '../lib/result.js';
import type { Result } from '../lib/result.js';
import type { Gvk, ResolvedKind, SchemaResolver } from './types.js';

export class ChainSchemaResolver implements SchemaResolver {
  constructor(private readonly resolvers: readonly SchemaResolver[]) {}

  async resolve(gvk: Gvk): Promise<Result<ResolvedKind, string>> {
    let first: string | undefined;
    for (const r of this.resolvers) {
      const out = await r.resolve(gvk);
      if (out.ok) return out;
      first ??= out.error;
    }
    return err(first ?? `no schema resolver for ${gvk.kind}`);
  }
}
