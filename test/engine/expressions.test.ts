/** docs/dsl.md#steps "Expressions and templates" and the `var` rules of "Scope and variables", through the local engine. */
import { describe, expect, it } from 'vitest';
import { runWorkflow, stepOf, testActivity, workflow } from './harness.js';

describe('templates', () => {
  it('evaluates one-key operation objects, walks other objects and arrays recursively, keeps scalars as literals', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: build
          set:
            out:
              name: { var: input.name }
              fixed: "{{not a template}}"
              numbers: [1, { "+": [1, 2] }, [{ var: input.name }, true, null]]
              deep: { a: { b: [{ c: { cat: ["x", { var: input.name }] } }] } }
              notAnExpression: { var: input.name, other: 1 }
      `),
      { input: { name: 'ada' }, validate: false },
    );
    expect(outcome.status).toBe('completed');
    expect(outcome.output).toEqual({
      out: {
        name: 'ada',
        fixed: '{{not a template}}',
        numbers: [1, 3, ['ada', true, null]],
        deep: { a: { b: [{ c: 'xada' }] } },
        // Two keys: not an expression, so it is walked (its values are scalars, kept as written).
        notAnExpression: { var: 'input.name', other: 1 },
      },
    });
  });

  it('passes `$literal` values through unevaluated, at the top and nested', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: build
          set:
            rule: { $literal: { "==": [{ var: status }, "active"] } }
            wrapped:
              filter: { $literal: { var: x } }
              evaluated: { var: input.n }
              twice: { $literal: { $literal: 1 } }
      `),
      { input: { n: 7 } },
    );
    expect(outcome.output).toEqual({
      rule: { '==': [{ var: 'status' }, 'active'] },
      wrapped: { filter: { var: 'x' }, evaluated: 7, twice: { $literal: 1 } },
    });
  });

  it('renders the templates of `with`, `output` and activity inputs the same way', async () => {
    const probe = testActivity('t.probe');
    const { outcome } = await runWorkflow(
      workflow(
        `
        - id: call
          call: t.probe
          with: { orderId: { var: input.orderId }, note: fixed, items: [{ "*": [{ var: input.qty }, 2] }], raw: { $literal: { var: x } } }
          result: echoed
      `,
        `output: { id: { var: echoed.orderId }, all: { var: echoed } }`,
      ),
      { input: { orderId: 'o-1', qty: 4 }, activities: [probe] },
    );
    const expected = { orderId: 'o-1', note: 'fixed', items: [8], raw: { var: 'x' } };
    expect(probe.inputs).toEqual([expected]);
    expect(outcome.output).toEqual({ id: 'o-1', all: expected });
  });
});

