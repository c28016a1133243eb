import { describe, expect, it } from 'vitest';
import { childWorkflow } from '../../src/validate/checks/child-workflow.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [childWorkflow] };

describe('child-workflow', () => {
  it('reports references that resolve to no file of the set, with a suggestion', async () => {
    const diagnostics = await validateSources({
      'order.yaml': `revo: 1
name: order
steps:
  - { id: ship, child: { workflow: shiping } }
  - { id: bill, child: { workflow: ./biling.yaml } }
  - { id: other, child: { workflow: nowhere } }
`,
      'shipping.yaml': `revo: 1
name: shipping
steps:
  - { id: book, call: core.echo }
`,
      'billing.yaml': `revo: 1
name: billing
steps:
  - { id: charge, call: core.echo }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['4:36 error child-workflow', '5:36 error child-workflow', '6:37 error child-workflow']);
    expect(diagnostics.map((d) => d.file)).toEqual(['order.yaml', 'order.yaml', 'order.yaml']);
    expect(diagnostics[0]!.message).toBe(
      'step `ship`: child workflow `shiping` is not the name of any workflow being validated; did you mean `shipping`? ' +
        'If not, pass its file to `revo validate` too, or reference it by path (`./shiping.yaml`)',
    );
    expect(diagnostics[1]!.message).toBe(
      "step `bill`: child workflow file `./biling.yaml` is not among the files being validated (paths are relative to this file's directory); did you mean `./billing.yaml`?",
    );
    expect(diagnostics[2]!.message).toBe(
      'step `other`: child workflow `nowhere` is not the name of any workflow being validated; pass its file to `revo validate` too, or reference it by path (`./nowhere.yaml`)',
    );
  });

  it('reports an unconditional cycle across files, in each file, naming the cycle', async () => {
    const diagnostics = await validateSources({
      'a.yaml': `revo: 1
name: alpha
steps:
  - { id: first, call: core.echo }
  - id: fan
    parallel:
      - id: only
        steps:
          - { id: toBeta, child: { workflow: beta } }
`,
      'b.yaml': `revo: 1
name: beta
steps:
  - id: safe
    try:
      - { id: back, child: { workflow: ./a.yaml, wait: false }, result: started }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['9:46 error child-workflow', '6:40 error child-workflow']);
    expect(diagnostics.map((d) => d.file)).toEqual(['a.yaml', 'b.yaml']);
    expect(diagnostics[0]!.message).toBe(
      'step `toBeta` starts an endless recursion of child workflows: alpha → beta → alpha; every child step on this cycle runs on every run of its workflow, ' +
        'so each run starts another and the chain never ends — guard one of these steps with `when` or a `switch` case, or end the run with `return` before it when there is nothing left to do',
    );
    expect(diagnostics[1]!.message).toContain('step `back` starts an endless recursion of child workflows: beta → alpha → beta;');
  });

  it('reports a workflow that always starts itself', async () => {
    const diagnostics = await validateSources({
      'loop.yaml': `revo: 1
name: forever
steps:
  - { id: again, child: { workflow: forever } }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['4:37 error child-workflow']);
    expect(diagnostics[0]!.message).toContain('step `again` starts an endless recursion of child workflows: forever → forever; every child step on this cycle runs on every run, so');
  });

  it('passes recursion with a base case, and cycles broken by a condition', async () => {
    const diagnostics = await validateSources({
      'countdown.yaml': `revo: 1
name: countdown
steps:
  - id: base
    switch:
      - when: { "<=": [{ var: input.n }, 0] }
        steps: [{ id: done, return: 0 }]
  - { id: again, child: { workflow: countdown, input: { n: { "-": [{ var: input.n }, 1] } } } }
`,
      'ping.yaml': `revo: 1
name: ping
steps:
  - { id: toPong, child: { workflow: pong } }
`,
      'pong.yaml': `revo: 1
name: pong
steps:
  - { id: toPing, when: { var: input.more }, child: { workflow: ping } }
  - id: loop
    while: { var: input.more }
    maxIterations: 2
    steps: [{ id: inLoop, child: { workflow: ping } }]
`,
    }, check);
    expect(positions(diagnostics)).toEqual([]);
  });
});
