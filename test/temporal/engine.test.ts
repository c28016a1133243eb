/**
 * The Temporal engine against a real dev server: each DSL rule as the workflow
 * runs it, with activities dispatched by name to an in-process worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../interpreter/history.js';
import { EVENTS_QUERY, type EventsPage } from '../../src/sandboxed/workflow/contract.js';
import { deferred, fails, hangs, returns, stepOf, statuses, testActivity, workflow } from '../engine/harness.js';
import { eventually, temporalEnv, type TemporalTestEnv } from './harness.js';

const charge = testActivity('pay.charge', { decide: (input) => ((input as { amount: number }).amount > 100 ? { kind: 'fail', type: 'CardDeclined', message: 'limit' } : { kind: 'return', value: { id: 'ch_1' } }) });
const refund = testActivity('pay.refund');
const flaky = testActivity('t.flaky', { script: [fails('Transient'), fails('Transient')] });
const picky = testActivity('t.picky', { script: [fails('Weird'), fails('Weird')] });
const typed = testActivity('t.typed', {
  input: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
  output: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
  decide: (input) => returns((input as { n: number }).n > 0 ? { ok: true } : { wrong: 1 }),
});
const gate = deferred();
const slow = testActivity('t.slow', { decide: (input) => ((input as { hang?: boolean }).hang ? hangs() : { kind: 'gate', gate: gate.promise, then: { kind: 'echo' } }) });

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await temporalEnv([charge, refund, flaky, picky, typed, slow]);
});
afterAll(async () => {
  gate.resolve();
  await env?.close();
});

const FAST = `defaults: { retry: { initialInterval: 10ms, maxInterval: 20ms } }\n`;

describe('the Temporal engine', () => {
  it('runs each call as the activity of its own name, with the scope, and ends with the output', async () => {
    const { outcome, record, handle } = await env.run(
      workflow(`
        - { id: c, call: pay.charge, with: { amount: { var: input.amount } }, result: receipt }
        - { id: s, set: { total: { "+": [{ var: input.amount }, 1] } } }
        - { id: skipped, when: false, call: core.echo, with: 1 }
        - { id: nearby, call: core.echo, with: 7, local: true, result: seven }
      `, 'output: { receipt: { var: receipt }, total: { var: total }, engine: { var: workflow.engine }, seven: { var: seven } }\n'),
      { input: { amount: 5 } },
    );
    expect(outcome).toEqual({ status: 'completed', output: { receipt: { id: 'ch_1' }, total: 6, engine: 'temporal', seven: 7 } });
    expect(statuses(record)).toEqual(['c completed', 's completed', 'skipped skipped', 'nearby completed']);
    // The run id is the workflow id: the id `revo history`, `signal`… take.
    expect(record).toMatchObject({ engine: 'temporal', status: 'completed', workflow: 'test-workflow', runId: handle.workflowId, workflowId: handle.workflowId });
    // The Temporal history schedules the activity under its own name, not a dispatcher.
    const history = await handle.fetchHistory();
    const types = history.events!.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name] : []));
    expect(types).toEqual(['pay.charge']);
    // `local: true` ran as a local activity: a marker in the history, no activity task.
    expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(1);
    const description = await handle.describe();
    expect(description.memo).toMatchObject({ workflow: 'test-workflow', hash: expect.stringMatching(/^sha256:/) });
  });

  it('retries with the step policy and counts attempts; a type outside retryOn is not retried', async () => {
    const { record } = await env.run(
      workflow(`
        - { id: f, call: t.flaky, with: 1 }
        - id: guard
          try:
            - { id: p, call: t.picky, with: 2, retry: { retryOn: [Transient] } }
          catch: [ { errors: [Weird], steps: [ { id: handled, set: { caught: { var: error.type } } } ] } ]
      `, FAST),
    );
    expect(stepOf(record, 'f')).toMatchObject({ status: 'completed', attempts: 3 });
    expect(stepOf(record, 'p')).toMatchObject({ status: 'failed', error: { type: 'Weird', step: 'p', attempt: 1 } });
    expect(picky.count).toBe(1);
    expect(record.status).toBe('completed');
  });

  it('checks activity input and output against their schemas in the worker, without retrying', async () => {
    // Through an expression, so validation cannot see the wrong type before the run.
    const bad = await env.run(workflow(`- { id: t, call: t.typed, with: { n: { var: input.n } } }`, FAST), { input: { n: 'x' } });
    expect(bad.outcome.error).toMatchObject({ type: 'InvalidInput', step: 't' });
    const wrong = await env.run(workflow(`- { id: t, call: t.typed, with: { n: 0 } }`, FAST));
    expect(wrong.outcome.error).toMatchObject({ type: 'InvalidOutput', step: 't' });
    expect(stepOf(wrong.record, 't').attempts).toBe(1);
  });

  it('fails the run with the DSL error type (an ApplicationFailure), after running compensations in reverse', async () => {
    const { outcome, record } = await env.run(
      workflow(`
        - id: ok
          call: pay.charge
          with: { amount: 1 }
          compensate: [ { id: undo, call: pay.refund, with: { what: first } } ]
        - id: ok2
          call: pay.charge
          with: { amount: 2 }
          compensate: [ { id: undo2, call: pay.refund, with: { what: second } } ]
        - { id: big, call: pay.charge, with: { amount: 500 } }
      `, FAST),
    );
    expect(outcome).toMatchObject({ status: 'failed', error: { type: 'CardDeclined', step: 'big' } });
    expect(refund.inputs.slice(-2)).toEqual([{ what: 'second' }, { what: 'first' }]);
    expect(record.compensations).toEqual(['ok2', 'ok']);
    expect(stepOf(record, 'ok').status).toBe('compensated');
  });

  it('sleeps on a durable timer, takes a buffered signal, refuses a bad payload and goes on, and answers queries', async () => {
    const { outcome, record } = await env.run(
      workflow(`
        - { id: nap, sleep: 50ms }
        - { id: w, wait: { signal: approve, timeout: 1m }, result: approval }
      `, 'signals: { approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } } }\nqueries: { who: { var: approval.by } }\n'),
      {
        async before(handle) {
          await handle.signal('approve', { nope: true });
          await handle.signal('approve', { by: 'ann' });
        },
      },
    );
    expect(outcome).toMatchObject({ status: 'completed', output: { approval: { by: 'ann' } } });
    expect(record.rejectedSignals).toEqual([expect.objectContaining({ name: 'approve', reason: expect.stringContaining('required') })]);
    expect(record.signals).toEqual([expect.objectContaining({ name: 'approve', payload: { by: 'ann' } })]);
  });

  it('a wait with no signal in time raises Timeout', async () => {
    const { outcome } = await env.run(workflow(`- { id: w, wait: { signal: go, timeout: 200ms } }`, 'signals: { go: {} }\n'));
    expect(outcome.error).toMatchObject({ type: 'Timeout', step: 'w' });
  });

  it('answers `state`, declared queries and the events query while running; a cancel runs compensations and ends cancelled', async () => {
    const { outcome, record } = await env.run(
      workflow(`
        - { id: init, set: { phase: started } }
        - id: booked
          call: pay.charge
          with: { amount: 3 }
          compensate: [ { id: unbook, call: pay.refund, with: { what: cancelled } } ]
        - { id: hang, call: t.slow, with: { hang: true }, heartbeat: 1s }
      `, 'queries: { phase: { var: phase } }\n'),
      {
        async before(handle) {
          const state = await eventually(async () => {
            const s = await handle.query<{ currentSteps: string[]; completedSteps: number; variables: Record<string, unknown> }>('state');
            return s.currentSteps.includes('hang') && s;
          }, 'the run to reach step hang');
          expect(state).toMatchObject({ status: 'running', completedSteps: 2, variables: { phase: 'started' } });
          expect(await handle.query('phase')).toBe('started');
          const page = await handle.query<EventsPage, [number]>(EVENTS_QUERY, 0);
          expect(page.events.map((e: HistoryEvent) => e.type)).toContain('run.started');
          await handle.cancel();
        },
      },
    );
    expect(outcome.status).toBe('cancelled');
    expect(record.status).toBe('cancelled');
    expect(refund.inputs).toContainEqual({ what: 'cancelled' });
    expect(record.compensations).toEqual(['booked']);
  });

  it('a whole-run timeout fails the run with Timeout after running compensations; a fail step fails it with its own type', async () => {
    const timedOut = await env.run(
      workflow(`
        - id: booked
          call: pay.charge
          with: { amount: 6 }
          compensate: [ { id: unbook, call: pay.refund, with: { what: timed-out } } ]
        - { id: forever, sleep: 1h }
      `, 'timeout: 2s\n'),
    );
    expect(timedOut.outcome).toMatchObject({ status: 'failed', error: { type: 'Timeout', message: expect.stringContaining('2s') } });
    expect(refund.inputs).toContainEqual({ what: 'timed-out' });
    const failed = await env.run(workflow(`- { id: no, fail: { type: NotToday, message: { cat: ["sorry ", { var: input.who }] } } }`), { input: { who: 'ann' } });
    expect(failed.outcome).toMatchObject({ status: 'failed', error: { type: 'NotToday', message: 'sorry ann', step: 'no' } });
    const description = await failed.handle.describe();
    expect(description.status.name).toBe('FAILED');
  });

  it('an activity that stops heartbeating times out as Timeout, per attempt, and is retried', async () => {
    const { outcome, record } = await env.run(
      workflow(`- { id: quiet, call: t.slow, with: { hang: true }, heartbeat: 1s, retry: { maxAttempts: 2, initialInterval: 10ms } }`),
    );
    expect(outcome.error).toMatchObject({ type: 'Timeout', step: 'quiet', message: expect.stringContaining('heartbeat') });
    expect(stepOf(record, 'quiet')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(slow.calls.filter((c) => (c.input as { hang?: boolean }).hang && c.step === 'quiet')).toHaveLength(2);
  });

  it('a run terminated on Temporal (no interpreter involved) shows as failed with Terminated', async () => {
    const { outcome, record } = await env.run(workflow(`- { id: w, wait: { signal: go } }`, 'signals: { go: {} }\n'), {
      async before(handle) {
        await eventually(async () => (await handle.query<{ currentSteps: string[] }>('state')).currentSteps.includes('w'), 'the wait');
        await handle.terminate('stuck, an operator stopped it');
      },
    });
    expect(outcome).toMatchObject({ status: 'failed', error: { type: 'Terminated', message: expect.stringContaining('an operator stopped it') } });
    expect(record).toMatchObject({ status: 'failed', error: { type: 'Terminated' } });
  });

  it('runs a child of the same workflow type and returns its output; a child failure carries its type', async () => {
    const child = `revo: 1\nname: kid\nactivities: { pay.charge: { retry: { nonRetryable: [CardDeclined] } } }\nsteps:\n  - { id: k, call: pay.charge, with: { amount: { var: input.amount } }, result: r }\noutput: { var: r }\n`;
    const { outcome, record } = await env.run(
      workflow(`
        - { id: c1, child: { workflow: ./kid.yaml, input: { amount: 4 } }, result: kid }
        - id: guard
          try: [ { id: c2, child: { workflow: ./kid.yaml, input: { amount: 400 } } } ]
          catch: [ { errors: [CardDeclined], steps: [ { id: declined, set: { declined: { var: error.message } } } ] } ]
      `, FAST),
      { files: { 'kid.yaml': child } },
    );
    expect(outcome.output).toMatchObject({ kid: { id: 'ch_1' }, declined: expect.stringContaining('limit') });
    expect(stepOf(record, 'c2').error).toMatchObject({ type: 'CardDeclined' });
  });

  it('continues as new in a long loop: a 500-iteration while gives the right result across several runs', async () => {
    const { outcome, record, handle } = await env.run(
      workflow(`
        - { id: init, set: { n: 0, sum: 0 } }
        - id: loop
          while: { "<": [{ var: n }, 500] }
          steps:
            - { id: bump, set: { n: { "+": [{ var: n }, 1] }, sum: { "+": [{ var: sum }, { var: n }, 1] } } }
            - { id: tick, when: { "==": [{ "%": [{ var: n }, 50] }, 0] }, call: core.echo, with: { var: n }, result: last }
      `),
      { continueAfterEvents: 20 },
    );
    expect(outcome).toEqual({ status: 'completed', output: { n: 500, sum: 125250, last: 500 } });
    // Several Temporal runs, one record.
    let runs = 1;
    const first = env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    for (let h = await first.fetchHistory(); ; runs++) {
      const next = h.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (!next) break;
      h = await env.client.workflow.getHandle(handle.workflowId, next).fetchHistory();
    }
    expect(runs).toBeGreaterThan(3);
    expect(stepOf(record, 'loop')).toMatchObject({ status: 'completed', decision: { iterations: 500 } });
    expect(record.steps.filter((s) => s.id === 'tick' && s.status === 'completed')).toHaveLength(10);
    expect(record.steps.filter((s) => s.id === 'bump')).toHaveLength(500);
  });
});
