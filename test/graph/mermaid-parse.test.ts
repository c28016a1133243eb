// @vitest-environment jsdom
// Mermaid sanitizes labels with DOMPurify, which needs a DOM: jsdom provides one.
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/graph/build.js';
import { renderMermaid } from '../../src/graph/mermaid.js';
import { chartedFiles, definitionOf } from './helpers.js';

type Mermaid = (typeof import('mermaid'))['default'];
let mermaid: Mermaid;

beforeAll(async () => {
  mermaid = (await import('mermaid')).default;
});

describe('Mermaid output, checked by Mermaid’s own parser', () => {
  it.each(chartedFiles().map((path) => [basename(path), path]))('%s parses as a flowchart', async (_name, path) => {
    const chart = renderMermaid(buildGraph(await definitionOf(path)));
    await expect(mermaid.parse(chart)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
  });

  it('rejects a broken chart, so the checks above can fail', async () => {
    await expect(mermaid.parse('flowchart TD\n  n0["an "unescaped" quote"] --> n1\n')).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse('flowchart TD\n  end --> n1\n')).rejects.toThrow();
  });
});
