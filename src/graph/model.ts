/**
 * A workflow as a flowchart: plain nodes, edges and clusters, with no notion of any
 * output syntax. build.ts makes it from a definition; mermaid.ts and dot.ts draw it.
 * Kinds are semantic ("a parallel fork", "a compensation edge") so that each renderer
 * chooses its own shapes and line styles.
 */
import type { StepKind } from '../../interpreter/model.js';
import type { Role } from '../../interpreter/walk.js';

/** What a node stands for: a step (by its kind), the start or end of the run, or the join after parallel branches. */
export type NodeKind = StepKind | 'start' | 'end' | 'join';

export interface GraphNode {
  /** A safe identifier in every output syntax: `n` and a number. */
  id: string;
  kind: NodeKind;
  /** The label, one entry per line, as plain text (renderers escape it). */
  lines: string[];
  /** The step this node draws, when it draws one. */
  stepId?: string;
  /** The innermost cluster the node is drawn in. */
  cluster?: string;
}

/**
 * - `flow`: control passes along it;
 * - `skip`: taken when the step's `when` is falsy;
 * - `loop`: back from the end of a loop body to the loop;
 * - `error`: into a `catch` clause;
 * - `compensate`: from a call to the steps that undo it.
 */
export type EdgeKind = 'flow' | 'skip' | 'loop' | 'error' | 'compensate';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
}

/** A box around the steps of one nested sequence (a parallel branch, a loop body, a catch clause…). */
export interface GraphCluster {
  /** A safe identifier: `c` and a number. */
  id: string;
  role: Role;
  label: string;
  /** The enclosing cluster, if any. */
  parent?: string;
}

export interface Graph {
  /** The workflow's name. */
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

/** How a renderer writes one node and the start and end of one cluster, at a nesting depth (0 = top level). */
export interface NestedWriter {
  node(node: GraphNode, depth: number): string[];
  enter(cluster: GraphCluster, depth: number): string[];
  leave(cluster: GraphCluster, depth: number): string[];
}

/**
 * The lines declaring every node, each inside the blocks of its clusters, nested as
 * the clusters are. Both output syntaxes declare a cluster's members inside its block.
 */
export function writeNested(graph: Graph, writer: NestedWriter): string[] {
  const nodesIn = groupBy(graph.nodes, (n) => n.cluster);
  const clustersIn = groupBy(graph.clusters, (c) => c.parent);
  const write = (container: string | undefined, depth: number): string[] => [
    ...(nodesIn.get(container) ?? []).flatMap((node) => writer.node(node, depth)),
    ...(clustersIn.get(container) ?? []).flatMap((cluster) => [
      ...writer.enter(cluster, depth),
      ...write(cluster.id, depth + 1),
      ...writer.leave(cluster, depth),
    ]),
  ];
  return write(undefined, 0);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string | undefined, T[]> {
  const groups = new Map<string | undefined, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
