/**
 * The workflow test runner, in process: expectations that hold and that fail (with
 * the right file line and values), mocks per attempt and per call, signals at a
 * virtual time and when waited for, a 30-day sleep in no time, unmocked calls.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVITY_MODULE, caseNamed, runTestFile } from './helpers.js';

const SAGA = `revo: 1
name: saga
input: { type: object, properties: { amount: { type: number } } }
steps:
  - id: charge
    call: pay.charge
    with: { amount: { var: input.amount } }
    result: payment
    compensate:
      - id: refund
        call: pay.refund
        with: { chargeId: { var: payment.chargeId } }
  - id: ship
    call: ship.book
    with: { chargeId: { var: payment.chargeId } }
    result: shipment
  - id: notify
    when: { ">": [{ var: input.amount }, 100] }
    call: pay.refund
    with: { note: big }
output: { chargeId: { var: payment.chargeId }, tracking: { var: shipment.tracking } }
`;

const files = { 'activities/index.js': ACTIVITY_MODULE };

describe('revo test runner', () => {
  it('passes a case whose expectations hold, running unmocked calls for real', async () => {
    const result = await runTestFile(SAGA, `cases:
  - name: ships
    input: { amount: 10 }
    expect:
      status: completed
      output: { chargeId: ch_10, tracking: T1 }
      steps: { taken: [charge, ship], skipped: [notify], notTaken: [refund] }
      attempts: { charge: 1 }
      compensations: []
      calls: { pay.charge: [{ amount: 10 }], ship: [{ chargeId: ch_10 }] }
`, files);
    expect(result.problems).toEqual([]);
    expect(caseNamed(result, 'ships')).toMatchObject({ passed: true, failures: [] });
  });

  it('fails a wrong expectation with the line of the expectation, the expected and the actual value', async () => {
    const result = await runTestFile(SAGA, `cases:
  - name: wrong
    input: { amount: 10 }
    expect:
      output:
        tracking: T2
        missing: 1
      attempts: { charge: 2 }
      calls:
        pay.charge: [{ amount: 11 }]
`, files);
    const failed = caseNamed(result, 'wrong');
    expect(failed.passed).toBe(false);
    expect(failed.failures).toEqual([
      expect.objectContaining({ line: 6, path: ['expect', 'output', 'tracking'], expected: 'T2', actual: 'T1', message: '`output.tracking` differs' }),
      expect.objectContaining({ line: 7, path: ['expect', 'output', 'missing'], expected: 1, missing: true }),
      expect.objectContaining({ line: 8, expected: 2, actual: 1, message: 'step `charge` made a different number of attempts' }),
      expect.objectContaining({ line: 10, expected: 11, actual: 10, message: 'call 1 of `pay.charge`: `amount` differs' }),
    ]);
  });

  it('expects a completed run when a case gives no status, and says how the run ended instead', async () => {
    const result = await runTestFile(SAGA, `cases:
  - name: silently failing
    input: { amount: 10 }
    mocks:
      ship: { error: { type: NoCarrier, message: nobody ships there, nonRetryable: true } }
`, files);
    expect(caseNamed(result, 'silently failing').failures).toEqual([
      expect.objectContaining({ message: 'the run ended differently', expected: 'completed', actual: 'failed (NoCarrier at step ship: nobody ships there)' }),
    ]);
  });

  it('answers per attempt from a list (the last answer repeats), and counts the attempts', async () => {
    const result = await runTestFile(SAGA, `cases:
  - name: third time lucky
    input: { amount: 10 }
    mocks:
      charge: [{ error: { type: Transient } }, { error: { type: Transient } }, { result: { chargeId: ch_x } }]
    expect:
      attempts: { charge: 3 }
      output: { chargeId: ch_x }
      duration: 3s
  - name: always down
    input: { amount: 10 }
    mocks:
      pay.charge: [{ error: { type: Transient, message: down } }]
    expect:
      status: failed
      error: { type: Transient, step: charge, message: down }
      attempts: { charge: 4 }
      duration: 7s
`, files);
    expect(result.cases.map((c) => [c.name, c.passed, c.failures])).toEqual([
      ['third time lucky', true, []],
      ['always down', true, []],
    ]);
  });

  it('answers per call from a sequence, across loop iterations', async () => {
    const result = await runTestFile(`revo: 1
name: poll
steps:
  - { id: init, set: { status: running, polls: 0 } }
  - id: loop
    while: { "==": [{ var: status }, running] }
    steps:
      - { id: check, call: jobs.status, result: answer }
      - { id: update, set: { status: { var: answer.status }, polls: { "+": [{ var: polls }, 1] } } }
output: { polls: { var: polls } }
`, `cases:
  - name: three polls
    mocks:
      jobs.status: { sequence: [{ result: { status: running } }, { result: { status: running } }, { result: { status: done } }] }
    expect:
      output: { polls: 3 }
      attempts: { check: 1 }
      steps: { taken: ["loop#3/check"], notTaken: ["loop#4/check"] }
`);
    expect(result.problems).toEqual([]);
    expect(caseNamed(result, 'three polls')).toMatchObject({ passed: true });
  });

  it('runs a 30-day sleep on the virtual clock in (almost) no real time', async () => {
    const result = await runTestFile(`revo: 1
name: patient
steps:
  - { id: nap, sleep: 30d }
  - { id: done, set: { woke: true } }
`, `cases:
  - name: wakes after a month
    expect:
      output: { woke: true }
      duration: 30d
`);
    const only = caseNamed(result, 'wakes after a month');
    expect(only).toMatchObject({ passed: true, virtualMs: 30 * 24 * 3600 * 1000 });
    expect(only.wallMs).toBeLessThan(1000);
  });

  const APPROVAL = `revo: 1
name: approval
signals:
  approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } }
steps:
  - id: first
    wait: { signal: approve, timeout: 1d }
    result: a
  - { id: pause, sleep: 2h }
  - id: second
    wait: { signal: approve, timeout: 1d }
    result: b
output: { first: { var: a.by }, second: { var: b.by } }
`;

  it('sends signals at a virtual time and when a wait for them starts', async () => {
    const result = await runTestFile(APPROVAL, `cases:
  - name: timed
    signals:
      - { name: approve, at: 3h, payload: { by: ann } }
      - { name: approve, at: 4h, payload: { by: bob } }
    expect:
      output: { first: ann, second: bob }
      duration: 5h
  - name: when waited
    signals:
      - { name: approve, when: waited, payload: { by: cy } }
      - { name: approve, when: waited, payload: { by: di } }
    expect:
      output: { first: cy, second: di }
      duration: 2h
  - name: no signal times out
    expect:
      status: failed
      error: { type: Timeout, step: first }
      duration: 1d
`);
    expect(result.cases.map((c) => [c.name, c.passed, c.failures])).toEqual([
      ['timed', true, []],
      ['when waited', true, []],
      ['no signal times out', true, []],
    ]);
  });

  it('fails a case whose signal is refused or never sent, naming the signal line', async () => {
    const result = await runTestFile(APPROVAL, `cases:
  - name: bad payload
    signals:
      - { name: approve, at: 1h, payload: { who: nobody } }
    expect: { status: failed }
  - name: too late
    signals:
      - { name: approve, at: 2d, payload: { by: ann } }
    expect: { status: failed }
`);
    expect(caseNamed(result, 'bad payload').failures).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/^signal "approve" was refused: the payload of signal "approve" does not match its schema/) }),
    ]);
    expect(caseNamed(result, 'too late').failures).toEqual([
      expect.objectContaining({ line: 8, message: 'signal "approve" was never sent: the run ended after 1d, before 2d' }),
    ]);
  });

  it('cancels at a virtual time: compensations run and the run ends cancelled', async () => {
    const result = await runTestFile(`revo: 1
name: cancellable
steps:
  - id: charge
    call: pay.charge
    with: { amount: 5 }
    result: payment
    compensate:
      - { id: refund, call: pay.refund, with: { chargeId: { var: payment.chargeId } } }
  - { id: wait, sleep: 7d }
`, `cases:
  - name: cancelled after a day
    cancel: { at: 1d }
    expect:
      status: cancelled
      compensations: [refund]
      calls: { pay.refund: [{ chargeId: ch_5 }] }
      duration: 1d
`, files);
    expect(caseNamed(result, 'cancelled after a day')).toMatchObject({ passed: true });
  });

  it('with `unmocked: error`, a call no mock covers fails the case, naming the step', async () => {
    const result = await runTestFile(SAGA, `unmocked: error
mocks:
  pay.charge: { result: { chargeId: ch_1 } }
cases:
  - name: forgot ship
    input: { amount: 1 }
    expect: { status: failed }
`, files);
    expect(caseNamed(result, 'forgot ship').failures).toEqual([
      expect.objectContaining({ message: expect.stringContaining('step `ship` called `ship.book`, which this case cannot answer: no mock covers it') }),
      // The charge is compensated when the run fails: its refund is not mocked either.
      expect.objectContaining({ message: expect.stringContaining('step `refund` called `pay.refund`') }),
    ]);
  });

  it('mocks stand in for activities that have no code, and keep real output schemas', async () => {
    const result = await runTestFile(SAGA, `cases:
  - name: no code needed
    input: { amount: 1 }
    mocks:
      pay.charge: { result: { chargeId: ch_m } }
      pay.refund: { result: {} }
      ship.book: { result: { tracking: Z } }
    expect: { output: { chargeId: ch_m, tracking: Z } }
`);
    expect(caseNamed(result, 'no code needed')).toMatchObject({ passed: true });
    const wrongShape = await runTestFile(SAGA, `cases:
  - name: mock breaks the contract
    input: { amount: 1 }
    mocks: { ship.book: { result: { parcel: 1 } } }
    expect: { status: failed, error: { type: InvalidOutput, step: ship } }
`, files);
    expect(caseNamed(wrongShape, 'mock breaks the contract')).toMatchObject({ passed: true });
  });
});

describe('test files that cannot run', () => {
  it('explains schema problems with their line, and suggests the key that was meant', async () => {
    const result = await runTestFile(SAGA, `cases:
  - name: typo
    expcet: { status: completed }
    mocks:
      pay.charge: { result: 1, error: { type: X } }
    signals:
      - { name: approve }
`, files);
    expect(result.cases).toEqual([]);
    expect(result.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '3: unknown key `expcet` in `cases[0]`; did you mean `expect`?',
      '5: a mock answer `cases[0].mocks.pay.charge` needs exactly one of `result`, `error` or `real`, got `result` and `error`',
      '7: signal `cases[0].signals[0]` needs `at: <duration>` or `when: waited`',
    ]);
  });

  it('refuses names the workflow does not have, with a suggestion', async () => {
    const result = await runTestFile(SAGA, `cases:
  - name: names
    mocks: { chrage: { result: {} } }
    expect:
      steps: { taken: [shp] }
      calls: { pay.chrage: [] }
`, files);
    expect(result.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '3: mock `chrage` is neither a call step of the workflow nor an activity it calls; did you mean `charge`?',
      '5: the workflow has no step `shp`; did you mean `ship`?',
      '6: calls of `pay.chrage` is neither a call step of the workflow nor an activity it calls; did you mean `pay.charge`?',
    ]);
  });

  it('reports an invalid workflow under test instead of running it', async () => {
    const result = await runTestFile('revo: 1\nname: broken\nsteps:\n  - { id: a, call: no.such }\n', 'cases: [{ name: x }]\n');
    expect(result.problems).toEqual([expect.objectContaining({ message: expect.stringContaining('is not a valid workflow') })]);
  });
});
