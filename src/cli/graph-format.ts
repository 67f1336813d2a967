// Renderings of a compiled graph for `kro-ts graph`: text, Graphviz dot, Mermaid and JSON. Edges
// point from a dependency to its dependent (the apply direction). Apply waves are the runtime
// scheduler's waves when every node settles at once (a node runs as soon as its dependencies are
// settled), the same as the operator's and `kro-ts render`'s; `applyOrder` (the apply-order
// annotation, kro's deletion order) is peeled from the dependents' side and may differ.

import type { CompiledGraph, CompiledNode } from '../graph/index.js';
import { staticWaves } from '../runtime/index.js';

export type GraphFormat = 'text' | 'dot' | 'mermaid' | 'json';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['text', 'dot', 'mermaid', 'json'];

export interface Edge {
  readonly from: string;
  readonly to: string;
}

export function edgesOf(g: CompiledGraph): Edge[] {
  return g.topologicalOrder.flatMap((id) =>
    (g.nodesById.get(id)?.dependencies ?? []).map((dep) => ({ from: dep, to: id })),
  );
}

/** The waves the operator and `kro-ts render` process when every node settles at once. */
export function applyWaves(g: CompiledGraph): string[][] {
  return staticWaves(g);
}

export function formatGraph(g: CompiledGraph, format: GraphFormat): string {
  switch (format) {
    case 'dot':
      return dotOf(g);
    case 'mermaid':
      return mermaidOf(g);
    case 'json':
      return JSON.stringify(jsonOf(g), null, 2) + '\n';
    default:
      return textOf(g);
  }
}

function nodeList(g: CompiledGraph): CompiledNode[] {
  return g.topologicalOrder.flatMap((id) => g.nodesById.get(id) ?? []);
}

function textOf(g: CompiledGraph): string {
  const nodes = nodeList(g);
  const width = Math.max(...nodes.map((n) => n.id.length), 2);
  const out = [
    `${g.instance.kind} (${g.instance.apiVersion}, ${g.instance.plural}, ${g.instance.scope})`,
    '',
    'nodes:',
  ];
  for (const n of nodes) {
    const extras = [
      n.type === 'resource' ? '' : n.type,
      n.includeWhen.length > 0 ? 'conditional' : '',
      n.forEach.length > 0 ? `forEach ${n.forEach.map((d) => d.name).join(', ')}` : '',
    ].filter((s) => s !== '');
    const deps = n.dependencies.length > 0 ? ` <- ${n.dependencies.join(', ')}` : '';
    out.push(
      `  ${n.id.padEnd(width)}  ${n.apiVersion} ${n.kind}${extras.length ? ` [${extras.join('; ')}]` : ''}${deps}`,
    );
    for (const c of n.includeWhen)
      out.push(`  ${' '.repeat(width)}    includeWhen: \${${c.expression.expression}}`);
    for (const c of n.readyWhen)
      out.push(`  ${' '.repeat(width)}    readyWhen: \${${c.expression.expression}}`);
  }
  out.push('', 'edges:');
  const edges = edgesOf(g);
  if (edges.length === 0) out.push('  (none)');
  for (const e of edges) out.push(`  ${e.from} -> ${e.to}`);
  out.push('', `topological order: ${g.topologicalOrder.join(', ')}`, '', 'apply waves:');
  applyWaves(g).forEach((layer, i) => out.push(`  ${i + 1}: ${layer.join(', ')}`));
  return out.join('\n') + '\n';
}

function dotOf(g: CompiledGraph): string {
  const q = (s: string): string => JSON.stringify(s);
  const out = [`digraph ${q(g.instance.kind)} {`, '  rankdir=LR;', '  node [shape=box];'];
  applyWaves(g).forEach((layer, i) => {
    out.push(`  subgraph ${q(`cluster_wave_${i + 1}`)} {`, `    label=${q(`wave ${i + 1}`)};`);
    for (const id of layer) {
      const n = g.nodesById.get(id);
      const style = n && n.includeWhen.length > 0 ? ', style=dashed' : '';
      out.push(`    ${q(id)} [label=${q(`${id}\\n${n?.kind ?? ''}`)}${style}];`);
    }
    out.push('  }');
  });
  for (const e of edgesOf(g)) out.push(`  ${q(e.from)} -> ${q(e.to)};`);
  out.push('}');
  return out.join('\n') + '\n';
}

function mermaidOf(g: CompiledGraph): string {
  const out = ['flowchart LR'];
  for (const n of nodeList(g)) {
    const label = `${n.id}<br/>${n.kind}`;
    out.push(n.includeWhen.length > 0 ? `  ${n.id}{{"${label}"}}` : `  ${n.id}["${label}"]`);
  }
  for (const e of edgesOf(g)) out.push(`  ${e.from} --> ${e.to}`);
  return out.join('\n') + '\n';
}

function jsonOf(g: CompiledGraph): unknown {
  return {
    instance: g.instance,
    nodes: nodeList(g).map((n) => ({
      id: n.id,
      type: n.type,
      apiVersion: n.apiVersion,
      kind: n.kind,
      namespaced: n.namespaced,
      dependencies: n.dependencies,
      dependents: n.dependents,
      applyOrder: n.applyOrder,
      includeWhen: n.includeWhen.map((c) => c.expression.expression),
      readyWhen: n.readyWhen.map((c) => c.expression.expression),
      forEach: n.forEach.map((d) => ({ name: d.name, expression: d.expression.expression })),
    })),
    edges: edgesOf(g),
    topologicalOrder: g.topologicalOrder,
    applyWaves: applyWaves(g),
  };
}