describe('var', () => {
  it('reads nested fields and array elements; a missing path gives null, or the default when one is given', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: read
          set:
            nested: { var: input.order.lines.1.sku }
            missing: { var: input.nothing.here }
            withDefault: { var: ["input.pageSize", 10] }
            presentWithDefault: { var: ["input.order.id", "fallback"] }
      `),
      { input: { order: { id: 'o-9', lines: [{ sku: 'A' }, { sku: 'B' }] } } },
    );
    expect(outcome.output).toEqual({ nested: 'B', missing: null, withDefault: 10, presentWithDefault: 'o-9' });
  });

  it('reads only own properties: inherited names such as toString or hasOwnProperty give null', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: read
          set:
            a: { var: input.toString }
            b: { var: input.name.length }
            c: { var: input.hasOwnProperty }
      `),
      { input: { name: 'abcd' }, validate: false },
    );
    expect(outcome.output).toEqual({ a: null, b: 4, c: null });
  });

  for (const path of ['input.__proto__', 'input.constructor', 'input.prototype', 'constructor', '__proto__.polluted']) {
    it(`refuses the path "${path}" at run time with ExpressionError naming the step`, async () => {
      const { outcome, record } = await runWorkflow(
        workflow(`
          - id: before
            set: { ok: true }
          - id: bad
            set: { x: { var: "${path}" } }
        `),
        { input: { name: 'x' }, validate: false },
      );
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'bad' });
      expect(outcome.error!.message).toContain('"bad"');
      expect(outcome.error!.message).toMatch(/forbidden segment/);
      expect(stepOf(record, 'bad').status).toBe('failed');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('refuses a forbidden segment in a path computed at run time ({ var: { cat: ["__pro", "to__"] } })', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: computed
          set: { x: { var: { cat: ["__pro", "to__"] } } }
      `),
      { validate: false },
    );
    expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'computed' });
    expect(outcome.error!.message).toMatch(/__proto__/);
  });

  it('refuses a computed path whose forbidden segment is inside an existing value (input.constructor)', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: computed
          set: { x: { var: { cat: ["input.", "construc", "tor"] } } }
      `),
      { input: { a: 1 }, validate: false },
    );
    expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'computed' });
  });

  // docs/dsl.md#steps: a var path must not contain these segments, "refused at run time too" — the
  // whole path, not only the part that exists.
  it('refuses a forbidden segment even after a segment that does not exist (nothing.__proto__)', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: computed
          set: { x: { var: { cat: ["nothing.", "__proto__"] } } }
      `),
      { validate: false },
    );
    expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'computed' });
  });

  it('refuses assigning input, workflow or error at run time (ExpressionError)', async () => {
    for (const name of ['input', 'workflow', 'error']) {
      const { outcome } = await runWorkflow(workflow(`- { id: assign, set: { ${name}: 1 } }`), { validate: false });
      expect(outcome.error, name).toMatchObject({ type: 'ExpressionError', step: 'assign' });
    }
  });
});

describe('operations', () => {
  it('evaluates the usual JSON Logic operations against the scope', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: calc
          set:
            total:
              reduce:
                - { var: input.items }
                - { "+": [{ var: accumulator }, { "*": [{ var: current.qty }, { var: current.price }] }] }
                - 0
            big: { filter: [{ var: input.items }, { ">": [{ var: qty }, 1] }] }
            pick: { if: [{ ">": [{ var: input.items.0.qty }, 5] }, "many", "few"] }
            has: { in: ["b", ["a", "b"]] }
            name: { cat: ["order-", { var: input.id }] }
            missingFields: { missing: ["input.id", "input.nope"] }
      `),
      { input: { id: 42, items: [{ qty: 2, price: 5 }, { qty: 1, price: 3 }] } },
    );
    expect(outcome.output).toEqual({
      total: 13,
      big: [{ qty: 2, price: 5 }],
      pick: 'few',
      has: true,
      name: 'order-42',
      missingFields: ['input.nope'],
    });
  });

  it('refuses `method` (no host method calls) with ExpressionError', async () => {
    const { outcome, record } = await runWorkflow(
      workflow(`
        - id: upper
          set: { x: { method: [{ var: input.name }, "toUpperCase"] } }
      `),
      { input: { name: 'ada' }, validate: false },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'upper' });
    expect(outcome.error!.message).toMatch(/method/);
    expect(stepOf(record, 'upper').status).toBe('failed');
  });

  it('refuses `method` nested inside another operation too', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: upper
          set: { x: { cat: ["a", { method: [{ var: input.name }, "toUpperCase"] }] } }
      `),
      { input: { name: 'ada' }, validate: false },
    );
    expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'upper' });
  });
});

describe('evaluation failures', () => {
  it('fail the step with ExpressionError naming it, before the activity runs, and are never retried', async () => {
    const probe = testActivity('t.probe');
    const { outcome, record, elapsedMs } = await runWorkflow(
      workflow(`
        - id: charge
          call: t.probe
          with: { amount: { method: [{ var: input.amount }, "toFixed"] } }
          retry: { maxAttempts: 5, initialInterval: 1s }
      `),
      { input: { amount: 3 }, activities: [probe], validate: false },
    );
    expect(probe.count).toBe(0);
    expect(elapsedMs).toBe(0);
    expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'charge' });
    expect(outcome.error!.message).toContain('step "charge"');
    const step = stepOf(record, 'charge');
    expect(step.status).toBe('failed');
    expect(step.error?.type).toBe('ExpressionError');
    expect(step.failedAttempts).toBeUndefined();
  });

  it('in a `when`, a `switch` case or a `foreach` that does not give an array also raise ExpressionError naming the step', async () => {
    const cases: [string, string][] = [
      ['guarded', `- { id: guarded, when: { method: [1, "toString"] }, set: { x: 1 } }`],
      ['choose', `- id: choose\n  switch: [{ when: { var: "input.__proto__" }, steps: [{ id: inner, set: { x: 1 } }] }]`],
      ['each', `- id: each\n  foreach: { var: input.notArray }\n  steps: [{ id: inner, set: { x: 1 } }]`],
      ['nap', `- { id: nap, sleep: { var: input.notDuration } }`],
    ];
    for (const [id, steps] of cases) {
      const { outcome } = await runWorkflow(workflow(steps), { input: { notArray: 'abc', notDuration: 'soon' }, validate: false });
      expect(outcome.error, id).toMatchObject({ type: 'ExpressionError', step: id });
    }
  });

  it('can be caught by a try (it is an ordinary error of type ExpressionError)', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: guard
          try:
            - { id: bad, set: { x: { method: [1, "toString"] } } }
          catch:
            - errors: [ExpressionError]
              steps:
                - { id: note, set: { caught: { var: error.type }, where: { var: error.step } } }
      `),
      { validate: false },
    );
    expect(outcome).toMatchObject({ status: 'completed', output: { caught: 'ExpressionError', where: 'bad' } });
  });

  it('in the `output` template fail the run with ExpressionError (and unwind compensations)', async () => {
    const undo = testActivity('t.undo');
    const { outcome } = await runWorkflow(
      workflow(`- { id: a, call: core.echo, with: 1, compensate: [{ id: undoA, call: t.undo, with: a }] }`, `output: { method: [1, "toString"] }`),
      { activities: [undo], validate: false },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ type: 'ExpressionError', step: 'output' });
    expect(undo.inputs).toEqual(['a']);
  });
});
