/**
 * The graph in Graphviz DOT (`revo graph --format dot | dot -Tsvg > flow.svg`).
 * Node and cluster labels are DOT strings with `\` and `"` escaped, so any step id,
 * name or expression stays inside its label.
 */
import type { EdgeKind, Graph, NodeKind } from './model.js';
import { writeNested } from './model.js';

/** Graphviz attributes of each kind of node. */
const NODE_ATTRIBUTES: Record<NodeKind, string> = {
  start: 'shape=oval, style=filled, fillcolor="#e0e0e0"',
  end: 'shape=oval, style=filled, fillcolor="#e0e0e0"',
  return: 'shape=oval, style=filled, fillcolor="#e0e0e0"',
  call: 'shape=box',
  set: 'shape=parallelogram',
  switch: 'shape=diamond',
  parallel: 'shape=trapezium',
  join: 'shape=invtrapezium',
  foreach: 'shape=hexagon',
  while: 'shape=hexagon',
  sleep: 'shape=box, style=rounded',
  wait: 'shape=cds',
  child: 'shape=box, peripheries=2, style=filled, fillcolor="#e3f2fd"',
  try: 'shape=box, style=dashed',
  fail: 'shape=octagon, style=filled, fillcolor="#fde0e0", color="#c62828"',
};

const EDGE_ATTRIBUTES: Record<EdgeKind, string> = {
  flow: '',
  loop: '',
  skip: 'style=dotted, color="#757575"',
  error: 'style=dashed, color="#c62828"',
  compensate: 'style=dashed, color="#ef6c00"',
};

/** A DOT quoted string; lines are joined with `\n` (centred lines). */
export function dotString(lines: readonly string[]): string {
  return `"${lines.map((line) => line.replace(/[\x00-\x1f\x7f]/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`)).join('\\n')}"`;
}

export function renderDot(graph: Graph): string {
  const indent = (depth: number) => '  '.repeat(depth + 1);
  const declarations = writeNested(graph, {
    node: (node, depth) => [`${indent(depth)}${node.id} [label=${dotString(node.lines)}, ${NODE_ATTRIBUTES[node.kind]}];`],
    enter: (cluster, depth) => [`${indent(depth)}subgraph cluster_${cluster.id} {`, `${indent(depth + 1)}label=${dotString([cluster.label])}; style=dashed; color="#9e9e9e";`],
    leave: (_cluster, depth) => [`${indent(depth)}}`],
  });
  const edges = graph.edges.map((edge) => {
    const attributes = [edge.label !== undefined ? `label=${dotString([edge.label])}` : '', EDGE_ATTRIBUTES[edge.kind]].filter(Boolean).join(', ');
    return `  ${edge.from} -> ${edge.to}${attributes ? ` [${attributes}]` : ''};`;
  });
  return [
    `digraph ${dotString([graph.name])} {`,
    '  graph [fontname="Helvetica", fontsize=11];',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
    ...declarations,
    ...edges,
    '}',
  ].join('\n') + '\n';
}
