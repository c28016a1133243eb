import { describe, expect, it } from 'vitest';
import { parallelConflict } from '../../src/validate/checks/parallel-conflict.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [parallelConflict] };
const validate = (text: string) => validateSources({ 'wf.yaml': text }, check);

describe('parallel-conflict', () => {
  it('reports every later branch that may write a variable an earlier branch writes', async () => {
    const diagnostics = await validate(`revo: 1
name: fanout
steps:
  - id: both
    parallel:
      - id: left
        steps:
          - { id: l, set: { a: 1, c: 2 } }
      - id: right
        steps:
          - id: deep
            when: { var: input.x }
            try:
              - { id: r, call: core.echo, with: 1, result: a }
      - id: third
        steps:
          - id: t
            set:
              a: 3
`);
    expect(positions(diagnostics)).toEqual(['14:60 error parallel-conflict', '19:15 error parallel-conflict']);
    expect(diagnostics[0]!.message).toBe(
      'step `r` in branch `right` of parallel step `both` may write `a`, which branch `left` also writes (step `l`, line 8); ' +
        'branches run on copies of the scope and are merged back in branch order, so one value would silently replace the other — ' +
        'give each branch its own variable and combine them after step `both`',
    );
    expect(diagnostics[1]!.message).toContain('step `t` in branch `third` of parallel step `both` may write `a`, which branch `left` also writes (step `l`, line 8)');
  });

  it('sees writes of nested parallels, reported once per parallel step', async () => {
    const diagnostics = await validate(`revo: 1
name: nested
steps:
  - id: outer
    parallel:
      - id: one
        steps:
          - id: inner
            parallel:
              - id: x
                steps: [{ id: wx, set: { v: 1 } }]
              - id: y
                steps: [{ id: wy, set: { w: 1 } }]
      - id: two
        steps: [{ id: w2, call: core.echo, with: 2, result: w }]
`);
    expect(positions(diagnostics)).toEqual(['15:61 error parallel-conflict']);
    expect(diagnostics[0]!.message).toContain('step `w2` in branch `two` of parallel step `outer` may write `w`, which branch `one` also writes (step `wy`, line 13)');
  });

  it('passes branches that write distinct variables, or only inside foreach bodies and compensations', async () => {
    const diagnostics = await validate(`revo: 1
name: distinct
steps:
  - id: both
    parallel:
      - id: left
        steps:
          - { id: l, set: { a: 1 } }
          - id: each
            foreach: [1, 2]
            steps: [{ id: tmp1, set: { scratch: 1 } }]
      - id: right
        steps:
          - { id: r, call: core.echo, with: 1, result: b, compensate: [{ id: undo, set: { a: 0 } }] }
          - id: each2
            foreach: [1, 2]
            steps: [{ id: tmp2, set: { scratch: 2 } }]
            result: c
  - { id: after, set: { a: 2 } }
`);
    expect(positions(diagnostics)).toEqual([]);
  });
});
