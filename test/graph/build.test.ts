import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/graph/build.js';
import { expressionText } from '../../src/graph/expression-text.js';
import { mermaidLabel, renderMermaid } from '../../src/graph/mermaid.js';
import { dotString } from '../../src/graph/dot.js';
import type { Graph } from '../../src/graph/model.js';
import { definitionFromYaml } from './helpers.js';

/** The edges of a graph as `from -> to [kind label]`, nodes named by step id (or their kind). */
function edges(graph: Graph): string[] {
  const name = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id)!;
    return node.stepId ?? node.kind;
  };
  return graph.edges.map((e) => `${name(e.from)} -> ${name(e.to)}${e.kind === 'flow' ? '' : ` [${e.kind}]`}${e.label !== undefined ? ` "${e.label}"` : ''}`);
}

function nodeOf(graph: Graph, stepId: string) {
  return graph.nodes.find((n) => n.stepId === stepId)!;
}

const SMALL = `revo: 1
name: small
steps:
  - id: charge
    call: payments.charge
    result: payment
    compensate:
      - { id: refund, call: payments.refund }
  - id: route
    switch:
      - when: { ">": [{ var: payment.amount }, 100] }
        steps:
          - { id: review, call: core.log, with: { message: big } }
    default:
      - { id: small, set: { size: small } }
  - id: notify
    when: { var: input.notify }
    call: core.log
    with: { message: hi }
`;

describe('buildGraph', () => {
  it('draws steps in order, cases with their conditions, compensations and skips', () => {
    const graph = buildGraph(definitionFromYaml(SMALL));
    expect(nodeOf(graph, 'charge')).toMatchObject({ kind: 'call', lines: ['charge', 'call payments.charge'] });
    expect(nodeOf(graph, 'notify').lines).toEqual(['notify', 'call core.log', 'when input.notify']);
    expect(edges(graph)).toEqual([
      'start -> charge',
      'charge -> refund [compensate] "on failure"',
      'charge -> route',
      'route -> review "payment.amount > 100"',
      'route -> small "default"',
      'review -> notify',
      'small -> notify',
      'notify -> end',
      'notify -> end [skip] "skip"',
    ]);
    expect(graph.clusters).toEqual([{ id: 'c0', role: 'compensate', label: 'compensation of charge' }]);
    expect(nodeOf(graph, 'refund').cluster).toBe('c0');
  });

  it('forks and joins parallel branches, and loops back from loop bodies', () => {
    const graph = buildGraph(
      definitionFromYaml(`revo: 1
name: loops
steps:
  - id: both
    parallel:
      - { id: a, steps: [{ id: one, set: { x: 1 } }] }
      - { id: b, steps: [] }
  - id: each
    foreach: { var: input.items }
    steps: [{ id: work, call: core.echo, with: 1 }]
  - id: again
    while: { "<": [{ var: n }, 3] }
    maxIterations: 5
    steps: [{ id: inc, set: { n: 1 } }]
`),
    );
    expect(edges(graph)).toEqual([
      'start -> both',
      'both -> one',
      'one -> join',
      'both -> join',
      'join -> each',
      'each -> work "each item"',
      'work -> each [loop] "next"',
      'each -> again "done"',
      'again -> inc "true"',
      'inc -> again [loop] "next"',
      'again -> end "done"',
    ]);
    expect(nodeOf(graph, 'again').lines).toEqual(['again', 'while n < 3', 'at most 5 times']);
    // An empty branch draws no cluster.
    expect(graph.clusters.map((c) => c.label)).toEqual(['branch a', 'for each item', 'loop body']);
  });

  it('leads catch clauses from the try, everything into finally, and ends the run at return and fail', () => {
    const graph = buildGraph(
      definitionFromYaml(`revo: 1
name: errors
steps:
  - id: guarded
    try: [{ id: risky, call: core.echo, with: 1 }]
    catch:
      - { errors: [Timeout, Transient], steps: [{ id: retryLater, set: { later: true } }] }
      - { steps: [{ id: giveUp, fail: { type: GaveUp } }] }
    finally: [{ id: cleanup, call: core.log, with: { message: done } }]
  - id: done
    return: { ok: true }
`),
    );
    expect(edges(graph)).toEqual([
      'start -> guarded',
      'guarded -> risky',
      'guarded -> retryLater [error] "on Timeout, Transient"',
      'guarded -> giveUp [error] "on any error"',
      'risky -> cleanup',
      'retryLater -> cleanup',
      'cleanup -> done',
      'done -> end',
    ]);
    expect(nodeOf(graph, 'giveUp').lines).toEqual(['giveUp', 'fail GaveUp']);
  });

  it('labels waits, sleeps and child workflows with what they wait for and start', () => {
    const graph = buildGraph(
      definitionFromYaml(`revo: 1
name: waits
signals: { approve: {} }
steps:
  - { id: gate, wait: { signal: approve, timeout: 3d } }
  - { id: nap, sleep: 1h }
  - { id: ship, child: { workflow: ./shipping.yaml, wait: false } }
`),
    );
    expect(graph.nodes.filter((n) => n.stepId).map((n) => [n.kind, ...n.lines])).toEqual([
      ['wait', 'gate', 'wait for signal approve', 'timeout 3d'],
      ['sleep', 'nap', 'sleep 1h'],
      ['child', 'ship', 'child workflow ./shipping.yaml', 'no wait'],
    ]);
  });
});

describe('labels', () => {
  it('writes expressions as short infix text', () => {
    expect(expressionText({ and: [{ '>': [{ var: 'a' }, 1] }, { '!': { var: 'b' } }] })).toBe('(a > 1) and not b');
    expect(expressionText({ var: ['input.size', 10] })).toBe('input.size ?? 10');
    expect(expressionText({ in: ['x', { var: 'tags' }] })).toBe("'x' in tags");
    expect(expressionText({ '==': [{ var: 'name' }, "it's"] })).toBe("name == 'it\\'s'");
    expect(expressionText({ cat: ['a', { var: 'b' }] })).toBe("cat('a', b)");
    expect(expressionText({ '-': [{ var: 'n' }] })).toBe('-(n)');
    expect(expressionText({ '==': [{ var: 'a' }, 'x'.repeat(100)] }).length).toBe(48);
  });

  it('escapes what Mermaid would read as syntax or HTML', () => {
    expect(mermaidLabel(['say "hi" #1 <b> & `x`', 'line 2'])).toBe('say #34;hi#34; #35;1 #60;b#62; #38; #96;x#96;<br/>line 2');
  });

  it('escapes quotes and backslashes in DOT strings', () => {
    expect(dotString(['a "b" \\c', 'd'])).toBe('"a \\"b\\" \\\\c\\nd"');
  });

  it('never uses a step id as a Mermaid node id', () => {
    const chart = renderMermaid(buildGraph(definitionFromYaml('revo: 1\nname: k\nsteps:\n  - { id: end, set: { a: 1 } }\n')));
    expect(chart).not.toMatch(/^\s*end[[(/{>]/m);
    expect(chart).toContain('n2[/"end<br/>set a"/]');
  });
});
