// Bounded concurrency for the requests of one node (collection items, pruned objects): a large
// collection must not open hundreds of requests at once, which queues them in the API server's
// priority and fairness layer and starves other clients; the client's rate limiter still applies.

/** Items of one node in flight at once. */
export const NODE_CONCURRENCY = 32;

/** Like Promise.all(items.map(fn)) with at most `limit` calls running; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = NODE_CONCURRENCY,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
