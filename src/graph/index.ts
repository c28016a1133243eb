import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';
import type { Graph } from './model.js';

export type GraphFormatName = 'mermaid' | 'dot';

export const GRAPH_FORMATS: Record<GraphFormatName, (graph: Graph) => string> = { mermaid: renderMermaid, dot: renderDot };

export { buildGraph } from './build.js';
