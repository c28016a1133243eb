/** docs/dsl.md#limits-on-values at run time: an activity result over the limits fails its step. */
import { describe, expect, it } from 'vitest';
import { returns, runWorkflow, stepOf, testActivity, workflow } from './harness.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('limits on activity results', () => {
  it('fails the step with InvalidOutput when the result nests 1,000 deep, without retrying', async () => {
    const deep = testActivity('t.deep', { script: [returns(nested(1000))] });
    const after = testActivity('t.after');
    const { outcome, record } = await runWorkflow(
      workflow(`
        - { id: fetch, call: t.deep, result: tree, retry: { maxAttempts: 3 } }
        - { id: next, call: t.after }
      `),
      { activities: [deep, after] },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({
      type: 'InvalidOutput',
      step: 'fetch',
      message: 'output of activity "t.deep" in step "fetch" nests deeper than 256 levels of arrays and objects, the limit',
    });
    expect(deep.count).toBe(1);
    expect(after.count).toBe(0);
    expect(stepOf(record, 'fetch').status).toBe('failed');
  });

  it('fails the step when the result is over 2 MB, and a try can catch it', async () => {
    const big = testActivity('t.big', { script: [returns({ rows: Array.from({ length: 4 }, () => 'x'.repeat(700_000)) })] });
    const { outcome } = await runWorkflow(
      workflow(`
        - id: guarded
          try: [{ id: fetch, call: t.big, result: rows }]
          catch: [{ errors: [InvalidOutput], steps: [{ id: note, set: { failure: { var: error.message } } }] }]
      `),
      { activities: [big] },
    );
    expect(outcome).toEqual({ status: 'completed', output: { failure: 'output of activity "t.big" in step "fetch" is larger than 2 MB as JSON, the limit' } });
  });

  it('takes a result at the limits', async () => {
    const fine = testActivity('t.fine', { script: [returns(nested(255))] });
    const { outcome } = await runWorkflow(workflow(`- { id: fetch, call: t.fine, result: tree }`), { activities: [fine] });
    expect(outcome.status).toBe('completed');
  });
});
