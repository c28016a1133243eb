/** docs/dsl.md#errors-timeouts-and-retries: errors and retries, through the local engine (retry pauses cost virtual time only). */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/local/clock.js';
import { echo, fails, hangs, heartbeats, returns, runWorkflow, stepOf, testActivity, throwsPlain, workflow } from './harness.js';

const callOf = (activity: string, options = '') =>
  workflow(`
    - id: call
      call: ${activity}
      with: { x: 1 }
      result: out
      ${options}
  `);

describe('attempts', () => {
  it('Transient twice then success: 3 attempts, failed attempts recorded with their pauses (engine defaults 1s, ×2)', async () => {
    const flaky = testActivity('t.flaky', { script: [fails('Transient'), fails('Transient'), returns({ ok: true })] });
    const { outcome, record, elapsedMs } = await runWorkflow(callOf('t.flaky'), { activities: [flaky] });
    expect(outcome).toEqual({ status: 'completed', output: { out: { ok: true } } });
    expect(flaky.count).toBe(3);
    expect(flaky.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const step = stepOf(record, 'call');
    expect(step).toMatchObject({ status: 'completed', attempts: 3, output: { ok: true } });
    expect(step.failedAttempts?.map((f) => [f.attempt, f.error.type, f.retryInMs])).toEqual([
      [1, 'Transient', 1000],
      [2, 'Transient', 2000],
    ]);
    expect(elapsedMs).toBe(3000);
  });

  it('gives up after maxAttempts (engine default 5), failing with the last error and its attempt number', async () => {
    const broken = testActivity('t.broken', { otherwise: fails('Transient', { message: 'still down' }) });
    const { outcome, record, elapsedMs } = await runWorkflow(callOf('t.broken'), { activities: [broken] });
    expect(broken.count).toBe(5);
    expect(outcome.error).toEqual({ type: 'Transient', message: 'still down', step: 'call', attempt: 5 });
    expect(stepOf(record, 'call')).toMatchObject({ status: 'failed', attempts: 5, error: { type: 'Transient', attempt: 5 } });
    expect(stepOf(record, 'call').failedAttempts?.map((f) => f.retryInMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(elapsedMs).toBe(15_000);
  });

  const neverRetried = ['InvalidInput', 'InvalidOutput', 'ExpressionError', 'BadRequest', 'Unauthorized', 'NotFound', 'Conflict', 'LoopLimitExceeded', 'Cancelled'];
  for (const type of neverRetried) {
    it(`never retries ${type}, whatever the policy says`, async () => {
      const activity = testActivity('t.act', { otherwise: fails(type) });
      const { outcome, elapsedMs } = await runWorkflow(callOf('t.act', `retry: { maxAttempts: 10, retryOn: [${type}] }`), { activities: [activity], validate: false });
      expect(activity.count).toBe(1);
      expect(outcome.error).toMatchObject({ type, step: 'call', attempt: 1 });
      expect(elapsedMs).toBe(0);
    });
  }

  it('never retries an error the activity marked non-retryable; retries the same type unmarked', async () => {
    const marked = testActivity('t.marked', { otherwise: fails('CardDeclined', { nonRetryable: true }) });
    expect((await runWorkflow(callOf('t.marked'), { activities: [marked] })).outcome.error).toMatchObject({ type: 'CardDeclined', attempt: 1 });
    expect(marked.count).toBe(1);
    const unmarked = testActivity('t.unmarked', { script: [fails('CardDeclined')], otherwise: echo() });
    expect((await runWorkflow(callOf('t.unmarked'), { activities: [unmarked] })).outcome.status).toBe('completed');
    expect(unmarked.count).toBe(2);
  });

  it('`nonRetryable` lists types that fail at once; other types still retry', async () => {
    const declined = testActivity('t.pay', { otherwise: fails('CardDeclined') });
    const options = `retry: { maxAttempts: 4, nonRetryable: [CardDeclined] }`;
    expect((await runWorkflow(callOf('t.pay', options), { activities: [declined] })).outcome.error).toMatchObject({ type: 'CardDeclined', attempt: 1 });
    expect(declined.count).toBe(1);
    const transient = testActivity('t.pay', { otherwise: fails('Transient') });
    await runWorkflow(callOf('t.pay', options), { activities: [transient] });
    expect(transient.count).toBe(4);
  });

  it('`retryOn`: only the listed types retry', async () => {
    const options = `retry: { maxAttempts: 3, retryOn: [RateLimited] }`;
    const limited = testActivity('t.http', { otherwise: fails('RateLimited') });
    await runWorkflow(callOf('t.http', options), { activities: [limited] });
    expect(limited.count).toBe(3);
    const transient = testActivity('t.http', { otherwise: fails('Transient') });
    const { outcome } = await runWorkflow(callOf('t.http', options), { activities: [transient] });
    expect(transient.count).toBe(1);
    expect(outcome.error).toMatchObject({ type: 'Transient', attempt: 1 });
  });

  it('`maxAttempts: 1` means no retry', async () => {
    const flaky = testActivity('t.flaky', { script: [fails('Transient')] });
    const { outcome } = await runWorkflow(callOf('t.flaky', 'retry: { maxAttempts: 1 }'), { activities: [flaky] });
    expect(flaky.count).toBe(1);
    expect(outcome.error).toMatchObject({ type: 'Transient', attempt: 1 });
  });

  it('`maxElapsed` stops retrying once the next attempt would start after it: Timeout, with the last error in its details', async () => {
    const broken = testActivity('t.broken', { otherwise: fails('Transient') });
    const { outcome, elapsedMs } = await runWorkflow(
      callOf('t.broken', 'retry: { maxAttempts: 100, initialInterval: 1s, backoff: 1, maxElapsed: 3500ms }'),
      { activities: [broken] },
    );
    // Attempts start at 0s, 1s, 2s, 3s; a fifth would start at 4s, past 3.5s.
    expect(broken.count).toBe(4);
    expect(elapsedMs).toBe(3000);
    expect(outcome.error).toMatchObject({ type: 'Timeout', attempt: 4, details: { lastError: { type: 'Transient' } } });
    expect(outcome.error!.message).toContain('exceeded its maxElapsed of 3s500ms');
  });

  it('an attempt still running when `maxElapsed` passes is stopped with Timeout (no retry after it)', async () => {
    const slow = testActivity('t.slow', { otherwise: hangs() });
    const { outcome } = await runWorkflow(callOf('t.slow', 'timeout: 10s\n      retry: { maxAttempts: 3, maxElapsed: 200ms }'), { activities: [slow], clock: systemClock });
    expect(slow.count).toBe(1);
    expect(outcome.error).toMatchObject({ type: 'Timeout', attempt: 1 });
    expect(outcome.error!.message).toContain('maxElapsed');
  });

  it('backoff grows the pauses and maxInterval caps them: 1s ×2 max 3s → 1000, 2000, 3000, 3000', async () => {
    const broken = testActivity('t.broken', { otherwise: fails('Transient') });
    const { record, elapsedMs } = await runWorkflow(
      callOf('t.broken', 'retry: { maxAttempts: 5, initialInterval: 1s, backoff: 2, maxInterval: 3s }'),
      { activities: [broken] },
    );
    expect(broken.count).toBe(5);
    expect(stepOf(record, 'call').failedAttempts?.map((f) => f.retryInMs)).toEqual([1000, 2000, 3000, 3000]);
    expect(elapsedMs).toBe(9000);
    // Each attempt starts after its pause, in virtual time.
    const at = stepOf(record, 'call').failedAttempts!.map((f) => Date.parse(f.at!) - Date.parse(record.startedAt!));
    expect(at).toEqual([0, 1000, 3000, 6000]);
  });
});

describe('activity errors', () => {
  it('a plain Error thrown by the activity is ActivityError, and is retried', async () => {
    const flaky = testActivity('t.flaky', { script: [throwsPlain('socket hang up'), throwsPlain('socket hang up')], otherwise: returns(1) });
    const { outcome, record } = await runWorkflow(callOf('t.flaky'), { activities: [flaky] });
    expect(outcome).toEqual({ status: 'completed', output: { out: 1 } });
    expect(flaky.count).toBe(3);
    expect(stepOf(record, 'call').failedAttempts?.map((f) => [f.error.type, f.error.message])).toEqual([
      ['ActivityError', 'socket hang up'],
      ['ActivityError', 'socket hang up'],
    ]);
  });

  it('an input that does not match the activity’s input schema is InvalidInput: the activity never runs, nothing is retried', async () => {
    const pay = testActivity('t.pay', { input: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } } });
    const { outcome, record } = await runWorkflow(
      workflow(`- { id: call, call: t.pay, with: { amount: { var: input.amount } } }`),
      { input: { amount: 'ten' }, activities: [pay] },
    );
    expect(pay.count).toBe(0);
    expect(outcome.error).toMatchObject({ type: 'InvalidInput', step: 'call', attempt: 1 });
    expect(outcome.error!.message).toMatch(/amount/);
    expect(stepOf(record, 'call')).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('an output that does not match the activity’s output schema is InvalidOutput, not retried', async () => {
    const pay = testActivity('t.pay', {
      output: { type: 'object', required: ['chargeId'], properties: { chargeId: { type: 'string' } } },
      otherwise: returns({ chargeId: 42 }),
    });
    const { outcome, record } = await runWorkflow(callOf('t.pay'), { activities: [pay] });
    expect(pay.count).toBe(1);
    expect(outcome.error).toMatchObject({ type: 'InvalidOutput', step: 'call', attempt: 1 });
    expect(stepOf(record, 'call').attempts).toBe(1);
  });

  it('the activity gets a copy of its input: mutating it does not change the run’s variables', async () => {
    const mutate = testActivity('t.mutate', {
      decide: () => ({ kind: 'custom', run: async (input) => { (input as { list: number[] }).list.push(99); return null; } }),
    });
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: init, set: { list: [1] } }
        - { id: call, call: t.mutate, with: { list: { var: list } } }
      `),
      { activities: [mutate] },
    );
    expect(outcome.output).toEqual({ list: [1] });
  });
});

describe('timeouts of attempts', () => {
  it('a per-attempt `timeout` aborts a slow attempt (its signal aborts with Timeout) and the call is retried', async () => {
    const slow = testActivity('t.slow', { script: [hangs()], otherwise: returns('second time lucky') });
    const began = performance.now();
    const { outcome, record } = await runWorkflow(callOf('t.slow', 'timeout: 50ms\n      retry: { maxAttempts: 3 }'), { activities: [slow] });
    expect(performance.now() - began).toBeLessThan(1000);
    expect(outcome).toEqual({ status: 'completed', output: { out: 'second time lucky' } });
    expect(slow.count).toBe(2);
    expect(slow.calls[0]!.signal.aborted).toBe(true);
    expect(slow.calls[0]!.abortReason).toMatchObject({ type: 'Timeout' });
    expect(slow.calls[1]!.signal.aborted).toBe(false);
    expect(stepOf(record, 'call').failedAttempts?.map((f) => f.error.type)).toEqual(['Timeout']);
    expect(stepOf(record, 'call').attempts).toBe(2);
  });

  it('an attempt that keeps timing out fails the step with Timeout after the last attempt', async () => {
    const slow = testActivity('t.slow', { otherwise: hangs() });
    const { outcome } = await runWorkflow(callOf('t.slow', 'timeout: 20ms\n      retry: { maxAttempts: 2 }'), { activities: [slow] });
    expect(slow.count).toBe(2);
    expect(slow.calls.every((c) => c.signal.aborted)).toBe(true);
    expect(outcome.error).toMatchObject({ type: 'Timeout', step: 'call', attempt: 2 });
  });

  it('a `heartbeat` timeout fails an attempt that stops heartbeating; one that keeps heartbeating may run longer', async () => {
    // Attempt 1 never heartbeats: aborted after 60ms. Attempt 2 heartbeats every 10ms for 200ms (over 3× the
    // heartbeat timeout) and succeeds.
    const worker = testActivity('t.worker', { script: [hangs(), heartbeats(10, 200, returns('done'))] });
    const { outcome, record } = await runWorkflow(callOf('t.worker', 'timeout: 10s\n      heartbeat: 60ms\n      retry: { maxAttempts: 2 }'), { activities: [worker] });
    expect(outcome).toEqual({ status: 'completed', output: { out: 'done' } });
    expect(worker.calls[0]!.abortReason).toMatchObject({ type: 'Timeout' });
    expect((worker.calls[0]!.abortReason as Error).message).toMatch(/heartbeat/);
    expect(worker.calls[1]!.signal.aborted).toBe(false);
    expect(stepOf(record, 'call').failedAttempts?.map((f) => f.error.type)).toEqual(['Timeout']);
  });
});
