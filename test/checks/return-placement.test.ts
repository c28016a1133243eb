import { describe, expect, it } from 'vitest';
import { returnPlacement } from '../../src/validate/checks/return-placement.js';
import { positions, validateSources } from '../helpers.js';

describe('return-placement', () => {
  it('reports return inside parallel and foreach', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: early
steps:
  - id: both
    parallel:
      - id: left
        steps:
          - id: out
            return: { var: x }
  - id: each
    foreach: { var: input.items }
    steps:
      - id: stop
        switch:
          - when: { var: item }
            steps:
              - id: done
                return: 1
`,
    }, { checks: [returnPlacement] });
    expect(positions(diagnostics)).toEqual(['9:13 error return-placement', '18:17 error return-placement']);
    expect(diagnostics[0]!.message).toBe(
      'step `out`: `return` is not allowed inside a `parallel` branch of step `both`, which runs concurrently or per item; assign the value to a variable (or use `collect`) and return after step `both`',
    );
    expect(diagnostics[1]!.message).toContain('the `foreach` body of step `each`');
  });

  it('accepts return in sequences, switch, try and while', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: early
steps:
  - id: check
    switch:
      - when: { var: input.skip }
        steps:
          - id: skip
            return: skipped
  - id: loop
    while: true
    maxIterations: 3
    steps:
      - id: out
        return: 1
`,
    }, { checks: [returnPlacement] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
