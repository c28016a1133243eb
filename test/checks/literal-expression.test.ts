import { describe, expect, it } from 'vitest';
import { literalExpression } from '../../src/validate/checks/literal-expression.js';
import { positions, validateSources } from '../helpers.js';

describe('literal-expression', () => {
  it('reports a string foreach and warns about string conditions', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: literal
steps:
  - id: each
    foreach: input.items
    steps:
      - id: note
        when: item.enabled
        call: core.echo
  - id: loop
    while: "keep going"
    maxIterations: 3
    steps:
      - id: tick
        set: { n: 1 }
`,
    }, { checks: [literalExpression] });
    expect(positions(diagnostics)).toEqual(['5:14 error literal-expression', '8:15 warning literal-expression', '11:12 warning literal-expression']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      '`foreach` of step `each` is the string `input.items`, not an array, so there is nothing to iterate over; to read the variable write `{ var: input.items }`',
      '`when` of step `note` is the string `item.enabled`, which is always true (the step would always run); to read the variable write `{ var: item.enabled }`',
      '`while` of step `loop` is the string `keep going`, which is always true (the loop would run until `maxIterations`); write a JSON Logic expression such as `{ "==": [ { var: x }, 1 ] }`',
    ]);
  });

  it('accepts expressions, literal arrays and deliberate booleans', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: literal
steps:
  - id: each
    foreach: [a, b]
    steps:
      - id: note
        when: { var: item }
        call: core.echo
  - id: loop
    while: true
    maxIterations: 3
    steps:
      - id: tick
        when: false
        set: { n: 1 }
`,
    }, { checks: [literalExpression] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
