/** docs/dsl.md#signals-and-queries queries and the `state` query, §5 the workflow `timeout`, §8 the run record. */
import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../interpreter/errors.js';
import { InvalidRunInput } from '../../src/local/engine.js';
import { fails, returns, runWorkflow, stepOf, testActivity, until, workflow } from './harness.js';

describe('queries', () => {
  const yaml = workflow(
    `
    - { id: init, set: { stage: started, shipped: 0 } }
    - { id: progress, set: { shipped: { "+": [{ var: shipped }, 2] } } }
    - id: guard
      try:
        - { id: w, wait: { signal: go }, result: go }
    - { id: finish, set: { stage: finished } }
  `,
    `
    signals: { go: {} }
    queries:
      stage: { var: stage }
      summary: { stage: { var: stage }, shipped: { var: shipped }, order: { var: input.orderId } }
  `,
  );

  it('`state` during a wait: status, current steps, variables (no input/workflow), completed step count', async () => {
    let during: unknown;
    let stageDuring: unknown;
    let summaryDuring: unknown;
    const { run, outcome } = await runWorkflow(yaml, {
      input: { orderId: 'o-1' },
      before: async (r) => {
        await until(() => r.state().currentSteps.includes('w'), 'the wait');
        during = r.query('state');
        stageDuring = r.query('stage');
        summaryDuring = r.query('summary');
        r.signal('go', { ok: 1 });
      },
    });
    expect(during).toEqual({ status: 'running', currentSteps: ['guard', 'w'], variables: { stage: 'started', shipped: 2 }, completedSteps: 2 });
    expect(stageDuring).toBe('started');
    expect(summaryDuring).toEqual({ stage: 'started', shipped: 2, order: 'o-1' });
    expect(outcome.status).toBe('completed');
    // After the end, the same queries see the final scope.
    expect(run.query('state')).toEqual({
      status: 'completed',
      currentSteps: [],
      variables: { stage: 'finished', shipped: 2, go: { ok: 1 } },
      completedSteps: 5,
    });
    expect(run.query('stage')).toBe('finished');
    expect(run.state()).toEqual(run.query('state'));
  });

  it('an unknown query is refused with the names it could have been', async () => {
    const { run } = await runWorkflow(yaml, { before: (r) => r.signal('go', null) });
    expect(() => run.query('nope')).toThrow(WorkflowError);
    expect(() => run.query('nope')).toThrow(/state, stage, summary/);
  });

  it('`state` cannot be redeclared (validation error)', async () => {
    await expect(runWorkflow(workflow(`- { id: a, set: { x: 1 } }`, `queries: { state: { var: x } }`))).rejects.toThrow(/invalid/);
  });
});

describe('workflow timeout', () => {
  it('fails the run with Timeout when the whole run takes too long; compensations run', async () => {
    const undo = testActivity('t.undo');
    const { outcome, record, elapsedMs } = await runWorkflow(
      workflow(
        `
        - { id: a, call: core.echo, with: 1, compensate: [{ id: undoA, call: t.undo, with: a }] }
        - { id: nap, sleep: 2h }
        - { id: never, set: { never: true } }
      `,
        `timeout: 1h`,
      ),
      { activities: [undo] },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.type).toBe('Timeout');
    expect(elapsedMs).toBe(3_600_000);
    expect(undo.inputs).toEqual(['a']);
    expect(record).toMatchObject({ status: 'failed', error: { type: 'Timeout' }, compensations: ['a'] });
    expect(record.steps.some((s) => s.key === 'never')).toBe(false);
  });

  it('cannot be caught by a try (its finally still runs)', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(
        `
        - id: guard
          try: [{ id: w, wait: { signal: go } }]
          catch: [{ errors: [Timeout], steps: [{ id: handled, set: { handled: true } }] }]
          finally: [{ id: cleanup, call: core.echo, with: cleaned }]
      `,
        `
        timeout: 10m
        signals: { go: {} }
      `,
      ),
    );
    expect(outcome.error?.type).toBe('Timeout');
    expect(record.steps.some((s) => s.key === 'handled')).toBe(false);
    expect(stepOf(record, 'cleanup').status).toBe('completed');
  });

  it('does not fire for a run that ends in time', async () => {
    const { outcome, elapsedMs } = await runWorkflow(workflow(`- { id: nap, sleep: 59m }`, `timeout: 1h`));
    expect(outcome.status).toBe('completed');
    expect(elapsedMs).toBe(59 * 60_000);
  });
});

