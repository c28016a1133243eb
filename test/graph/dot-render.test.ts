import { basename } from 'node:path';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/graph/build.js';
import { renderDot } from '../../src/graph/dot.js';
import { chartedFiles, definitionOf } from './helpers.js';

let graphviz: Graphviz;

beforeAll(async () => {
  graphviz = await Graphviz.load();
});

describe('DOT output, rendered by Graphviz (compiled to WebAssembly)', () => {
  it.each(chartedFiles().map((path) => [basename(path), path]))('%s renders to SVG', async (_name, path) => {
    const graph = buildGraph(await definitionOf(path));
    const svg = graphviz.dot(renderDot(graph));
    expect(svg).toMatch(/<svg[\s>]/);
    // Everything is drawn: one SVG group per node, edge and cluster.
    expect(svg.match(/class="node"/g)).toHaveLength(graph.nodes.length);
    expect(svg.match(/class="edge"/g)).toHaveLength(graph.edges.length);
    expect(svg.match(/class="cluster"/g) ?? []).toHaveLength(graph.clusters.length);
  });

  it('keeps quotes, backslashes and brackets inside labels', () => {
    const svg = graphviz.dot(renderDot({ name: 'g', nodes: [{ id: 'n0', kind: 'call', lines: ['say "hi" \\N [x] {y} <z>'] }], edges: [], clusters: [] }));
    expect(svg).toContain('say &quot;hi&quot; \\N [x] {y} &lt;z&gt;');
  });

  it('rejects broken DOT, so the checks above can fail', () => {
    expect(() => graphviz.dot('digraph { n0 [label="unclosed] }')).toThrow(/syntax error/);
  });
});
