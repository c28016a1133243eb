import { describe, expect, it } from 'vitest';
import { duplicateId } from '../../src/validate/checks/duplicate-id.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [duplicateId] };

describe('duplicate-id', () => {
  it('reports the second use of an id, nested steps and branches included', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: dup
steps:
  - id: charge
    call: core.echo
  - id: fanout
    parallel:
      - id: left
        steps:
          - id: charge
            call: core.echo
      - id: left
        steps:
          - id: ship
            call: core.echo
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['10:17 error duplicate-id', '12:13 error duplicate-id']);
    expect(diagnostics[0]!.message).toBe(
      'step id `charge` is already used by the step at line 4; ids must be unique in the whole file (nested steps and parallel branches included) ' +
        'because history, retries and queries name steps by id — rename one of them',
    );
    expect(diagnostics[1]!.message).toContain('parallel branch id `left` is already used by the parallel branch at line 8');
  });

  it('accepts unique ids', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: unique
steps:
  - id: a
    call: core.echo
  - id: b
    try:
      - id: c
        call: core.echo
    catch:
      - steps:
          - id: d
            call: core.echo
`,
    }, check);
    expect(positions(diagnostics)).toEqual([]);
  });
});
