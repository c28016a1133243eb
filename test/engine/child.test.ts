/** docs/dsl.md#steps `child`, and §6: a failing child unwinds its own compensations before the parent's. */
import { describe, expect, it } from 'vitest';
import { runWorkflow, stepOf, testActivity, until, workflow } from './harness.js';

const shipping = workflow(
  `
  - id: quote
    call: core.echo
    with: { carrier: dhl, orderId: { var: input.orderId }, me: { var: workflow.name } }
    result: q
`,
  `
  input: { type: object, required: [orderId], properties: { orderId: { type: string } } }
  output: { carrier: { var: q.carrier }, orderId: { var: q.orderId }, childName: { var: q.me }, childId: { var: workflow.id } }
`,
  'shipping',
);

describe('child', () => {
  for (const reference of ['shipping', './shipping.yaml']) {
    it(`runs a child by ${reference.startsWith('./') ? 'path' : 'name'} (${reference}); its output is the step result`, async () => {
      const { outcome, record, engine, run } = await runWorkflow(
        workflow(`
          - id: ship
            child:
              workflow: ${reference}
              input: { orderId: { var: input.orderId } }
            result: shipment
        `),
        { input: { orderId: 'o-7' }, files: { 'shipping.yaml': shipping } },
      );
      expect(outcome.status).toBe('completed');
      expect(outcome.output).toEqual({ shipment: { carrier: 'dhl', orderId: 'o-7', childName: 'shipping', childId: expect.any(String) } });
      expect(stepOf(record, 'ship')).toMatchObject({ kind: 'child', status: 'completed', output: (outcome.output as { shipment: unknown }).shipment });
      // The child is a run of its own, with its own record, started by the parent.
      const children = [...engine.runs.values()].filter((r) => r !== run);
      expect(children).toHaveLength(1);
      expect(children[0]!.record).toMatchObject({ workflow: 'shipping', status: 'completed', parent: run.runId, trigger: { by: `parent:${run.runId}`, input: { orderId: 'o-7' } } });
    });
  }

  it('uses the workflowId template as the child’s workflow id', async () => {
    const { outcome } = await runWorkflow(
      workflow(`
        - id: ship
          child:
            workflow: shipping
            workflowId: { cat: ["shipping-", { var: input.orderId }] }
            input: { orderId: { var: input.orderId } }
          result: shipment
      `),
      { input: { orderId: 'o-7' }, files: { 'shipping.yaml': shipping } },
    );
    expect(outcome.output).toMatchObject({ shipment: { childId: 'shipping-o-7' } });
  });

  it('with wait: false, starts the child and moves on; result is { workflowId }', async () => {
    const slowChild = workflow(`- { id: nap, sleep: 1d }\n- { id: done, set: { done: true } }`, '', 'slow-child');
    const { outcome, record, engine, run } = await runWorkflow(
      workflow(`
        - id: fire
          child:
            workflow: ./slow-child.yaml
            workflowId: { cat: ["slow-", { var: workflow.id }] }
            wait: false
          result: started
        - { id: after, set: { after: true } }
      `),
      { files: { 'slow-child.yaml': slowChild } },
    );
    expect(outcome.output).toEqual({ started: { workflowId: `slow-${run.workflowId}` }, after: true });
    expect(stepOf(record, 'fire').output).toEqual({ workflowId: `slow-${run.workflowId}` });
    const child = [...engine.runs.values()].find((r) => r !== run)!;
    expect(child.workflowId).toBe(`slow-${run.workflowId}`);
    // The parent ended while the child was still sleeping; the child goes on to the end on its own.
    expect(Date.parse(record.endedAt!) - Date.parse(record.startedAt!)).toBe(0);
    const childOutcome = await child.done;
    expect(childOutcome).toEqual({ status: 'completed', output: { done: true } });
  });

  it('a failing child fails the step with the child’s error type; the child unwinds its compensations before the parent unwinds its own', async () => {
    const log: string[] = [];
    const undo = testActivity('t.undo', { onCall: (call) => log.push(String(call.input)) });
    const child = workflow(
      `
      - id: book
        call: core.echo
        with: booked
        compensate:
          - { id: unbook, call: t.undo, with: child-unbook }
      - id: noCarrier
        fail: { type: NoCarrier, message: nobody delivers there, details: { country: XX } }
    `,
      '',
      'shipping',
    );
    const { outcome, record, engine, run } = await runWorkflow(
      workflow(`
        - id: charge
          call: core.echo
          with: charged
          compensate:
            - { id: refund, call: t.undo, with: parent-refund }
        - id: ship
          child: { workflow: ./shipping.yaml }
          result: shipment
        - { id: after, set: { after: true } }
      `),
      { files: { 'shipping.yaml': child }, activities: [undo] },
    );
    expect(log).toEqual(['child-unbook', 'parent-refund']);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ type: 'NoCarrier', step: 'ship' });
    expect(outcome.error!.message).toContain('nobody delivers there');
    expect(stepOf(record, 'ship').status).toBe('failed');
    expect(stepOf(record, 'charge').status).toBe('compensated');
    expect(record.compensations).toEqual(['charge']);
    const childRun = [...engine.runs.values()].find((r) => r !== run)!;
    expect(childRun.record).toMatchObject({ status: 'failed', error: { type: 'NoCarrier', step: 'noCarrier' }, compensations: ['book'] });
    expect(stepOf(childRun.record, 'book').status).toBe('compensated');
  });

  it('a child’s failure can be caught in the parent like any other error', async () => {
    const child = workflow(`- { id: boom, fail: { type: ChildBroke } }`, '', 'broken');
    const { outcome } = await runWorkflow(
      workflow(`
        - id: guard
          try:
            - { id: run, child: { workflow: broken } }
          catch:
            - errors: [ChildBroke]
              steps: [{ id: handled, set: { handled: { var: error.type } } }]
      `),
      { files: { 'broken.yaml': child } },
    );
    expect(outcome).toEqual({ status: 'completed', output: { handled: 'ChildBroke' } });
  });

  it('cancelling the parent while it waits for a child cancels the child', async () => {
    const child = workflow(`- { id: forever, wait: { signal: go } }`, `signals: { go: {} }`, 'waiter');
    const { outcome, engine, run } = await runWorkflow(workflow(`- { id: kid, child: { workflow: waiter } }`), {
      files: { 'waiter.yaml': child },
      before: async (parent) => {
        await until(() => parent.engine.runs.size === 2 && [...parent.engine.runs.values()][1]!.state().currentSteps.includes('forever'), 'the child to wait');
        parent.cancel('stop');
      },
    });
    expect(outcome.status).toBe('cancelled');
    const childRun = [...engine.runs.values()].find((r) => r !== run)!;
    expect((await childRun.done).status).toBe('cancelled');
  });
});
