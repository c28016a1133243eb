/** docs/dsl.md#variables-and-scope: a variable named __proto__, prototype or constructor fails the run before any step runs. */
import { describe, expect, it } from 'vitest';
import { runWorkflow, testActivity, workflow } from './harness.js';

describe('forbidden variable names at run time', () => {
  const cases: [string, string][] = [
    ['result: __proto__', `
      - { id: first, call: t.work }
      - { id: fetch, call: t.work, result: __proto__ }
    `],
    ['foreach as: __proto__', `
      - { id: first, call: t.work }
      - id: each
        foreach: [1, 2]
        as: __proto__
        steps: [{ id: inner, call: t.work }]
    `],
    ['foreach index: constructor', `
      - { id: first, call: t.work }
      - id: each
        foreach: [1, 2]
        index: constructor
        steps: [{ id: inner, call: t.work }]
    `],
    ['catch as: prototype', `
      - { id: first, call: t.work }
      - id: guarded
        try: [{ id: boom, fail: { type: Boom } }]
        catch: [{ as: prototype, steps: [{ id: handle, call: t.work }] }]
    `],
  ];

  for (const [what, steps] of cases) {
    it(`refuses ${what} before any activity runs`, async () => {
      const work = testActivity('t.work');
      const { outcome, record } = await runWorkflow(workflow(steps), { activities: [work], validate: false });
      expect(work.count).toBe(0);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatchObject({ type: 'InvalidInput' });
      expect(outcome.error!.message).toMatch(/^step "(fetch|each|guarded)" names a variable "(__proto__|constructor|prototype)" with .*; __proto__, prototype and constructor cannot be variable names, so the run was refused before any step ran/);
      expect(record.steps).toEqual([]);
    });
  }

  it('refuses a child workflow that would name one, before the parent runs anything', async () => {
    const work = testActivity('t.work');
    const { outcome } = await runWorkflow(
      workflow(`
        - { id: first, call: t.work }
        - { id: spawn, child: { workflow: ./child.yaml } }
      `),
      {
        activities: [work],
        validate: false,
        files: { 'child.yaml': workflow(`- { id: fetch, call: t.work, result: constructor }`, '', 'the-child') },
      },
    );
    expect(work.count).toBe(0);
    expect(outcome.error?.type).toBe('InvalidInput');
    expect(outcome.error!.message).toContain('child workflow "the-child" (`./child.yaml`): step "fetch" names a variable "constructor" with `result`');
  });

  it('runs ordinary names as before', async () => {
    const work = testActivity('t.work');
    const { outcome } = await runWorkflow(workflow(`- { id: fetch, call: t.work, with: { a: 1 }, result: proto }`), { activities: [work] });
    expect(work.count).toBe(1);
    expect(outcome).toEqual({ status: 'completed', output: { proto: { a: 1 } } });
  });
});
