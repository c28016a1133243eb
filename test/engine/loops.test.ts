/** docs/dsl.md#steps `foreach` and `while`. */
import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../interpreter/errors.js';
import { custom, deferred, fails, hangs, runWorkflow, stepOf, testActivity, workflow } from './harness.js';

describe('foreach', () => {
  it('runs the body once per item with `as` and `index` on a copy of the scope; iteration writes are discarded', async () => {
    const probe = testActivity('t.probe');
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: init, set: { total: 0 } }
        - id: each
          foreach: { var: input.items }
          as: thing
          index: position
          steps:
            - { id: bump, set: { total: { "+": [{ var: total }, { var: thing }] }, scratch: { var: position } } }
            - { id: work, call: t.probe, with: { thing: { var: thing }, position: { var: position }, total: { var: total } } }
        - { id: after, set: { afterTotal: { var: total } } }
      `),
      { input: { items: [10, 20, 30] }, activities: [probe] },
    );
    // Each iteration starts from the workflow scope (total 0), not from the previous iteration's writes.
    expect(probe.inputs).toEqual([
      { thing: 10, position: 0, total: 10 },
      { thing: 20, position: 1, total: 20 },
      { thing: 30, position: 2, total: 30 },
    ]);
    // Nothing written inside survives, not even the as/index variables.
    expect(outcome.output).toEqual({ total: 0, afterTotal: 0 });
    expect(stepOf(record, 'each').decision).toEqual({ items: 3 });
    expect(record.steps.filter((s) => s.id === 'work').map((s) => s.key)).toEqual(['each[0]/work', 'each[1]/work', 'each[2]/work']);
  });

  it('names the item `item` by default and has no index variable unless asked', async () => {
    const probe = testActivity('t.probe');
    await runWorkflow(
      workflow(`
        - id: each
          foreach: ["a", "b"]
          steps:
            - { id: work, call: t.probe, with: { item: { var: item }, index: { var: [index, none] } } }
      `),
      { activities: [probe], validate: false },
    );
    expect(probe.inputs).toEqual([{ item: 'a', index: 'none' }, { item: 'b', index: 'none' }]);
  });

  it('collects in item order with concurrency 3 even when the activities finish in reverse order; result holds the list', async () => {
    const done = [deferred(), deferred(), deferred()];
    const finished: number[] = [];
    const work = testActivity('t.work', {
      decide: (input) =>
        custom(async () => {
          const i = (input as { i: number }).i;
          if (i < 2) await done[i + 1]!.promise; // item i waits for item i+1 to finish
          finished.push(i);
          done[i]!.resolve();
          return { value: `v${i}` };
        }),
    });
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: each
          foreach: { var: input.items }
          index: i
          concurrency: 3
          steps:
            - { id: work, call: t.work, with: { i: { var: i } }, result: r }
          collect: { cat: [{ var: r.value }, "@", { var: i }] }
          result: values
      `),
      { input: { items: ['a', 'b', 'c'] }, activities: [work] },
    );
    expect(finished).toEqual([2, 1, 0]);
    expect(work.calls.map((c) => (c.input as { i: number }).i)).toEqual([0, 1, 2]); // all three started at once
    expect(outcome.output).toEqual({ values: ['v0@0', 'v1@1', 'v2@2'] });
    expect(stepOf(record, 'each').output).toEqual(['v0@0', 'v1@1', 'v2@2']);
  });

  it('never runs more than `concurrency` iterations at a time (default 1)', async () => {
    for (const [concurrency, expected] of [[undefined, 1], [3, 3]] as const) {
      let running = 0;
      let most = 0;
      const work = testActivity('t.work', {
        otherwise: custom(async (input) => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 2));
          running--;
          return input;
        }),
      });
      const { outcome } = await runWorkflow(
        workflow(`
          - id: each
            foreach: [1, 2, 3, 4, 5, 6, 7]
            ${concurrency === undefined ? '' : `concurrency: ${concurrency}`}
            steps: [{ id: work, call: t.work, with: { var: item }, result: r }]
            collect: { var: r }
            result: out
        `),
        { activities: [work] },
      );
      expect(outcome.output).toEqual({ out: [1, 2, 3, 4, 5, 6, 7] });
      expect(most, `concurrency ${concurrency}`).toBe(expected);
    }
  });

  it('an empty array runs nothing and gives an empty result', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: each
          foreach: { var: input.items }
          steps: [{ id: work, call: core.echo, with: 1, result: r }]
          collect: { var: r }
          result: out
      `),
      { input: { items: [] } },
    );
    expect(outcome.output).toEqual({ out: [] });
    expect(record.steps.map((s) => s.key)).toEqual(['each']);
  });

  it('fails with the first failing iteration; later items do not run (concurrency 1)', async () => {
    const work = testActivity('t.work', { decide: (input) => (input === 'b' ? fails('Broken', { nonRetryable: true }) : { kind: 'echo' }) });
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: each
          foreach: ["a", "b", "c"]
          steps: [{ id: work, call: t.work, with: { var: item }, result: r }]
          collect: { var: r }
          result: out
        - { id: after, set: { after: true } }
      `),
      { activities: [work] },
    );
    expect(work.inputs).toEqual(['a', 'b']);
    expect(outcome.error).toMatchObject({ type: 'Broken', step: 'work' });
    expect(stepOf(record, 'each[1]/work').status).toBe('failed');
    expect(stepOf(record, 'each').status).toBe('failed');
    expect(record.steps.find((s) => s.key === 'after')).toBeUndefined();
  });

  it('a failing iteration cancels the iterations in flight (their activities see the abort)', async () => {
    const started = deferred();
    const work = testActivity('t.work', {
      decide: (input) => (input === 'bad' ? custom(async () => {
        await started.promise;
        throw new WorkflowError('Broken', 'broken', { nonRetryable: true });
      }) : hangs()),
      onCall: (call) => { if (call.input === 'slow') started.resolve(); },
    });
    const { outcome } = await runWorkflow(
      workflow(`
        - id: each
          foreach: ["slow", "bad", "never"]
          concurrency: 2
          steps: [{ id: work, call: t.work, with: { var: item } }]
      `),
      { activities: [work] },
    );
    expect(outcome.error).toMatchObject({ type: 'Broken' });
    expect(work.inputs).toEqual(['slow', 'bad']);
    expect(work.calls[0]!.signal.aborted).toBe(true);
    expect(work.calls[0]!.abortReason).toMatchObject({ type: 'Cancelled' });
  });
});

