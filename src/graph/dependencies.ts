// Dependency edges from the compiled nodes (spec/03 §7): self references and cycles become issues
// that quote the expression creating the offending edge; otherwise the DAG gives order and layers.

import { buildDag, formatCycle } from './dag.js';
import type { Dag } from './dag.js';
import type { EdgeSource } from './compile-node.js';
import type { IssueList } from './issues.js';
import { Codes, msg } from './messages.js';

export interface EdgeNode {
  readonly id: string;
  readonly index: number;
  readonly path: string;
  readonly edges: ReadonlyMap<string, EdgeSource>;
}

export function resolveDependencies(nodes: readonly EdgeNode[], issues: IssueList): Dag | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const dagNodes = nodes.map((n) => {
    const self = n.edges.get(n.id);
    if (self) {
      issues.add({
        code: Codes.selfReference,
        path: self.path,
        nodeId: n.id,
        expression: self.expression,
        message: msg.selfReference(),
      });
    }
    const deps = new Set([...n.edges.keys()].filter((d) => d !== n.id && byId.has(d)));
    return { id: n.id, index: n.index, dependencies: deps };
  });
  const r = buildDag(dagNodes);
  if (r.ok) return r.dag;
  for (const cycle of r.cycles) {
    const [from, to] = cycle;
    const node = from === undefined ? undefined : byId.get(from);
    const source = to === undefined ? undefined : node?.edges.get(to);
    issues.add({
      code: Codes.cycle,
      path: source?.path ?? node?.path ?? '',
      nodeId: from,
      expression: source?.expression,
      message: msg.cycle(formatCycle(cycle)),
    });
  }
  return undefined;
}
