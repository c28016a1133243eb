/**
 * The graph as a Mermaid flowchart, for GitHub (a ```mermaid block in Markdown renders
 * it) and any other Mermaid viewer. Every label is a quoted string with the characters
 * Mermaid would read as syntax or HTML written as entity codes, so no step id, name or
 * expression can break the chart.
 */
import type { EdgeKind, Graph, NodeKind } from './model.js';
import { writeNested } from './model.js';

/** Opening and closing brackets of each node's shape. */
const SHAPES: Record<NodeKind, readonly [string, string]> = {
  start: ['([', '])'],
  end: ['([', '])'],
  return: ['([', '])'],
  call: ['[', ']'],
  set: ['[/', '/]'],
  switch: ['{', '}'],
  parallel: ['[/', '\\]'],
  join: ['[\\', '/]'],
  foreach: ['{{', '}}'],
  while: ['{{', '}}'],
  sleep: ['(', ')'],
  wait: ['>', ']'],
  child: ['[[', ']]'],
  try: ['[\\', '\\]'],
  fail: ['[', ']'],
};

const ARROWS: Record<EdgeKind, string> = { flow: '-->', loop: '-->', skip: '-.->', error: '-.->', compensate: '-.->' };

/** Edge colours (by `linkStyle`), so that error and compensation paths stand out. */
const EDGE_COLORS: Partial<Record<EdgeKind, string>> = { error: '#c62828', compensate: '#ef6c00', skip: '#757575' };

/** Node classes: colours with an explicit text colour, readable in GitHub's light and dark themes. */
const CLASSES: Partial<Record<NodeKind, { name: string; style: string }>> = {
  start: { name: 'terminal', style: 'fill:#e0e0e0,stroke:#424242,color:#000' },
  end: { name: 'terminal', style: 'fill:#e0e0e0,stroke:#424242,color:#000' },
  return: { name: 'terminal', style: 'fill:#e0e0e0,stroke:#424242,color:#000' },
  fail: { name: 'failure', style: 'fill:#fde0e0,stroke:#c62828,color:#000' },
  child: { name: 'child', style: 'fill:#e3f2fd,stroke:#1565c0,color:#000' },
};

// Numeric codes: Mermaid (11.x) leaves named ones (`#quot;`) undecoded in labels with a `<br/>`.
const ENTITIES: Record<string, string> = { '"': '#34;', '#': '#35;', '&': '#38;', '<': '#60;', '>': '#62;', '`': '#96;' };

/** A label as the inside of a Mermaid string: entity codes for syntax characters, `<br/>` between lines. */
export function mermaidLabel(lines: readonly string[]): string {
  return lines.map((line) => line.replace(/[\x00-\x1f\x7f]/g, ' ').replace(/["#&<>`]/g, (c) => ENTITIES[c]!)).join('<br/>');
}

export function renderMermaid(graph: Graph): string {
  const indent = (depth: number) => '  '.repeat(depth + 1);
  const declarations = writeNested(graph, {
    node: (node, depth) => {
      const [open, close] = SHAPES[node.kind];
      return [`${indent(depth)}${node.id}${open}"${mermaidLabel(node.lines)}"${close}`];
    },
    enter: (cluster, depth) => [`${indent(depth)}subgraph ${cluster.id}["${mermaidLabel([cluster.label])}"]`],
    leave: (_cluster, depth) => [`${indent(depth)}end`],
  });
  const edges = graph.edges.map((edge) => {
    const label = edge.label !== undefined ? `|"${mermaidLabel([edge.label])}"|` : '';
    return `  ${edge.from} ${ARROWS[edge.kind]}${label} ${edge.to}`;
  });
  return [`flowchart TD`, ...declarations, ...edges, ...classLines(graph), ...linkStyleLines(graph)].join('\n') + '\n';
}

function classLines(graph: Graph): string[] {
  const members = new Map<string, { style: string; ids: string[] }>();
  for (const node of graph.nodes) {
    const cls = CLASSES[node.kind];
    if (!cls) continue;
    const entry = members.get(cls.name) ?? { style: cls.style, ids: [] };
    entry.ids.push(node.id);
    members.set(cls.name, entry);
  }
  return [...members].flatMap(([name, { style, ids }]) => [`  classDef ${name} ${style}`, `  class ${ids.join(',')} ${name}`]);
}

/** `linkStyle` addresses edges by their position in the chart, which is their position in `graph.edges`. */
function linkStyleLines(graph: Graph): string[] {
  const byColor = new Map<string, number[]>();
  graph.edges.forEach((edge, index) => {
    const color = EDGE_COLORS[edge.kind];
    if (color !== undefined) byColor.set(color, [...(byColor.get(color) ?? []), index]);
  });
  return [...byColor].map(([color, indexes]) => `  linkStyle ${indexes.join(',')} stroke:${color}`);
}
