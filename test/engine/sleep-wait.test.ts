/** docs/dsl.md#steps `sleep` and `wait`, §5 wait timeouts, §7 signals. */
import { describe, expect, it } from 'vitest';
import { InvalidSignal } from '../../src/local/engine.js';
import { runWorkflow, stepOf, until, workflow } from './harness.js';

const DAY = 86_400_000;

describe('sleep', () => {
  it('a 30-day sleep takes well under a second of real time, and the record shows 30 days', async () => {
    const began = performance.now();
    const { outcome, record, elapsedMs } = await runWorkflow(
      workflow(`
        - { id: before, set: { a: 1 } }
        - { id: nap, sleep: 30d }
        - { id: after, set: { b: 2 } }
      `),
    );
    expect(performance.now() - began).toBeLessThan(1000);
    expect(outcome.status).toBe('completed');
    expect(elapsedMs).toBe(30 * DAY);
    const nap = stepOf(record, 'nap');
    expect(nap).toMatchObject({ kind: 'sleep', status: 'completed', input: { duration: '30d' } });
    expect(Date.parse(nap.endedAt!) - Date.parse(nap.startedAt!)).toBe(30 * DAY);
    expect(Date.parse(record.endedAt!) - Date.parse(record.startedAt!)).toBe(30 * DAY);
    expect(Date.parse(stepOf(record, 'after').startedAt!) - Date.parse(stepOf(record, 'before').endedAt!)).toBe(30 * DAY);
  });

  it('takes its duration from an expression, and compound durations add up', async () => {
    const yaml = workflow(`
      - id: nap
        sleep: { if: [{ "==": [{ var: input.plan }, "trial"] }, "3d", "1h30m"] }
    `);
    expect((await runWorkflow(yaml, { input: { plan: 'trial' } })).elapsedMs).toBe(3 * DAY);
    expect((await runWorkflow(yaml, { input: { plan: 'paid' } })).elapsedMs).toBe(90 * 60_000);
  });
});

