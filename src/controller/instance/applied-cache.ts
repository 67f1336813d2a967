// What each child was last applied with, so a reconcile that renders the same object again does not
// re-apply it (issue 16: zero writes after Ready). Per child: a digest of the apply body and the
// resourceVersion the apply answered. The apply is skipped only when the body rendered now has the
// same digest AND the object read just before still has that resourceVersion: any later write to
// the child (someone's edit, another controller, a deletion and re-creation) changes the
// resourceVersion, so drift is still reverted. Memory only: after a restart every child is applied
// once (the safe direction). Bounded, oldest entries evicted first.

import { createHash } from 'node:crypto';
import { canonicalJson } from './instance-io.js';

interface Entry {
  readonly digest: string;
  readonly resourceVersion: string;
}

export const APPLIED_CACHE_MAX = 100_000;

export class AppliedCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly max = APPLIED_CACHE_MAX) {}

  static digest(body: unknown): string {
    return createHash('sha256').update(canonicalJson(body)).digest('base64url').slice(0, 22);
  }

  /** True when `digest` was applied and answered with the resourceVersion the child still has. */
  unchanged(key: string, digest: string, liveResourceVersion: string | undefined): boolean {
    const e = this.entries.get(key);
    return (
      e !== undefined &&
      liveResourceVersion !== undefined &&
      e.digest === digest &&
      e.resourceVersion === liveResourceVersion
    );
  }

  /** Records a successful apply (its answer's resourceVersion). */
  record(key: string, digest: string, resourceVersion: string | undefined): void {
    this.entries.delete(key);
    if (resourceVersion === undefined) return;
    this.entries.set(key, { digest, resourceVersion });
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The cache key of a child: apiVersion, kind, namespace, name. */
export function childKey(o: {
  apiVersion: string;
  kind: string;
  metadata: { namespace?: string; name?: string };
}): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name ?? ''}`;
}
