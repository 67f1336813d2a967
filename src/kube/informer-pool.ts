// Shared informers: at most one list-and-watch per (resource, namespace, selectors, metadata-only),
// started on first use and stopped when the last user releases it (spec 05 §1, "shared watch
// layer"). Routing events to the objects interested in them is the caller's business.

import type { InformerHandlers, InformerOptions } from './informer.js';
import { Informer } from './informer.js';
import type { Resources } from './resources.js';

export interface InformerLease {
  readonly informer: Informer;
  /** Removes this user's handlers; stops the informer when nobody else uses it. Idempotent. */
  release(): Promise<void>;
}

interface PoolEntry {
  readonly informer: Informer;
  users: number;
}

export class InformerPool {
  private readonly entries = new Map<string, PoolEntry>();

  constructor(
    private readonly resources: Resources,
    /** Defaults applied to every informer (logger, backoff). */
    private readonly defaults: Pick<InformerOptions, 'logger' | 'backoff' | 'watchTimeoutSeconds'> = {},
  ) {}

  /**
   * Subscribes to the informer for `opts`, creating and starting it if needed. A late subscriber
   * first gets the cached objects as adds (and onSynced if the informer already synced), so
   * every subscriber sees the same sequence a fresh informer would give it.
   */
  acquire(
    opts: Omit<InformerOptions, 'resumeFromResourceVersion'>,
    handlers: InformerHandlers,
  ): InformerLease {
    const key = poolKey(opts);
    let entry = this.entries.get(key);
    const fresh = entry === undefined;
    if (!entry) {
      entry = { informer: new Informer(this.resources, { ...this.defaults, ...opts }), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users += 1;
    const { informer } = entry;
    if (!fresh) {
      for (const obj of informer.list()) handlers.onAdd?.(obj);
      if (informer.hasSynced) handlers.onSynced?.();
    }
    const remove = informer.addHandlers(handlers);
    if (fresh) informer.start();
    let released = false;
    const e = entry;
    return {
      informer,
      release: async () => {
        if (released) return;
        released = true;
        remove();
        e.users -= 1;
        if (e.users === 0 && this.entries.get(key) === e) {
          this.entries.delete(key);
          await e.informer.stop();
        }
      },
    };
  }

  /** Number of running informers. */
  get size(): number {
    return this.entries.size;
  }

  async stopAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.informer.stop()));
  }
}

function poolKey(o: Omit<InformerOptions, 'resumeFromResourceVersion'>): string {
  const t = o.target;
  const what =
    'kind' in t ? `kind:${t.group}/${t.version}/${t.kind}` : `resource:${t.group}/${t.version}/${t.resource}`;
  return JSON.stringify([
    what,
    o.namespace ?? '',
    o.labelSelector ?? '',
    o.fieldSelector ?? '',
    !!o.metadataOnly,
  ]);
}
