/** docs/dsl.md#compensation-sagas: compensation (saga). */
import { describe, expect, it } from 'vitest';
import { custom, deferred, fails, gated, runWorkflow, stepOf, testActivity, workflow } from './harness.js';

describe('compensation', () => {
  it('on an uncaught failure, runs in reverse order of completion, each with the scope of its push; the run fails with the original error', async () => {
    const undo = testActivity('t.undo');
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: init, set: { n: 1 } }
        - id: a
          call: core.echo
          with: { made: a }
          result: ra
          compensate:
            - { id: undoA, call: t.undo, with: { what: a, n: { var: n }, r: { var: ra }, later: { var: [rb, none] } } }
        - { id: bump, set: { n: 2 } }
        - id: b
          call: core.echo
          with: { made: b }
          result: rb
          compensate:
            - { id: undoB, call: t.undo, with: { what: b, n: { var: n }, r: { var: rb } } }
        - { id: bump2, set: { n: 3, ra: overwritten } }
        - id: c
          call: core.echo
          with: { made: c }
          compensate:
            - { id: undoC, call: t.undo, with: { what: c, n: { var: n }, ra: { var: ra } } }
        - { id: boom, fail: { type: Boom, message: it went wrong } }
      `),
      { activities: [undo] },
    );
    expect(undo.inputs).toEqual([
      { what: 'c', n: 3, ra: 'overwritten' },
      { what: 'b', n: 2, r: { made: 'b' } },
      { what: 'a', n: 1, r: { made: 'a' }, later: 'none' },
    ]);
    expect(outcome).toEqual({ status: 'failed', error: { type: 'Boom', message: 'it went wrong', step: 'boom' } });
    expect(record.error).toEqual(outcome.error);
    expect(record.compensations).toEqual(['c', 'b', 'a']);
    for (const key of ['a', 'b', 'c']) {
      expect(stepOf(record, key)).toMatchObject({ status: 'compensated', compensation: { status: 'completed' } });
    }
    expect(stepOf(record, 'c~/undoC')).toMatchObject({ id: 'undoC', parent: 'c', status: 'completed' });
    expect(stepOf(record, 'boom').status).toBe('failed');
  });

  it('unwinds by completion order, not declaration order (parallel branches)', async () => {
    const undo = testActivity('t.undo');
    const secondDone = deferred();
    const first = testActivity('t.first', { script: [gated(secondDone.promise)] });
    const second = testActivity('t.second', { script: [custom(async (input) => { setTimeout(() => secondDone.resolve(), 5); return input; })] });
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: both
          parallel:
            - id: one
              steps:
                - { id: slowCall, call: t.first, with: 1, compensate: [{ id: undoSlow, call: t.undo, with: slow }] }
            - id: two
              steps:
                - { id: fastCall, call: t.second, with: 2, compensate: [{ id: undoFast, call: t.undo, with: fast }] }
        - { id: boom, fail: { type: Boom } }
      `),
      { activities: [undo, first, second] },
    );
    expect(outcome.error?.type).toBe('Boom');
    // fastCall completed first, so it is undone last.
    expect(undo.inputs).toEqual(['slow', 'fast']);
    expect(record.compensations).toEqual(['slowCall', 'fastCall']);
  });

  it('runs nothing when the run succeeds, and never compensates the call that failed', async () => {
    const undo = testActivity('t.undo');
    const ok = await runWorkflow(workflow(`- { id: a, call: core.echo, with: 1, compensate: [{ id: u, call: t.undo }] }`), { activities: [undo] });
    expect(ok.outcome.status).toBe('completed');
    expect(undo.count).toBe(0);
    const broken = testActivity('t.broken', { otherwise: fails('Bad', { nonRetryable: true }) });
    const failed = await runWorkflow(
      workflow(`
        - { id: a, call: core.echo, with: 1, compensate: [{ id: undoA, call: t.undo, with: a }] }
        - { id: b, call: t.broken, compensate: [{ id: undoB, call: t.undo, with: b }] }
      `),
      { activities: [undo, broken] },
    );
    expect(undo.inputs).toEqual(['a']);
    expect(failed.record.compensations).toEqual(['a']);
    expect(stepOf(failed.record, 'b').status).toBe('failed');
  });

  it('a failing compensation is recorded, the others still run, and the run fails with the original error', async () => {
    const undo = testActivity('t.undo', { decide: (input) => (input === 'b' ? fails('RefundRefused', { nonRetryable: true }) : { kind: 'echo' }) });
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: a, call: core.echo, with: 1, compensate: [{ id: undoA, call: t.undo, with: a }] }
        - { id: b, call: core.echo, with: 2, compensate: [{ id: undoB, call: t.undo, with: b }] }
        - { id: c, call: core.echo, with: 3, compensate: [{ id: undoC, call: t.undo, with: c }] }
        - { id: boom, fail: { type: Boom } }
      `),
      { activities: [undo] },
    );
    expect(undo.inputs).toEqual(['c', 'b', 'a']);
    expect(outcome.error).toMatchObject({ type: 'Boom', step: 'boom' });
    expect(record.compensations).toEqual(['c', 'b', 'a']);
    expect(stepOf(record, 'c')).toMatchObject({ status: 'compensated', compensation: { status: 'completed' } });
    expect(stepOf(record, 'b')).toMatchObject({ status: 'completed', compensation: { status: 'failed', error: { type: 'RefundRefused' } } });
    expect(stepOf(record, 'a')).toMatchObject({ status: 'compensated', compensation: { status: 'completed' } });
    expect(stepOf(record, 'b~/undoB')).toMatchObject({ status: 'failed', error: { type: 'RefundRefused' } });
  });

  it('each compensation gets its own retries', async () => {
    const undo = testActivity('t.undo', { script: [fails('Transient'), fails('Transient')] });
    const { record } = await runWorkflow(
      workflow(`
        - id: a
          call: core.echo
          with: 1
          compensate: [{ id: undoA, call: t.undo, with: a, retry: { maxAttempts: 3, initialInterval: 1s } }]
        - { id: boom, fail: { type: Boom } }
      `),
      { activities: [undo] },
    );
    expect(undo.count).toBe(3);
    expect(stepOf(record, 'a~/undoA')).toMatchObject({ status: 'completed', attempts: 3 });
    expect(stepOf(record, 'a').status).toBe('compensated');
  });

  it('runs on cancellation: run.cancel() during a sleep unwinds the stack and the run ends cancelled', async () => {
    const undo = testActivity('t.undo');
    const { outcome, record, elapsedMs } = await runWorkflow(
      workflow(`
        - { id: a, call: core.echo, with: 1, compensate: [{ id: undoA, call: t.undo, with: a }] }
        - { id: b, call: core.echo, with: 2, compensate: [{ id: undoB, call: t.undo, with: b }] }
        - { id: nap, sleep: 30d }
        - { id: never, set: { never: true } }
      `),
      {
        activities: [undo],
        // Cancel once the sleep's timer is armed (a microtask after the step started).
        onEvent: (event, run) => {
          if (event.type === 'step.started' && event.key === 'nap') queueMicrotask(() => run.cancel('operator said stop'));
        },
      },
    );
    expect(outcome.status).toBe('cancelled');
    expect(outcome.error?.type).toBe('Cancelled');
    expect(outcome.error?.message).toContain('operator said stop');
    expect(elapsedMs).toBe(0);
    expect(undo.inputs).toEqual(['b', 'a']);
    expect(record).toMatchObject({ status: 'cancelled', compensations: ['b', 'a'], cancelRequested: { reason: 'operator said stop' } });
    expect(stepOf(record, 'nap').status).toBe('failed');
    expect(record.steps.some((s) => s.key === 'never')).toBe(false);
  });

  it('compensations pushed inside foreach iterations see their own item', async () => {
    const undo = testActivity('t.undo');
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: each
          foreach: [x, y, z]
          steps:
            - { id: reserve, call: core.echo, with: { var: item }, result: r, compensate: [{ id: release, call: t.undo, with: { item: { var: item }, r: { var: r } } }] }
        - { id: boom, fail: { type: Boom } }
      `),
      { activities: [undo] },
    );
    expect(outcome.error?.type).toBe('Boom');
    expect(undo.inputs).toEqual([{ item: 'z', r: 'z' }, { item: 'y', r: 'y' }, { item: 'x', r: 'x' }]);
    expect(record.compensations).toEqual(['each[2]/reserve', 'each[1]/reserve', 'each[0]/reserve']);
  });
});