describe('while', () => {
  const counting = (max: string, limit: number) =>
    workflow(`
      - { id: init, set: { i: 0 } }
      - id: loop
        while: { "<": [{ var: i }, ${limit}] }
        ${max}
        steps:
          - { id: inc, set: { i: { "+": [{ var: i }, 1] } } }
    `);

  it('loops while the condition is truthy; the body writes the workflow scope; iterations are recorded', async () => {
    const { outcome, record } = await runWorkflow(counting('', 4));
    expect(outcome.output).toEqual({ i: 4 });
    expect(stepOf(record, 'loop')).toMatchObject({ status: 'completed', decision: { iterations: 4 } });
    expect(record.steps.filter((s) => s.id === 'inc').map((s) => s.key)).toEqual(['loop#1/inc', 'loop#2/inc', 'loop#3/inc', 'loop#4/inc']);
  });

  it('checks the condition before the first iteration (a false condition runs nothing)', async () => {
    const { outcome, record } = await runWorkflow(counting('', 0));
    expect(outcome.output).toEqual({ i: 0 });
    expect(stepOf(record, 'loop').decision).toEqual({ iterations: 0 });
    expect(record.steps.some((s) => s.id === 'inc')).toBe(false);
  });

  it('exactly maxIterations iterations is fine', async () => {
    const { outcome, record } = await runWorkflow(counting('maxIterations: 3', 3));
    expect(outcome).toMatchObject({ status: 'completed', output: { i: 3 } });
    expect(stepOf(record, 'loop').decision).toEqual({ iterations: 3 });
  });

  it('a condition still true after maxIterations iterations raises LoopLimitExceeded (not retried, catchable)', async () => {
    const { outcome, record } = await runWorkflow(counting('maxIterations: 3', 4));
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ type: 'LoopLimitExceeded', step: 'loop' });
    expect(record.steps.filter((s) => s.id === 'inc')).toHaveLength(3);
    expect(stepOf(record, 'loop')).toMatchObject({ status: 'failed', decision: { iterations: 3 } });
  });

  it('maxIterations defaults to 1000', async () => {
    const { outcome, record } = await runWorkflow(counting('', 5000));
    expect(outcome.error).toMatchObject({ type: 'LoopLimitExceeded', step: 'loop' });
    expect(stepOf(record, 'loop').decision).toEqual({ iterations: 1000 });
    const ok = await runWorkflow(counting('', 1000));
    expect(ok.outcome.output).toEqual({ i: 1000 });
  });
});
