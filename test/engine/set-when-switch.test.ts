/** docs/dsl.md#steps: `set`, `when` skips, `switch`, and the default output. */
import { describe, expect, it } from 'vitest';
import { runWorkflow, statuses, stepOf, testActivity, workflow } from './harness.js';

describe('set', () => {
  it('evaluates every template against the scope before the step, then assigns (a swap works)', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: init, set: { a: 1, b: 2 } }
        - id: swap
          set:
            a: { var: b }
            b: { var: a }
            sum: { "+": [{ var: a }, { var: b }] }
      `),
    );
    expect(outcome.output).toEqual({ a: 2, b: 1, sum: 3 });
  });

  it('values do not see each other within one set, but later steps see them', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: init, set: { n: 1 } }
        - id: step1
          set:
            n: { "+": [{ var: n }, 1] }
            seen: { var: n }
        - { id: step2, set: { after: { var: n } } }
      `),
    );
    expect(outcome.output).toEqual({ n: 2, seen: 1, after: 2 });
  });

  it('records the assigned values as the step output', async () => {
    const { record } = await runWorkflow(workflow(`- { id: s, set: { x: 1, y: [true] } }`));
    expect(stepOf(record, 's')).toMatchObject({ kind: 'set', status: 'completed', output: { x: 1, y: [true] } });
  });
});

describe('when', () => {
  it('skips a step whose `when` is falsy: recorded as skipped, assigns nothing, runs nothing', async () => {
    const probe = testActivity('t.probe');
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: init, set: { kept: old } }
        - { id: skippedSet, when: { ">": [{ var: input.amount }, 100] }, set: { kept: new, added: 1 } }
        - { id: skippedCall, when: false, call: t.probe, result: kept }
        - { id: emptyArrayIsFalsy, when: [], set: { kept: fromEmptyArray } }
        - { id: ran, when: { "<=": [{ var: input.amount }, 100] }, set: { ran: true } }
      `),
      { input: { amount: 5 }, activities: [probe], validate: false },
    );
    expect(probe.count).toBe(0);
    expect(outcome.output).toEqual({ kept: 'old', ran: true });
    expect(statuses(record)).toEqual(['init completed', 'skippedSet skipped', 'skippedCall skipped', 'emptyArrayIsFalsy skipped', 'ran completed']);
    const skipped = stepOf(record, 'skippedCall');
    expect(skipped.kind).toBe('call');
    expect(skipped.attempts).toBeUndefined();
    expect(skipped.output).toBeUndefined();
  });

  it('a skipped `result` step leaves the variable undefined (not null) in the output', async () => {
    const { outcome } = await runWorkflow(workflow(`- { id: maybe, when: false, call: core.echo, with: 1, result: echoed }`), { validate: false });
    expect(outcome.status).toBe('completed');
    expect(outcome.output).toEqual({});
  });
});

describe('switch', () => {
  const yaml = workflow(`
    - id: route
      switch:
        - when: { ">": [{ var: input.n }, 100] }
          steps: [{ id: big, set: { size: big } }]
        - when: { ">": [{ var: input.n }, 10] }
          steps: [{ id: medium, set: { size: medium } }]
        - when: { ">": [{ var: input.n }, 5] }
          steps: [{ id: alsoMedium, set: { size: alsoTrue } }]
      default:
        - { id: small, set: { size: small } }
  `);

  it('runs only the first case whose `when` is truthy (later truthy cases do not run), and records the decision', async () => {
    const { outcome, record } = await runWorkflow(yaml, { input: { n: 50 } });
    expect(outcome.output).toEqual({ size: 'medium' });
    expect(stepOf(record, 'route').decision).toEqual({ case: 1 });
    expect(record.steps.map((s) => s.key)).toEqual(['route', 'medium']);
    expect(stepOf(record, 'medium').parent).toBe('route');
  });

  it('runs the first case when several are truthy', async () => {
    const { outcome, record } = await runWorkflow(yaml, { input: { n: 500 } });
    expect(outcome.output).toEqual({ size: 'big' });
    expect(stepOf(record, 'route').decision).toEqual({ case: 0 });
  });

  it('runs `default` when no case matches, and records it', async () => {
    const { outcome, record } = await runWorkflow(yaml, { input: { n: 1 } });
    expect(outcome.output).toEqual({ size: 'small' });
    expect(stepOf(record, 'route').decision).toEqual({ case: 'default' });
  });

  it('runs nothing when no case matches and there is no default, records that, and the run goes on', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: route
          switch:
            - when: { "==": [{ var: input.kind }, "a"] }
              steps: [{ id: a, set: { took: a } }]
        - { id: after, set: { after: true } }
      `),
      { input: { kind: 'z' } },
    );
    expect(outcome.output).toEqual({ after: true });
    expect(stepOf(record, 'route')).toMatchObject({ status: 'completed', decision: { case: null } });
    expect(record.steps.map((s) => s.key)).toEqual(['route', 'after']);
  });

  it('case steps read and write the workflow scope', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: init, set: { count: 1 } }
        - id: route
          switch:
            - when: true
              steps: [{ id: inc, set: { count: { "+": [{ var: count }, 1] } } }]
        - { id: after, set: { seen: { var: count } } }
      `),
    );
    expect(outcome.output).toEqual({ count: 2, seen: 2 });
  });
});

describe('output', () => {
  it('defaults to the final variables, without input and workflow', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: a, set: { x: 1, copy: { var: input.v } } }
        - { id: b, set: { y: { var: workflow.name } } }
      `),
      { input: { v: 'in' } },
    );
    expect(outcome.output).toEqual({ x: 1, copy: 'in', y: 'test-workflow' });
    expect(Object.keys(outcome.output as object)).not.toContain('input');
    expect(Object.keys(outcome.output as object)).not.toContain('workflow');
  });

  it('is the `output` template when given, evaluated after the last step', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`- { id: a, set: { x: 1 } }\n- { id: b, set: { x: 2 } }`, `output: { result: { var: x }, engine: { var: workflow.engine } }`),
    );
    expect(outcome.output).toEqual({ result: 2, engine: 'local' });
    expect(record.output).toEqual({ result: 2, engine: 'local' });
  });

  it('exposes workflow name, version, id, runId and engine to expressions', async () => {
    const { outcome, run } = await runWorkflow(workflow(`- { id: a, set: { w: { var: workflow } } }`, `version: "1.4.0"`));
    expect(outcome.output).toEqual({ w: { name: 'test-workflow', version: '1.4.0', id: run.workflowId, runId: run.runId, engine: 'local' } });
  });
});
