import { describe, expect, it } from 'vitest';
import { undefinedVariable } from '../../src/validate/checks/undefined-variable.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [undefinedVariable] };
const validate = (text: string) => validateSources({ 'wf.yaml': text }, check);

describe('undefined-variable', () => {
  it('reports a variable no step assigns, with a suggestion', async () => {
    const diagnostics = await validate(`revo: 1
name: totals
input:
  type: object
  properties:
    amount: { type: number }
steps:
  - id: calc
    set:
      total: { "+": [1, 2] }
  - id: report
    call: core.log
    with:
      message: { cat: ["total ", { var: totl }, " of ", { var: amount.value }, { var: zzzzz }] }
      data: { var: [totl, 0] }
`);
    expect(positions(diagnostics)).toEqual([
      '14:41 error undefined-variable',
      '14:64 error undefined-variable',
      '14:87 error undefined-variable',
      '15:21 warning undefined-variable',
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'step `report` reads `totl`, but no step assigns `totl`; did you mean `total`?',
      'step `report` reads `amount.value`, but no step assigns `amount`; did you mean `input.amount`? The workflow input is read through `input`',
      "step `report` reads `zzzzz`, but no step assigns `zzzzz`; assign it with `set` or a step's `result` first (workflow input is read as `input.<field>`)",
      'step `report` reads `totl` with a default, but no step assigns `totl`, so the default is always used; did you mean `total`?',
    ]);
  });

  it('warns when the only assignment is under `when`', async () => {
    const diagnostics = await validate(`revo: 1
name: guarded
steps:
  - id: calc
    when: { var: input.big }
    set:
      total: 1
  - id: report
    call: core.echo
    with: { var: total.amount }
  - id: fallback
    call: core.echo
    with: { var: [total, 0] }
`);
    expect(positions(diagnostics)).toEqual(['10:18 warning undefined-variable']);
    expect(diagnostics[0]!.message).toBe(
      'step `report` reads `total.amount`, but `total` may be unset here: it is assigned by step `calc` (line 4), which is skipped when its `when` is false; ' +
        'assign it on every path before this point, or read it with a default: `{ var: [total.amount, <default>] }`',
    );
  });

  it('names the step inside a skipped step', async () => {
    const diagnostics = await validate(`revo: 1
name: guarded
steps:
  - id: outer
    when: { var: input.big }
    try:
      - { id: inner, call: core.echo, with: 1, result: total }
    catch:
      - steps:
          - { id: zero, set: { total: 0 } }
  - { id: report, call: core.echo, with: { var: total } }
`);
    expect(positions(diagnostics)).toEqual(['11:49 warning undefined-variable']);
    expect(diagnostics[0]!.message).toContain(
      'it is assigned by steps `inner` (line 7) and `zero` (line 10) inside step `outer` (line 4), which is skipped when its `when` is false',
    );
  });

  it('warns after a switch without default, not after one with a default', async () => {
    const diagnostics = await validate(`revo: 1
name: branches
steps:
  - id: pick
    switch:
      - when: { var: input.a }
        steps:
          - { id: a, set: { total: 1 } }
      - when: { var: input.b }
        steps:
          - { id: b, set: { total: 2, extra: 1 } }
  - { id: report, call: core.echo, with: [{ var: total }, { var: extra }] }
  - id: pick2
    switch:
      - when: { var: input.a }
        steps:
          - { id: c, set: { sure: 1 } }
      - when: { var: input.b }
        steps:
          - { id: stop, fail: { type: Stop } }
    default:
      - { id: d, set: { sure: 2 } }
  - { id: fine, call: core.echo, with: { var: sure } }
`);
    expect(positions(diagnostics)).toEqual(['12:50 warning undefined-variable', '12:66 warning undefined-variable']);
    expect(diagnostics[0]!.message).toContain(
      '`total` may be unset here: it is assigned in every case of switch `pick` (line 4), but that switch has no `default`, so nothing runs when no case matches',
    );
    expect(diagnostics[1]!.message).toContain('`extra` may be unset here: it is assigned only in some cases of switch `pick` (line 4), by step `b` (line 11)');
  });

  it('knows a while body may run zero times, and not yet on its first iteration', async () => {
    const diagnostics = await validate(`revo: 1
name: polling
steps:
  - { id: init, set: { n: 0 } }
  - id: poll
    while: { "<": [{ var: n }, 3] }
    steps:
      - { id: show, call: core.echo, with: { var: last } }
      - { id: bump, set: { n: { "+": [{ var: n }, 1] }, last: { var: n } } }
  - { id: after, call: core.echo, with: [{ var: last }, { var: n }] }
`);
    expect(positions(diagnostics)).toEqual(['8:51 warning undefined-variable', '10:49 warning undefined-variable']);
    expect(diagnostics[0]!.message).toContain(
      '`last` may be unset here: it is assigned only later in the body of while `poll` (line 5), by step `bump` (line 9), so it is unset on the first iteration',
    );
    expect(diagnostics[1]!.message).toContain(
      '`last` may be unset here: it is assigned in the body of while `poll` (line 5), by step `bump` (line 9), and that body may run zero times',
    );
  });

  it('scopes foreach `as` and `index` to the body, discards body writes and keeps `result`', async () => {
    const diagnostics = await validate(`revo: 1
name: looping
steps:
  - id: each
    foreach: { var: input.items }
    index: i
    steps:
      - { id: inner, set: { seen: { var: item.name } } }
    collect: { cat: [{ var: i }, { var: seen }] }
    result: all
  - id: out
    call: core.echo
    with: [{ var: all }, { var: seen }, { var: item }]
`);
    expect(positions(diagnostics)).toEqual(['13:33 error undefined-variable', '13:48 error undefined-variable']);
    expect(diagnostics[0]!.message).toBe(
      'step `out` reads `seen`, but `seen` is never assigned where it can be read here: it is assigned only inside the body of foreach step `each` (line 4), by step `inner` (line 8), ' +
        "and a foreach iteration's writes are discarded when it ends; keep values with `collect` and read the foreach's `result`",
    );
    expect(diagnostics[1]!.message).toBe('step `out` reads `item`, but no step assigns `item`: `item` exists only inside the body of foreach step `each` (line 4)');
  });

  it('merges parallel branches after the step, not between branches', async () => {
    const diagnostics = await validate(`revo: 1
name: fanout
steps:
  - id: both
    parallel:
      - id: left
        steps:
          - { id: l, set: { a: 1 } }
      - id: right
        steps:
          - { id: r, call: core.echo, with: { var: a }, result: b }
  - { id: out, call: core.echo, with: [{ var: a }, { var: b }] }
`);
    expect(positions(diagnostics)).toEqual(['11:52 warning undefined-variable']);
    expect(diagnostics[0]!.message).toBe(
      'step `r` reads `a`, but `a` is not assigned yet here: it is assigned by step `l` (line 8) in branch `left` of parallel step `both` (line 4); ' +
        "branches start from a copy of the scope and see each other's writes only after step `both` ends",
    );
  });

  it('scopes the catch variable to its clause and treats the try as possibly cut short', async () => {
    const diagnostics = await validate(`revo: 1
name: guarded
steps:
  - id: guarded
    try:
      - { id: charge, call: core.echo, with: 1, result: receipt }
    catch:
      - as: err
        steps:
          - { id: log, call: core.log, with: { message: { var: err.message }, data: { var: receipt } } }
      - steps:
          - { id: note, call: core.log, with: { message: { var: error.message } } }
    finally:
      - { id: tidy, call: core.echo, with: { var: receipt } }
  - { id: out, call: core.echo, with: [{ var: receipt }, { var: err }, { var: error }] }
`);
    expect(positions(diagnostics)).toEqual([
      '10:92 warning undefined-variable',
      '14:51 warning undefined-variable',
      '15:47 warning undefined-variable',
      '15:65 error undefined-variable',
      '15:79 error undefined-variable',
    ]);
    expect(diagnostics[0]!.message).toContain(
      '`receipt` may be unset here: it is assigned in the `try` of step `guarded` (line 4), by step `charge` (line 6), which may fail before assigning it',
    );
    expect(diagnostics[2]!.message).toContain(
      '`receipt` may be unset here: it is assigned in the `try` of step `guarded` (line 4), by step `charge` (line 6), but not when a `catch` handles an error there',
    );
    expect(diagnostics[3]!.message).toBe('step `out` reads `err`, but no step assigns `err`: `err` exists only inside a `catch` of step `guarded` (line 4)');
    expect(diagnostics[4]!.message).toBe('step `out` reads `error`, but no step assigns `error`: `error` exists only inside a `catch` of step `guarded` (line 4)');
  });

  it('counts what an inner `finally` assigns as set in an enclosing `catch` and after the step', async () => {
    const diagnostics = await validate(`revo: 1
name: nested
steps:
  - id: outer
    try:
      - id: inner
        try:
          - { id: work, call: core.echo, with: 1 }
        finally:
          - { id: mark, set: { cleaned: true } }
    catch:
      - steps:
          - { id: report, call: core.echo, with: { var: cleaned } }
  - { id: after, call: core.echo, with: { var: cleaned } }
`);
    expect(positions(diagnostics)).toEqual([]);
  });

  it('still warns in an enclosing `catch` about what the inner `try` or an earlier step may not have assigned', async () => {
    const diagnostics = await validate(`revo: 1
name: nested
steps:
  - id: outer
    try:
      - id: inner
        try:
          - { id: first, call: core.echo, with: 1, result: early }
          - { id: second, call: core.echo, with: 2 }
        finally:
          - { id: mark, set: { cleaned: true } }
      - { id: pre, call: core.echo, with: 3 }
      - id: later
        try:
          - { id: third, call: core.echo, with: 4 }
        finally:
          - { id: mark2, set: { tidied: true } }
    catch:
      - steps:
          - { id: report, call: core.echo, with: [{ var: early }, { var: cleaned }, { var: tidied }] }
`);
    expect(positions(diagnostics)).toEqual(['20:58 warning undefined-variable', '20:92 warning undefined-variable']);
    expect(diagnostics[0]!.message).toContain(
      '`early` may be unset here: it is assigned in the `try` of step `outer` (line 4), by step `first` (line 8), which may fail before assigning it',
    );
    expect(diagnostics[1]!.message).toContain(
      '`tidied` may be unset here: it is assigned in the `try` of step `outer` (line 4), by step `mark2` (line 17), which may fail before assigning it',
    );
  });

  it('still warns in an enclosing `catch` when a `fail` step in the inner `finally` may end it before it assigns', async () => {
    const diagnostics = await validate(`revo: 1
name: nested
steps:
  - id: outer
    try:
      - id: inner
        try:
          - { id: work, call: core.echo, with: 1 }
        finally:
          - { id: check, when: { var: input.strict }, fail: { type: Strict } }
          - { id: mark, set: { cleaned: true } }
    catch:
      - steps:
          - { id: report, call: core.echo, with: { var: cleaned } }
`);
    expect(positions(diagnostics)).toEqual(['14:57 warning undefined-variable']);
    expect(diagnostics[0]!.message).toContain('`cleaned` may be unset here: it is assigned in the `try` of step `outer` (line 4), by step `mark` (line 11)');
  });

  it('checks `output` at the end of the run and `queries` only for names no step assigns', async () => {
    const diagnostics = await validate(`revo: 1
name: ending
output: { total: { var: total }, note: { var: notte } }
queries:
  progress: { var: total }
  typo: { var: totl }
steps:
  - id: calc
    when: { var: input.big }
    set: { total: 1, note: x }
`);
    expect(positions(diagnostics)).toEqual(['3:25 warning undefined-variable', '3:47 error undefined-variable', '6:16 error undefined-variable']);
    expect(diagnostics[0]!.message).toContain('the workflow `output` reads `total`, but `total` may be unset here: it is assigned by step `calc` (line 8)');
    expect(diagnostics[1]!.message).toBe('the workflow `output` reads `notte`, but no step assigns `notte`; did you mean `note`?');
    expect(diagnostics[2]!.message).toBe('query `typo` reads `totl`, but no step assigns `totl`; did you mean `total`?');
  });

  it('reports reads before the assignment and in compensation steps', async () => {
    const diagnostics = await validate(`revo: 1
name: saga
steps:
  - id: charge
    call: core.echo
    with: { var: receipt }
    result: receipt
    compensate:
      - { id: refund, call: core.echo, with: [{ var: receipt }, { var: booking }] }
  - { id: book, call: core.echo, with: { var: receipt }, result: booking }
`);
    expect(positions(diagnostics)).toEqual(['6:18 warning undefined-variable', '9:72 warning undefined-variable']);
    expect(diagnostics[0]!.message).toBe(
      'step `charge` reads `receipt`, but `receipt` is not assigned yet here: it is assigned by this same step, after its templates are evaluated; assign it in an earlier step',
    );
    expect(diagnostics[1]!.message).toBe(
      'step `refund` reads `booking`, but `booking` is not assigned yet here: compensation steps see the scope as it was when step `charge` completed, ' +
        'and it is assigned only by step `book` (line 10); assign it before step `charge`',
    );
  });

  it('passes a workflow whose reads are all assigned on every path', async () => {
    const diagnostics = await validate(`revo: 1
name: fulfilment
input:
  type: object
  properties:
    items: { type: array }
output: { var: summary }
signals:
  approve: {}
queries:
  progress: { var: shipped }
steps:
  - { id: start, set: { shipped: 0, ok: true } }
  - id: decide
    switch:
      - when: { var: input.express }
        steps:
          - { id: fast, set: { carrier: express } }
      - when: { var: input.cancel }
        steps:
          - { id: cancelled, return: { var: shipped } }
    default:
      - { id: slow, set: { carrier: ground } }
  - id: approval
    wait: { signal: approve, timeout: 1h }
    result: approval
  - id: ship
    foreach: { var: input.items }
    as: line
    index: n
    concurrency: 4
    steps:
      - { id: book, call: core.echo, with: { carrier: { var: carrier }, item: { var: line }, n: { var: n } }, result: label }
    collect: { var: label }
    result: labels
  - id: guarded
    try:
      - { id: charge, call: core.echo, with: { var: labels }, result: receipt, compensate: [{ id: refund, call: core.echo, with: { var: receipt } }] }
    catch:
      - errors: [Transient]
        as: problem
        steps:
          - { id: retry, call: core.echo, with: { var: problem.message }, result: receipt }
  - id: fanout
    parallel:
      - id: mail
        steps:
          - { id: send, call: core.echo, with: { var: receipt }, result: mailed }
      - id: count
        steps:
          - { id: total, set: { shipped: { reduce: [{ var: labels }, { "+": [{ var: accumulator }, 1] }, 0] } } }
  - id: poll
    while: { "!": { var: ok } }
    maxIterations: 3
    steps:
      - { id: check, set: { ok: { var: mailed } } }
  - id: summary
    set:
      summary: { shipped: { var: shipped }, mailed: { var: mailed }, approvedBy: { var: approval.by }, whole: { var: "" }, all: { map: [{ var: labels }, { var: id }] } }
`);
    expect(positions(diagnostics)).toEqual([]);
  });
});