describe('wait and signals', () => {
  const header = `
    signals:
      approve:
        schema: { type: object, required: [by], properties: { by: { type: string } } }
      note: {}
  `;

  it('waits until the signal comes; its payload goes to `result` and the step output', async () => {
    let runningWhileWaiting = false;
    const { outcome, record } = await runWorkflow(
      workflow(`- { id: w, wait: { signal: approve }, result: approval }`, header),
      {
        before: async (run) => {
          await until(() => run.state().currentSteps.includes('w'), 'the wait to start');
          await new Promise((r) => setTimeout(r, 20)); // nothing else moves the run forward
          runningWhileWaiting = run.record.status === 'running' && stepOf(run.record, 'w').status === 'running';
          run.signal('approve', { by: 'ada' });
        },
      },
    );
    expect(runningWhileWaiting).toBe(true);
    expect(outcome).toEqual({ status: 'completed', output: { approval: { by: 'ada' } } });
    expect(stepOf(record, 'w')).toMatchObject({ kind: 'wait', status: 'completed', output: { by: 'ada' } });
    expect(record.signals).toMatchObject([{ name: 'approve', payload: { by: 'ada' } }]);
  });

  it('buffers a signal sent before the wait starts (it is not lost)', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: first, sleep: 1h }
        - { id: w, wait: { signal: approve }, result: approval }
      `, header),
      { before: (run) => run.signal('approve', { by: 'early' }) },
    );
    expect(outcome.output).toEqual({ approval: { by: 'early' } });
    expect(Date.parse(record.signals[0]!.at!)).toBeLessThan(Date.parse(stepOf(record, 'w').startedAt!));
  });

  it('takes signals oldest first, per name (FIFO per name)', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: w1, wait: { signal: approve }, result: a1 }
        - { id: w2, wait: { signal: note }, result: n1 }
        - { id: w3, wait: { signal: approve }, result: a2 }
        - { id: w4, wait: { signal: note }, result: n2 }
      `, header),
      {
        before: (run) => {
          run.signal('note', 'n-first');
          run.signal('approve', { by: 'a-first' });
          run.signal('note', 'n-second');
          run.signal('approve', { by: 'a-second' });
        },
      },
    );
    expect(outcome.output).toEqual({ a1: { by: 'a-first' }, n1: 'n-first', a2: { by: 'a-second' }, n2: 'n-second' });
  });

  it('a wait with `timeout` raises Timeout when no signal came, after exactly that (virtual) time; catchable', async () => {
    const { outcome, record, elapsedMs } = await runWorkflow(
      workflow(`
        - id: guard
          try:
            - { id: w, wait: { signal: approve, timeout: 2d }, result: approval }
          catch:
            - errors: [Timeout]
              steps: [{ id: remind, set: { reminded: { var: error.type }, where: { var: error.step } } }]
      `, header),
    );
    expect(outcome).toEqual({ status: 'completed', output: { reminded: 'Timeout', where: 'w' } });
    expect(elapsedMs).toBe(2 * DAY);
    expect(stepOf(record, 'w')).toMatchObject({ status: 'failed', error: { type: 'Timeout' } });
  });

  it('an uncaught wait timeout fails the run with Timeout naming the wait step', async () => {
    const { outcome } = await runWorkflow(workflow(`- { id: w, wait: { signal: approve, timeout: 5m } }`, header));
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ type: 'Timeout', step: 'w' });
  });

  it('a signal in time beats the timeout', async () => {
    const { outcome, elapsedMs } = await runWorkflow(
      workflow(`- { id: w, wait: { signal: approve, timeout: 2d }, result: approval }`, header),
      { before: (run) => run.signal('approve', { by: 'ada' }) },
    );
    expect(outcome.output).toEqual({ approval: { by: 'ada' } });
    expect(elapsedMs).toBe(0);
  });

  it('a payload that does not match the schema is refused to the sender (InvalidSignal) and the run does not see it', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`- { id: w, wait: { signal: approve }, result: approval }`, header),
      {
        before: async (run) => {
          expect(() => run.signal('approve', { by: 42 })).toThrow(InvalidSignal);
          expect(() => run.signal('approve', 'not an object')).toThrow(/does not match its schema/);
          await new Promise((r) => setTimeout(r, 20));
          expect(run.record.status).toBe('running');
          expect(run.state().currentSteps).toEqual(['w']);
          run.signal('approve', { by: 'valid' });
        },
      },
    );
    expect(outcome).toEqual({ status: 'completed', output: { approval: { by: 'valid' } } });
    expect(record.signals.map((s) => s.payload)).toEqual([{ by: 'valid' }]);
  });

  it('a signal the workflow does not declare is refused to the sender, and the run is unaffected', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`- { id: w, wait: { signal: note }, result: got }`, header),
      {
        before: (run) => {
          expect(() => run.signal('nope', {})).toThrow(InvalidSignal);
          expect(() => run.signal('nope', {})).toThrow(/declares no signal "nope"/);
          run.signal('note', 1);
        },
      },
    );
    expect(outcome.output).toEqual({ got: 1 });
    expect(record.signals.map((s) => s.name)).toEqual(['note']);
  });

  it('waiting for an undeclared signal is refused before the run (validation error)', async () => {
    await expect(runWorkflow(workflow(`- { id: w, wait: { signal: nope } }`, header))).rejects.toThrow(/invalid[\s\S]*nope/);
  });

  it('run.cancel() during a wait ends the run cancelled; `finally` still runs and a catch-all does not catch it', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: guard
          try: [{ id: w, wait: { signal: note } }]
          catch: [{ steps: [{ id: caught, set: { caught: true } }] }]
          finally: [{ id: cleanup, call: core.echo, with: cleaned }]
      `, header),
      {
        before: async (run) => {
          await until(() => run.state().currentSteps.includes('w'), 'the wait');
          run.cancel('no longer needed');
        },
      },
    );
    expect(outcome).toMatchObject({ status: 'cancelled', error: { type: 'Cancelled', message: 'no longer needed' } });
    expect(record.status).toBe('cancelled');
    expect(stepOf(record, 'cleanup').status).toBe('completed');
    expect(record.steps.some((s) => s.key === 'caught')).toBe(false);
  });
});
