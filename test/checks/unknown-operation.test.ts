import { describe, expect, it } from 'vitest';
import { unknownOperation } from '../../src/validate/checks/unknown-operation.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [unknownOperation] };

describe('unknown-operation', () => {
  it('reports unknown and multi-key operations in expression positions, with a suggestion', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: ops
steps:
  - id: big
    when: { gt: [ { var: input.amount }, 100 ] }
    call: core.echo
  - id: route
    switch:
      - when: { "==": [ { var: input.kind }, a ], "!=": [ 1, 2 ] }
        steps:
          - id: a
            call: core.echo
  - id: total
    set:
      sum: { "+": [ { var: input.a }, { vra: input.b } ] }
  - id: odd
    while: { isOdd: { var: n } }
    steps:
      - id: inc
        set: { n: 1 }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['5:13 error unknown-operation', '9:15 error unknown-operation', '15:41 error unknown-operation', '17:14 error unknown-operation']);
    expect(diagnostics[0]!.message).toBe('`gt` in `when` of step `big` is not a JSON Logic operation; did you mean `>`?');
    expect(diagnostics[1]!.message).toBe(
      '`switch[0].when` of step `route` must be a JSON Logic expression, an object with exactly one key naming the operation (e.g. `{ "==": [ { var: x }, 1 ] }`), ' +
        'but it has 2 keys (`==`, `!=`); to use a fixed object write `{ $literal: … }`',
    );
    expect(diagnostics[2]!.message).toBe('`vra` in `set.sum` of step `total` is not a JSON Logic operation; did you mean `var`?');
    expect(diagnostics[3]!.message).toBe(
      '`isOdd` in `while` of step `odd` is not a JSON Logic operation; see https://jsonlogic.com/operations.html for the operations available',
    );
  });

  it('refuses impure operations anywhere, templates included', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: ops
output:
  now: { method: [ { var: clock }, now ] }
steps:
  - id: a
    call: core.echo
    with: { x: { log: { var: input } } }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['4:10 error unknown-operation', '8:18 error unknown-operation']);
    expect(diagnostics[0]!.message).toBe(
      'operation `method` in `output` is not allowed: expressions are pure and deterministic (no host method calls, no logging); compute the value in an activity instead',
    );
  });

  it('warns about a template object that looks like a misspelt operation', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: ops
steps:
  - id: a
    call: core.echo
    with: { amount: { vra: input.amount }, one: { id: 5 }, raw: { $litteral: { gt: 1 } } }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['6:23 warning unknown-operation', '6:67 warning unknown-operation']);
    expect(diagnostics[1]!.message).toContain('`$litteral` in `with` of step `a` is not a JSON Logic operation, so this object is passed on as data; did you mean `$literal`?');
    expect(diagnostics[0]!.message).toBe(
      '`vra` in `with` of step `a` is not a JSON Logic operation, so this object is passed on as data; did you mean `var`? (to pass such an object on as data on purpose, write `{ $literal: … }`)',
    );
  });

  it('accepts known operations, data objects in templates and $literal', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: ops
queries:
  progress: { cat: [ { var: done }, " of ", { var: total } ] }
steps:
  - id: a
    when: { and: [ { ">": [ { var: input.amount }, 0 ] }, { "!": { var: input.skip } } ] }
    call: core.echo
    with:
      order: { id: { var: input.id }, note: fixed }
      raw: { $literal: { gt: 1 } }
  - id: each
    foreach: { filter: [ { var: input.items }, { ">=": [ { var: qty }, 1 ] } ] }
    steps:
      - id: nap
        sleep: { if: [ { var: item.slow }, 10s, 1s ] }
`,
    }, check);
    expect(positions(diagnostics)).toEqual([]);
  });
});
