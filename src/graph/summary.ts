// The RGD status fields derived from a graph (spec/01 §6): topologicalOrder, and resources[] with
// only the nodes that have dependencies, in topological order, dependencies sorted by id.

import type { GraphStatusSummary } from './types.js';

export function graphStatusSummary(
  order: readonly string[],
  dependencies: ReadonlyMap<string, readonly string[]>,
): GraphStatusSummary {
  const resources: GraphStatusSummary['resources'] = [];
  for (const id of order) {
    const deps = dependencies.get(id) ?? [];
    if (deps.length === 0) continue;
    resources.push({ id, dependencies: [...deps].sort().map((d) => ({ id: d })) });
  }
  return { topologicalOrder: [...order], resources };
}
