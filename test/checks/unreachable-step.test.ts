import { describe, expect, it } from 'vitest';
import { unreachableStep } from '../../src/validate/checks/unreachable-step.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [unreachableStep] };
const validate = (text: string) => validateSources({ 'wf.yaml': text }, check);

describe('unreachable-step', () => {
  it('warns at the first step after a return or a fail', async () => {
    const diagnostics = await validate(`revo: 1
name: early
steps:
  - id: done
    return: { ok: true }
  - id: lost
    call: core.echo
  - id: lost2
    call: core.echo
  - id: checks
    try:
      - { id: boom, fail: { type: Boom, message: no } }
      - { id: never, call: core.echo }
    catch:
      - steps: [{ id: handled, call: core.echo }]
`);
    expect(positions(diagnostics)).toEqual(['6:5 warning unreachable-step']);
    expect(diagnostics[0]!.message).toBe(
      'step `lost` (and the 2 steps after it) can never run: step `done` (line 4) before it returns; remove the unreachable steps or move them before step `done`',
    );
  });

  it('warns in nested sequences, and after steps that end the run on every path', async () => {
    const diagnostics = await validate(`revo: 1
name: nested
steps:
  - id: guarded
    try:
      - { id: boom, fail: { type: Boom } }
      - { id: never, call: core.echo }
    catch:
      - steps: [{ id: handled, call: core.echo }]
  - id: route
    switch:
      - when: { var: input.a }
        steps: [{ id: ra, return: 1 }]
    default:
      - { id: rb, fail: { type: NoRoute } }
  - { id: after, call: core.echo }
`);
    expect(positions(diagnostics)).toEqual(['7:9 warning unreachable-step', '16:5 warning unreachable-step']);
    expect(diagnostics[0]!.message).toBe(
      'step `never` can never run: step `boom` (line 6) before it always fails with `Boom`; remove the unreachable steps or move them before step `boom`',
    );
    expect(diagnostics[1]!.message).toBe(
      'step `after` can never run: step `route` (line 10) before it ends the run in every case, `default` included; remove the unreachable steps or move them before step `route`',
    );
  });

  it('knows try/finally and parallel branches that always end the run', async () => {
    const diagnostics = await validate(`revo: 1
name: ending
steps:
  - id: t
    try:
      - { id: work, call: core.echo }
    finally:
      - { id: stop, fail: { type: Stop } }
  - { id: a, call: core.echo }
`);
    expect(positions(diagnostics)).toEqual(['9:5 warning unreachable-step']);
    expect(diagnostics[0]!.message).toContain('step `t` (line 4) before it always ends the run in its `finally`');

    const parallel = await validate(`revo: 1
name: ending
steps:
  - id: p
    parallel:
      - { id: one, steps: [{ id: fine, call: core.echo }] }
      - { id: two, steps: [{ id: bad, fail: { type: Bad } }] }
  - { id: a, call: core.echo }
`);
    expect(positions(parallel)).toEqual(['8:5 warning unreachable-step']);
    expect(parallel[0]!.message).toContain('step `p` (line 4) before it always fails in branch `two`');
  });

  it('passes when termination is not certain', async () => {
    const diagnostics = await validate(`revo: 1
name: maybe
steps:
  - { id: skip, when: { var: input.stop }, return: 0 }
  - id: route
    switch:
      - when: { var: input.a }
        steps: [{ id: ra, return: 1 }]
  - id: partly
    switch:
      - when: { var: input.a }
        steps: [{ id: rb, return: 1 }]
    default:
      - { id: rc, call: core.echo }
  - id: loop
    while: { var: input.again }
    steps: [{ id: lf, fail: { type: Again } }]
  - id: each
    foreach: { var: input.items }
    steps: [{ id: ef, fail: { type: Item } }]
  - id: caught
    try:
      - { id: tf, fail: { type: Caught } }
    catch:
      - steps: [{ id: recover, call: core.echo }]
  - { id: last, return: 2 }
`);
    expect(positions(diagnostics)).toEqual([]);
  });
});
