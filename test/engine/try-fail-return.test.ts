/** docs/dsl.md#steps `try`/`catch`/`finally`, `fail`, `return`. */
import { describe, expect, it } from 'vitest';
import { fails, runWorkflow, stepOf, testActivity, workflow } from './harness.js';

describe('try / catch / finally', () => {
  const clauses = (failType: string) =>
    workflow(`
      - id: guard
        try:
          - { id: boom, fail: { type: ${failType}, message: { cat: ["it broke: ", { var: input.why }] }, details: { why: { var: input.why } } } }
          - { id: notReached, set: { notReached: true } }
        catch:
          - errors: [Alpha, Beta]
            as: problem
            steps: [{ id: first, set: { clause: first, seen: { var: problem } } }]
          - errors: [Gamma]
            steps: [{ id: second, set: { clause: second, seen: { var: error } } }]
          - steps: [{ id: anything, set: { clause: catchAll, seen: { var: error.type } } }]
        finally:
          - { id: cleanup, set: { cleaned: true } }
    `);

  it('runs the first clause listing the error type, with the error bound to `as`', async () => {
    const { outcome, record } = await runWorkflow(clauses('Beta'), { input: { why: 'x' } });
    expect(outcome).toEqual({
      status: 'completed',
      output: { clause: 'first', seen: { type: 'Beta', message: 'it broke: x', details: { why: 'x' }, step: 'boom' }, cleaned: true },
    });
    expect(stepOf(record, 'guard')).toMatchObject({ status: 'completed', decision: { caught: 0 } });
    expect(stepOf(record, 'boom').status).toBe('failed');
  });

  it('binds the error to `error` when there is no `as`; skips clauses that do not list the type', async () => {
    const { outcome, record } = await runWorkflow(clauses('Gamma'), { input: { why: 'y' } });
    expect(outcome.output).toEqual({ clause: 'second', seen: { type: 'Gamma', message: 'it broke: y', details: { why: 'y' }, step: 'boom' }, cleaned: true });
    expect(stepOf(record, 'guard').decision).toEqual({ caught: 1 });
  });

  it('a clause without `errors` catches any type', async () => {
    const { outcome, record } = await runWorkflow(clauses('Zeta'), { input: { why: 'z' } });
    expect(outcome.output).toEqual({ clause: 'catchAll', seen: 'Zeta', cleaned: true });
    expect(stepOf(record, 'guard').decision).toEqual({ caught: 2 });
  });

  it('removes the `as` variable after the clause (and restores a variable of that name)', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: init, set: { problem: mine } }
        - id: guard
          try: [{ id: boom, fail: { type: Alpha } }]
          catch:
            - errors: [Alpha]
              as: problem
              steps: [{ id: inside, set: { insideType: { var: problem.type } } }]
        - id: guard2
          try: [{ id: boom2, fail: { type: Beta } }]
          catch:
            - steps: [{ id: inside2, set: { insideType2: { var: error.type } } }]
        - { id: after, set: { errorAfter: { var: [error, gone] } } }
      `),
      { validate: false },
    );
    expect(outcome.output).toEqual({ problem: 'mine', insideType: 'Alpha', insideType2: 'Beta', errorAfter: 'gone' });
    expect(Object.keys(outcome.output as object)).not.toContain('error');
  });

  it('an error no clause lists continues outward, after `finally` ran', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: guard
          try: [{ id: boom, fail: { type: Unlisted } }]
          catch:
            - errors: [Other]
              steps: [{ id: never, set: { never: true } }]
          finally:
            - { id: cleanup, call: core.echo, with: cleaned }
        - { id: after, set: { after: true } }
      `),
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ type: 'Unlisted', step: 'boom' });
    expect(stepOf(record, 'cleanup').status).toBe('completed');
    expect(stepOf(record, 'guard')).toMatchObject({ status: 'failed', decision: { caught: null } });
    expect(record.steps.some((s) => s.key === 'never' || s.key === 'after')).toBe(false);
  });

  it('`finally` runs on success, after a caught error, and after an error raised in a catch clause', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: ok
          try: [{ id: fine, set: { a: 1 } }]
          finally: [{ id: f1, set: { f1: true } }]
        - id: caught
          try: [{ id: boom, fail: { type: X } }]
          catch: [{ steps: [{ id: c, set: { c: true } }] }]
          finally: [{ id: f2, set: { f2: true } }]
        - id: outer
          try:
            - id: rethrow
              try: [{ id: boom2, fail: { type: X } }]
              catch: [{ steps: [{ id: again, fail: { type: Y } }] }]
              finally: [{ id: f3, set: { f3: true } }]
          catch: [{ errors: [Y], steps: [{ id: gotY, set: { gotY: { var: error.step } } }] }]
      `),
    );
    expect(outcome.output).toEqual({ a: 1, f1: true, c: true, f2: true, f3: true, gotY: 'again' });
  });

  it('catches errors raised by activities (after their retries) and by `fail`', async () => {
    const flaky = testActivity('t.flaky', { otherwise: fails('Transient') });
    const { outcome } = await runWorkflow(
      workflow(`
        - id: guard
          try: [{ id: call, call: t.flaky, retry: { maxAttempts: 2, initialInterval: 1s } }]
          catch: [{ errors: [Transient], steps: [{ id: handled, set: { attempt: { var: error.attempt }, step: { var: error.step } } }] }]
      `),
      { activities: [flaky] },
    );
    expect(flaky.count).toBe(2);
    expect(outcome.output).toEqual({ attempt: 2, step: 'call' });
  });

  it('a caught error does not start compensation', async () => {
    const undo = testActivity('t.undo');
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: charge
          call: core.echo
          with: 1
          compensate: [{ id: refund, call: t.undo, with: refund }]
        - id: guard
          try: [{ id: boom, fail: { type: X } }]
          catch: [{ steps: [{ id: handled, set: { handled: true } }] }]
      `),
      { activities: [undo] },
    );
    expect(outcome.status).toBe('completed');
    expect(undo.count).toBe(0);
    expect(record.compensations).toEqual([]);
    expect(stepOf(record, 'charge').status).toBe('completed');
  });
});