describe('the run record (docs/history.md#the-run-record)', () => {
  it('has runId, workflow, status, output and every step with id, kind, status, attempts, start and end', async () => {
    const flaky = testActivity('t.flaky', { script: [fails('Transient')], otherwise: returns({ id: 'ch_1' }) });
    const { record, run, outcome } = await runWorkflow(
      workflow(
        `
        - id: charge
          call: t.flaky
          with: { amount: { var: input.amount } }
          result: payment
        - { id: skipped, when: false, set: { x: 1 } }
        - { id: nap, sleep: 1m }
        - { id: done, set: { chargeId: { var: payment.id } } }
      `,
        `version: "2.0.0"\noutput: { var: chargeId }`,
        'order-fulfilment',
      ),
      { input: { amount: 5 }, activities: [flaky] },
    );
    expect(outcome).toEqual({ status: 'completed', output: 'ch_1' });
    expect(record).toMatchObject({
      runId: run.runId,
      workflowId: run.workflowId,
      workflow: 'order-fulfilment',
      version: '2.0.0',
      engine: 'local',
      status: 'completed',
      output: 'ch_1',
      trigger: { by: 'cli', input: { amount: 5 } },
    });
    expect(record.hash).toMatch(/^sha256:/);
    expect(record.error).toBeUndefined();
    expect(record.steps.map((s) => [s.id, s.kind, s.status, s.attempts])).toEqual([
      ['charge', 'call', 'completed', 2],
      ['skipped', 'set', 'skipped', undefined],
      ['nap', 'sleep', 'completed', undefined],
      ['done', 'set', 'completed', undefined],
    ]);
    const charge = stepOf(record, 'charge');
    expect(charge).toMatchObject({ activity: 't.flaky', input: { amount: 5 }, output: { id: 'ch_1' } });
    // Timestamps are ISO strings from the (virtual) clock: the retry pause and the sleep are visible.
    const t = (iso: string | undefined) => Date.parse(iso!) - Date.parse(record.startedAt!);
    expect([t(charge.startedAt), t(charge.endedAt)]).toEqual([0, 1000]);
    const nap = stepOf(record, 'nap');
    expect([t(nap.startedAt), t(nap.endedAt)]).toEqual([1000, 61_000]);
    expect(nap.durationMs).toBe(60_000);
    expect(t(record.endedAt)).toBe(61_000);
    for (const step of record.steps.filter((s) => s.status !== 'skipped')) {
      expect(new Date(step.startedAt!).toISOString()).toBe(step.startedAt);
      expect(new Date(step.endedAt!).toISOString()).toBe(step.endedAt);
    }
    // JSON-serialisable as is (what `--json` prints).
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('a failed run has error { type, message, step } and the failed step its error and attempts', async () => {
    const broken = testActivity('t.broken', { otherwise: fails('Conflict', { message: 'already booked' }) });
    const { record, outcome } = await runWorkflow(workflow(`- { id: ok, set: { a: 1 } }\n- { id: book, call: t.broken }`), { activities: [broken] });
    expect(outcome.status).toBe('failed');
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ type: 'Conflict', message: 'already booked', step: 'book' });
    expect(record.output).toBeUndefined();
    expect(stepOf(record, 'book')).toMatchObject({ kind: 'call', status: 'failed', attempts: 1, error: { type: 'Conflict', step: 'book' } });
    expect(stepOf(record, 'book').endedAt).toBeDefined();
  });

  it('records every step instance of loops with its own key, under its parent', async () => {
    const { record } = await runWorkflow(
      workflow(`
        - id: each
          foreach: [1, 2]
          steps: [{ id: inner, set: { x: { var: item } } }]
        - { id: init, set: { i: 0 } }
        - id: loop
          while: { "<": [{ var: i }, 2] }
          steps: [{ id: inc, set: { i: { "+": [{ var: i }, 1] } } }]
      `),
    );
    expect(record.steps.map((s) => [s.key, s.parent ?? null])).toEqual([
      ['each', null],
      ['each[0]/inner', 'each'],
      ['each[1]/inner', 'each'],
      ['init', null],
      ['loop', null],
      ['loop#1/inc', 'loop'],
      ['loop#2/inc', 'loop'],
    ]);
  });

  it('records signals received with their payloads and times', async () => {
    const { record } = await runWorkflow(workflow(`- { id: nap, sleep: 1s }\n- { id: w, wait: { signal: go }, result: g }`, `signals: { go: {} }`), {
      before: (run) => run.signal('go', { n: 1 }),
    });
    expect(record.signals).toEqual([{ seq: 1, name: 'go', payload: { n: 1 }, at: record.startedAt }]);
  });

  it('refuses a workflow input that does not match the input schema before any run exists', async () => {
    const yaml = workflow(`- { id: a, set: { x: 1 } }`, `input: { type: object, required: [orderId], properties: { orderId: { type: string } } }`);
    await expect(runWorkflow(yaml, { input: { orderId: 7 } })).rejects.toThrow(InvalidRunInput);
    expect((await runWorkflow(yaml, { input: { orderId: 'o-7' } })).outcome.status).toBe('completed');
  });
});
