/**
 * The definition's graph for the run page: `revo graph --format dot`, drawn by Graphviz
 * (compiled to WebAssembly, so nothing to install) into an SVG. The page shows it in an
 * `<img>`, where an SVG can run no script whatever its labels say. One drawing per
 * definition hash, kept for the life of the server.
 */
import type { WorkflowDefinition } from '../../interpreter/model.js';
import { buildGraph } from '../graph/build.js';
import { renderDot } from '../graph/dot.js';

const drawn = new Map<string, Promise<string>>();
let graphviz: Promise<{ dot(source: string): string }> | undefined;

export function graphSvg(hash: string, definition: WorkflowDefinition): Promise<string> {
  let svg = drawn.get(hash);
  if (!svg) {
    graphviz ??= import('@hpcc-js/wasm-graphviz').then(({ Graphviz }) => Graphviz.load());
    svg = graphviz.then((g) => g.dot(renderDot(buildGraph(definition))));
    svg.catch(() => drawn.delete(hash));
    drawn.set(hash, svg);
  }
  return svg;
}