describe('fail', () => {
  it('raises its type with message and details rendered from templates; the run fails with it', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: noCarrier
          fail:
            type: NoCarrier
            message: { cat: ["no carrier delivers to ", { var: input.country }] }
            details: { orderId: { var: input.orderId }, fixed: 1 }
      `),
      { input: { country: 'AQ', orderId: 'o-1' } },
    );
    expect(outcome).toEqual({
      status: 'failed',
      error: { type: 'NoCarrier', message: 'no carrier delivers to AQ', details: { orderId: 'o-1', fixed: 1 }, step: 'noCarrier' },
    });
    expect(stepOf(record, 'noCarrier')).toMatchObject({ kind: 'fail', status: 'failed', error: { type: 'NoCarrier' } });
  });

  it('uses the type as message when none is given', async () => {
    const { outcome } = await runWorkflow(workflow(`- { id: f, fail: { type: Plain } }`));
    expect(outcome.error).toMatchObject({ type: 'Plain', message: 'Plain', step: 'f' });
  });

  it('is never retried, even with a type that would retry and a retry policy in `defaults`', async () => {
    const { outcome, record, elapsedMs } = await runWorkflow(
      workflow(`
        - { id: f, fail: { type: Transient, message: looks retryable } }
      `, `defaults: { retry: { maxAttempts: 5 } }`),
    );
    expect(outcome.error).toMatchObject({ type: 'Transient', step: 'f' });
    expect(outcome.error!.attempt).toBeUndefined();
    expect(record.steps.filter((s) => s.id === 'f')).toHaveLength(1);
    expect(elapsedMs).toBe(0);
  });
});

describe('return', () => {
  it('ends the run at once with its value, which wins over `output`', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: a, set: { x: 1 } }
        - { id: done, return: { answer: { var: x }, fixed: yes } }
        - { id: notReached, set: { x: 2 } }
      `, `output: { fromOutput: true }`),
      { validate: false },
    );
    expect(outcome).toEqual({ status: 'completed', output: { answer: 1, fixed: 'yes' } });
    expect(record.output).toEqual({ answer: 1, fixed: 'yes' });
    expect(stepOf(record, 'done')).toMatchObject({ kind: 'return', status: 'completed', output: { answer: 1, fixed: 'yes' } });
    expect(record.steps.some((s) => s.key === 'notReached')).toBe(false);
  });

  it('returns from inside a switch case, and the enclosing steps complete', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: route
          switch:
            - when: true
              steps: [{ id: early, return: early }]
        - { id: later, set: { later: true } }
      `, `output: { var: later }`),
      { validate: false },
    );
    expect(outcome).toEqual({ status: 'completed', output: 'early' });
    expect(stepOf(record, 'route').status).toBe('completed');
    expect(record.steps.some((s) => s.key === 'later')).toBe(false);
  });

  it('returns from inside `try` (not caught by a catch-all) and from a catch clause; `finally` still runs', async () => {
    const cleanup = testActivity('t.cleanup');
    const fromTry = await runWorkflow(
      workflow(`
        - id: guard
          try: [{ id: early, return: { from: try } }]
          catch: [{ steps: [{ id: caught, set: { caught: true } }] }]
          finally: [{ id: cleanup, call: t.cleanup, with: try }]
      `),
      { activities: [cleanup] },
    );
    expect(fromTry.outcome).toEqual({ status: 'completed', output: { from: 'try' } });
    expect(fromTry.record.steps.some((s) => s.key === 'caught')).toBe(false);
    const fromCatch = await runWorkflow(
      workflow(`
        - id: guard
          try: [{ id: boom, fail: { type: X } }]
          catch: [{ steps: [{ id: early, return: { from: catch, type: { var: error.type } } }] }]
          finally: [{ id: cleanup, call: t.cleanup, with: catch }]
      `),
      { activities: [cleanup] },
    );
    expect(fromCatch.outcome).toEqual({ status: 'completed', output: { from: 'catch', type: 'X' } });
    expect(cleanup.inputs).toEqual(['try', 'catch']);
  });

  it('returns from inside a while loop', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: init, set: { i: 0 } }
        - id: loop
          while: true
          steps:
            - { id: inc, set: { i: { "+": [{ var: i }, 1] } } }
            - id: check
              switch:
                - when: { "==": [{ var: i }, 3] }
                  steps: [{ id: out, return: { var: i } }]
      `),
    );
    expect(outcome).toEqual({ status: 'completed', output: 3 });
    expect(stepOf(record, 'loop').decision).toEqual({ iterations: 3 });
  });
});
