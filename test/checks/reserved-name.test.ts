import { describe, expect, it } from 'vitest';
import { reservedName } from '../../src/validate/checks/reserved-name.js';
import { positions, validateSources } from '../helpers.js';

describe('reserved-name', () => {
  it('reports set keys, results, foreach and catch variables that write reserved names', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: reserved
steps:
  - id: init
    set: { input: 1, total: 0 }
  - id: fetch
    call: core.echo
    result: error
  - id: each
    foreach: [1, 2]
    as: workflow
    index: i
    steps:
      - id: guarded
        try:
          - id: inner
            call: core.echo
        catch:
          - as: input
            steps:
              - id: handle
                set: { total: 1 }
`,
    }, { checks: [reservedName] });
    expect(positions(diagnostics)).toEqual([
      '5:12 error reserved-name',
      '8:13 error reserved-name',
      '11:9 error reserved-name',
      '19:17 error reserved-name',
    ]);
    expect(diagnostics[0]!.message).toBe('step `init` assigns `input` with `set`, but `input` is reserved for the workflow input; choose another variable name');
    expect(diagnostics[1]!.message).toBe('step `fetch` assigns `error` with `result`, but `error` is reserved for the error a `catch` handles; choose another variable name');
    expect(diagnostics[2]!.message).toContain('with the foreach `as`');
    expect(diagnostics[3]!.message).toContain('step `guarded` assigns `input` with a catch `as`');
  });

  it('accepts ordinary names and an explicit catch `as: error`', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: reserved
steps:
  - id: guarded
    try:
      - id: fetch
        call: core.echo
        result: answer
    catch:
      - as: error
        steps:
          - id: note
            set: { failure: { var: error.type } }
`,
    }, { checks: [reservedName] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
