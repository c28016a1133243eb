/** docs/dsl.md#steps `parallel`: branches on copies of the scope, merged in branch order; failFast. */
import { describe, expect, it } from 'vitest';
import { deferred, fails, gated, hangs, runWorkflow, stepOf, testActivity, until, workflow } from './harness.js';

describe('parallel', () => {
  // Was a BUG (interpreter/steps/parallel.ts, fixed in its own commit): the merge compared each branch's copy with the workflow
  // scope *as already updated by the earlier branches*, so a later branch that did not touch a
  // variable wrote back its stale copy and undid an earlier branch's write. docs/dsl.md#steps: the writes
  // of the branches are merged back in branch order.
  it('merges every branch write back, also those of earlier branches', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: init, set: { a: 0, b: 0, c: 0 } }
        - id: fan
          parallel:
            - id: one
              steps: [{ id: s1, set: { a: 1 } }]
            - id: two
              steps: [{ id: s2, set: { b: 2 } }]
            - id: three
              steps: [{ id: s3, set: { c: 3, d: 4 } }]
      `),
    );
    expect(outcome.output).toEqual({ a: 1, b: 2, c: 3, d: 4 });
  });

  it('merges in branch order, not in the order branches finish (the validator forbids two writers; this is the engine’s rule)', async () => {
    const gate = deferred();
    const slow = testActivity('t.slow', { script: [gated(gate.promise)] });
    const fast = testActivity('t.fast', { onCall: () => setTimeout(() => gate.resolve(), 5) });
    const { outcome } = await runWorkflow(
      workflow(`
        - id: fan
          parallel:
            - id: one
              steps: [{ id: c1, call: t.slow, with: from-one, result: x }]
            - id: two
              steps: [{ id: c2, call: t.fast, with: from-two, result: x }]
      `),
      { activities: [slow, fast], validate: false },
    );
    // Branch one finished last, but branch two comes later in declaration order, so its write wins.
    expect(fast.calls[0]!.ended).toBe('returned');
    expect(outcome.output).toEqual({ x: 'from-two' });
  });

  it('branches start from a copy of the scope: they do not see each other’s writes', async () => {
    const slow = deferred();
    const first = testActivity('t.first', { script: [gated(slow.promise)] });
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: init, set: { shared: before } }
        - id: fan
          parallel:
            - id: one
              steps:
                - { id: write, set: { fromOne: written } }
                - { id: wait, call: t.first, with: { seen: { var: fromTwo } }, result: oneSaw }
            - id: two
              steps:
                - { id: write2, set: { fromTwo: written } }
                - { id: read2, set: { twoSaw: { var: fromOne } } }
                - { id: open, call: core.echo, with: 1 }
      `),
      {
        activities: [first],
        validate: false,
        before: async () => {
          await until(() => first.count === 1, 'the first branch to call');
          slow.resolve();
        },
      },
    );
    expect(outcome.status).toBe('completed');
    expect(outcome.output).toMatchObject({ shared: 'before', fromOne: 'written', fromTwo: 'written', oneSaw: { seen: null }, twoSaw: null });
  });

  it('records each branch as a step under the parallel step, and completes after all branches', async () => {
    const { record } = await runWorkflow(
      workflow(`
        - id: fan
          parallel:
            - id: left
              steps: [{ id: l1, set: { l: 1 } }]
            - id: right
              steps: [{ id: r1, set: { r: 1 } }]
        - { id: after, set: { done: true } }
      `),
    );
    expect(stepOf(record, 'left')).toMatchObject({ kind: 'branch', parent: 'fan', status: 'completed' });
    expect(stepOf(record, 'right')).toMatchObject({ kind: 'branch', parent: 'fan', status: 'completed' });
    expect(stepOf(record, 'l1').parent).toBe('left');
    expect(stepOf(record, 'fan').status).toBe('completed');
  });

  it('runs branches concurrently', async () => {
    const gate = deferred();
    const a = testActivity('t.a', { script: [gated(gate.promise)] });
    const b = testActivity('t.b', { script: [gated(gate.promise)] });
    const { outcome } = await runWorkflow(
      workflow(`
        - id: fan
          parallel:
            - id: one
              steps: [{ id: ca, call: t.a, with: 1 }]
            - id: two
              steps: [{ id: cb, call: t.b, with: 2 }]
      `),
      {
        activities: [a, b],
        before: async () => {
          // Both activities are in flight at once before either is let go.
          await until(() => a.count === 1 && b.count === 1, 'both branches to call');
          gate.resolve();
        },
      },
    );
    expect(outcome.status).toBe('completed');
  });

  it('failFast (the default): the first failure cancels the other branches, whose in-flight activity sees its signal abort', async () => {
    const slow = testActivity('t.slow', { script: [hangs()] });
    const started = deferred();
    const slowCalled = testActivity('t.slow2', { script: [hangs()], onCall: () => started.resolve() });
    const boom = testActivity('t.boom', { script: [gated(started.promise, fails('Boom', { nonRetryable: true }))] });
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: fan
          parallel:
            - id: one
              steps: [{ id: waitForever, call: t.slow, with: 1 }]
            - id: two
              steps: [{ id: waitForever2, call: t.slow2, with: 2 }, { id: never, set: { never: true } }]
            - id: three
              steps: [{ id: explode, call: t.boom, with: 3 }]
        - { id: after, set: { after: true } }
      `),
      { activities: [slow, slowCalled, boom] },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ type: 'Boom', step: 'explode' });
    for (const activity of [slow, slowCalled]) {
      expect(activity.count).toBe(1);
      expect(activity.calls[0]!.signal.aborted).toBe(true);
      expect(activity.calls[0]!.abortReason).toMatchObject({ type: 'Cancelled' });
    }
    expect(stepOf(record, 'waitForever').status).toBe('failed');
    expect(stepOf(record, 'waitForever').error?.type).toBe('Cancelled');
    expect(record.steps.find((s) => s.key === 'never')).toBeUndefined();
    expect(record.steps.find((s) => s.key === 'after')).toBeUndefined();
    expect(stepOf(record, 'fan').error?.type).toBe('Boom');
  });

  it('failFast: false lets the other branches finish before the error is raised', async () => {
    const gate = deferred();
    const slow = testActivity('t.slow', { script: [gated(gate.promise)] });
    const boom = testActivity('t.boom', { script: [fails('Boom', { nonRetryable: true })] });
    let failedWhileSlowRan = false;
    const { outcome, record, events } = await runWorkflow(
      workflow(`
        - id: fan
          failFast: false
          parallel:
            - id: one
              steps:
                - { id: slowCall, call: t.slow, with: 1, result: slowResult }
                - { id: afterSlow, set: { oneDone: true } }
            - id: two
              steps: [{ id: explode, call: t.boom, with: 2 }]
      `),
      {
        activities: [slow, boom],
        onEvent: (event) => {
          // Let the slow branch go only once the failing one has failed.
          if (event.type === 'step.failed' && event.key === 'two') {
            failedWhileSlowRan = slow.calls[0]?.ended === 'running';
            gate.resolve();
          }
        },
      },
    );
    expect(failedWhileSlowRan).toBe(true);
    expect(outcome.error).toMatchObject({ type: 'Boom', step: 'explode' });
    expect(slow.calls[0]!.signal.aborted).toBe(false);
    expect(slow.calls[0]!.ended).toBe('returned');
    expect(stepOf(record, 'slowCall').status).toBe('completed');
    expect(stepOf(record, 'afterSlow').status).toBe('completed');
    const order = events.filter((e) => e.type === 'step.completed' || e.type === 'step.failed').map((e) => `${(e as { key: string }).key} ${e.type}`);
    expect(order.indexOf('afterSlow step.completed')).toBeLessThan(order.indexOf('fan step.failed'));
  });

  it('branches wait concurrently in virtual time too (two 1h sleeps take 1h)', async () => {
    const { outcome, elapsedMs } = await runWorkflow(
      workflow(`
        - id: fan
          parallel:
            - id: one
              steps: [{ id: s1, sleep: 1h }]
            - id: two
              steps: [{ id: s2, sleep: 1h }]
      `),
    );
    expect(outcome.status).toBe('completed');
    expect(elapsedMs).toBe(3_600_000);
  });

  it('the error raised is that of the first failing branch in declaration order', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: fan
          failFast: false
          parallel:
            - id: one
              steps: [{ id: failA, fail: { type: FirstBranch } }]
            - id: two
              steps: [{ id: failB, fail: { type: SecondBranch } }]
      `),
    );
    expect(outcome.error).toMatchObject({ type: 'FirstBranch', step: 'failA' });
  });
});
