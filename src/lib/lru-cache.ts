// The bounded cache, the one implementation: least recently used first out, with an optional
// time-to-live. /openapi/v3 documents (spec/03 §6.1: 500 entries, 5 minutes), typed CEL
// environments, compiled RE2 patterns and the watch layer's own-write echoes use it. Map
// insertion order is the recency order.

export interface LruOptions {
  readonly maxEntries: number;
  /** Entries expire this long after they were set; absent: never. */
  readonly ttlMs?: number;
  /** Injectable clock for tests. */
  readonly now?: () => number;
}

export class LruTtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly options: LruOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.expires <= this.now()) return undefined;
    this.entries.set(key, e);
    return e.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + (this.options.ttlMs ?? Infinity) });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
