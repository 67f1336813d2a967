// The dependency graph of an RGD's resources (spec/03 §7): edges point from a node to the nodes
// it references. Small and specific on purpose: stable Kahn order (ties by index in
// spec.resources), every cycle reported (one per strongly connected component, as a path that
// starts and ends at the same node), and apply-order layers peeled from the dependents' side.

export interface DagNode {
  readonly id: string;
  /** Position in spec.resources: the tie-breaker of the topological order. */
  readonly index: number;
  /** Ids this node references (edges node → dependency); self references must be removed. */
  readonly dependencies: ReadonlySet<string>;
}

export interface Dag {
  readonly topologicalOrder: readonly string[];
  /** layers[0]: nodes nothing depends on; each later layer only has dependents in earlier ones. */
  readonly layers: readonly (readonly string[])[];
  /** apply-order per node: `L - i` for a node in layer `i` of `L` layers. */
  readonly applyOrder: ReadonlyMap<string, number>;
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

/** One cycle, as ids along dependency edges: `[a, b, a]`. */
export type Cycle = readonly string[];

export type DagResult = { ok: true; dag: Dag } | { ok: false; cycles: readonly Cycle[] };

export function buildDag(nodes: readonly DagNode[]): DagResult {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order = kahnOrder(nodes, byId);
  if (order.length < nodes.length) {
    const done = new Set(order);
    return {
      ok: false,
      cycles: findCycles(
        nodes.filter((n) => !done.has(n.id)),
        byId,
      ),
    };
  }
  const dependents = dependentsOf(nodes, byId);
  const layers = peelLayers(order, dependents);
  const applyOrder = new Map<string, number>();
  layers.forEach((layer, i) => layer.forEach((id) => applyOrder.set(id, layers.length - i)));
  return { ok: true, dag: { topologicalOrder: order, layers, applyOrder, dependents } };
}

function byIndex(a: DagNode, b: DagNode): number {
  return a.index - b.index || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Kahn's algorithm, always taking the ready node with the smallest (index, id). */
function kahnOrder(nodes: readonly DagNode[], byId: ReadonlyMap<string, DagNode>): string[] {
  const remaining = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    const deps = [...n.dependencies].filter((d) => byId.has(d));
    remaining.set(n.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), n.id]);
  }
  const ready = nodes.filter((n) => remaining.get(n.id) === 0).sort(byIndex);
  const order: string[] = [];
  while (ready.length > 0) {
    const next = ready.shift() as DagNode;
    order.push(next.id);
    for (const dep of dependents.get(next.id) ?? []) {
      const left = (remaining.get(dep) ?? 0) - 1;
      remaining.set(dep, left);
      if (left === 0) insertSorted(ready, byId.get(dep) as DagNode);
    }
  }
  return order;
}

function insertSorted(list: DagNode[], n: DagNode): void {
  let i = list.length;
  while (i > 0 && byIndex(list[i - 1] as DagNode, n) > 0) i--;
  list.splice(i, 0, n);
}

function dependentsOf(nodes: readonly DagNode[], byId: ReadonlyMap<string, DagNode>): Map<string, string[]> {
  const out = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) {
    for (const d of n.dependencies) if (byId.has(d)) out.get(d)?.push(n.id);
  }
  return out;
}

/** Peels nodes whose dependents are all already peeled; each layer keeps topological order. */
function peelLayers(
  order: readonly string[],
  dependents: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const layers: string[][] = [];
  const placed = new Set<string>();
  while (placed.size < order.length) {
    const layer = order.filter(
      (id) => !placed.has(id) && (dependents.get(id) ?? []).every((d) => placed.has(d)),
    );
    layer.forEach((id) => placed.add(id));
    layers.push(layer);
  }
  return layers;
}

/**
 * One cycle per strongly connected component of the leftover nodes (Tarjan), each starting at
 * the component's first node in spec order and following dependency edges in spec order.
 */
function findCycles(left: readonly DagNode[], byId: ReadonlyMap<string, DagNode>): Cycle[] {
  const inLeft = new Set(left.map((n) => n.id));
  const cycles: Cycle[] = [];
  for (const scc of stronglyConnected(left, byId, inLeft)) {
    if (scc.length < 2) continue;
    const members = new Set(scc);
    const start = scc.map((id) => byId.get(id) as DagNode).sort(byIndex)[0] as DagNode;
    cycles.push(cycleFrom(start, members, byId));
  }
  return cycles.sort((a, b) => (byId.get(a[0] ?? '')?.index ?? 0) - (byId.get(b[0] ?? '')?.index ?? 0));
}

function sortedDeps(n: DagNode, members: ReadonlySet<string>, byId: ReadonlyMap<string, DagNode>): DagNode[] {
  return [...n.dependencies]
    .filter((d) => members.has(d))
    .map((d) => byId.get(d) as DagNode)
    .sort(byIndex);
}

/** Depth-first search inside one component for a path back to `start`. */
function cycleFrom(start: DagNode, members: ReadonlySet<string>, byId: ReadonlyMap<string, DagNode>): Cycle {
  const seen = new Set<string>();
  const path: string[] = [];
  const dfs = (n: DagNode): boolean => {
    path.push(n.id);
    seen.add(n.id);
    for (const d of sortedDeps(n, members, byId)) {
      if (d.id === start.id) return true;
      if (!seen.has(d.id) && dfs(d)) return true;
    }
    path.pop();
    return false;
  };
  dfs(start);
  return [...path, start.id];
}

function stronglyConnected(
  nodes: readonly DagNode[],
  byId: ReadonlyMap<string, DagNode>,
  inSet: ReadonlySet<string>,
): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (n: DagNode): void => {
    index.set(n.id, counter);
    low.set(n.id, counter++);
    stack.push(n.id);
    onStack.add(n.id);
    for (const d of sortedDeps(n, inSet, byId)) {
      if (!index.has(d.id)) {
        visit(d);
        low.set(n.id, Math.min(low.get(n.id) ?? 0, low.get(d.id) ?? 0));
      } else if (onStack.has(d.id)) {
        low.set(n.id, Math.min(low.get(n.id) ?? 0, index.get(d.id) ?? 0));
      }
    }
    if (low.get(n.id) === index.get(n.id)) {
      const scc: string[] = [];
      let top: string | undefined;
      do {
        top = stack.pop();
        if (top !== undefined) {
          onStack.delete(top);
          scc.push(top);
        }
      } while (top !== undefined && top !== n.id);
      out.push(scc);
    }
  };
  for (const n of [...nodes].sort(byIndex)) if (!index.has(n.id)) visit(n);
  return out;
}

export function formatCycle(cycle: Cycle): string {
  return cycle.join(' -> ');
}
