/**
 * The API for code on the local engine, used as a Node service would: `new Revo(...)`,
 * load, start, signal, query, cancel, result, record, live events, getRun from a second
 * instance (as another process would), listRuns, resume, and every error a typed class.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defineActivity,
  InvalidInputError,
  Revo,
  RunEndedError,
  RunFailedError,
  RunNotFoundError,
  SignalRejectedError,
  ValidationError,
  WorkflowError,
  type HistoryEvent,
} from '../../src/index.js';

const APPROVAL = `revo: 1
name: api-approval
input:
  type: object
  required: [amount]
  properties: { amount: { type: number } }
signals:
  approve:
    schema:
      type: object
      required: [by]
      properties: { by: { type: string } }
queries:
  amount: { var: input.amount }
steps:
  - { id: price, call: test.double, with: { var: input.amount }, result: doubled }
  - { id: ask, wait: { signal: approve, timeout: 1h }, result: approval }
  - id: check
    switch:
      - when: { ">": [{ var: doubled }, 100] }
        steps: [ { id: refuse, fail: { type: TooExpensive, message: "too expensive" } } ]
output: { doubled: { var: doubled }, by: { var: approval.by } }
`;

const BROKEN = `revo: 1
name: api-broken
steps:
  - { id: a, call: no.such.activity }
`;

const double = defineActivity({
  name: 'test.double',
  input: { type: 'number' },
  output: { type: 'number' },
  run: async (n: number) => n * 2,
});

let dir: string;
let revo: Revo;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revo-api-'));
  revo = new Revo({ home: join(dir, '.revo'), activities: [double] });
});
afterEach(async () => {
  await revo.close();
});

describe('Revo on the local engine', () => {
  it('starts a run, refuses a bad signal, takes a good one, answers queries, and resolves with the output', async () => {
    const workflow = await revo.load(file('approval.yaml', APPROVAL));
    const run = await revo.start(workflow, { input: { amount: 21 } });
    expect(run.engine).toBe('local');
    expect(run.workflow).toBe('api-approval');
    await expect(run.query('amount')).resolves.toBe(21);

    const refused = await run.signal('approve', { by: 7 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SignalRejectedError);
    expect((refused as SignalRejectedError).reason).toMatch(/does not match its schema/);
    await expect(run.signal('nope')).rejects.toThrow(/declares no signal "nope"/);

    await run.signal('approve', { by: 'ann' });
    await expect(run.result()).resolves.toEqual({ doubled: 42, by: 'ann' });
    const record = await run.record();
    // Refused at the sender: the run never saw them.
    expect(record).toMatchObject({ status: 'completed', rejectedSignals: [] });
    expect(record.signals).toEqual([expect.objectContaining({ name: 'approve', payload: { by: 'ann' } })]);
    expect(record.steps.find((s) => s.key === 'price')).toMatchObject({ status: 'completed', attempts: 1, output: 42 });
    await expect(run.signal('approve', { by: 'bob' })).rejects.toBeInstanceOf(RunEndedError);
  });

  it('a failed run rejects result() with RunFailedError carrying the DSL error', async () => {
    const run = await revo.start(file('approval.yaml', APPROVAL), { input: { amount: 80 } });
    await run.signal('approve', { by: 'ann' });
    const failed = await run.result().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(RunFailedError);
    expect((failed as RunFailedError).error).toMatchObject({ type: 'TooExpensive', step: 'refuse', message: 'too expensive' });
    await expect(run.outcome()).resolves.toMatchObject({ status: 'failed' });
  });

  it('events() yields the history live, in order, from run.started to the end', async () => {
    const run = await revo.start(file('approval.yaml', APPROVAL), { input: { amount: 1 } });
    const seen: HistoryEvent['type'][] = [];
    const following = (async () => {
      for await (const event of run.events()) {
        seen.push(event.type);
        if (event.type === 'step.started' && event.key === 'ask') await run.signal('approve', { by: 'ann' });
      }
    })();
    await run.result();
    await following;
    expect(seen[0]).toBe('run.started');
    expect(seen.at(-1)).toBe('run.completed');
    expect(seen).toContain('signal.received');
  });

  it('cancel() stops a waiting run; an AbortSignal stops waiting, not the run', async () => {
    const run = await revo.start(file('approval.yaml', APPROVAL), { input: { amount: 1 } });
    const stop = new AbortController();
    const waiting = run.result({ signal: stop.signal });
    stop.abort(new Error('gave up waiting'));
    await expect(waiting).rejects.toThrow('gave up waiting');
    await expect(run.query()).resolves.toMatchObject({ status: 'running' });
    await run.cancel('no longer needed');
    await expect(run.outcome()).resolves.toMatchObject({ status: 'cancelled', error: { type: 'Cancelled' } });
  });

  it('getRun from another instance (as another process would) signals, queries and waits through the run files', async () => {
    const run = await revo.start(file('approval.yaml', APPROVAL), { input: { amount: 5 } });
    await waitFor(async () => ((await run.query()) as { currentSteps: string[] }).currentSteps.includes('ask'));
    const other = new Revo({ home: join(dir, '.revo') });
    try {
      const same = await other.getRun(run.runId.slice(0, -2));
      expect(same.runId).toBe(run.runId);
      await expect(same.signal('approve', {})).rejects.toBeInstanceOf(SignalRejectedError);
      await same.signal('approve', { by: 'carol' });
      await expect(same.result()).resolves.toEqual({ doubled: 10, by: 'carol' });
      const listed = await other.listRuns({ workflow: 'api-approval' });
      expect(listed.map((r) => [r.runId, r.status, r.engine])).toEqual([[run.runId, 'completed', 'local']]);
      await expect(other.listRuns({ workflow: 'api-approval', status: 'failed' })).resolves.toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('close() leaves a running run resumable; resume() continues it without repeating the completed call', async () => {
    let calls = 0;
    const counted = defineActivity({ name: 'test.double', input: { type: 'number' }, output: { type: 'number' }, run: async (n: number) => (calls++, n * 2) });
    const first = new Revo({ home: join(dir, '.revo'), activities: [counted] });
    const run = await first.start(file('approval.yaml', APPROVAL), { input: { amount: 3 } });
    await waitFor(async () => ((await run.query()) as { currentSteps: string[] }).currentSteps.includes('ask'));
    await first.close();
    const second = new Revo({ home: join(dir, '.revo'), activities: [counted] });
    try {
      expect((await second.listRuns())[0]).toMatchObject({ runId: run.runId, status: 'interrupted' });
      const found = await second.getRun(run.runId);
      const resumed = await found.resume!();
      expect(resumed.runId).toBe(run.runId);
      expect(await resumed.resume!()).toBe(resumed); // driven already: nothing to do
      await resumed.signal('approve', { by: 'dan' });
      await expect(resumed.result()).resolves.toEqual({ doubled: 6, by: 'dan' });
      expect(calls).toBe(1);
      const events: string[] = [];
      for await (const event of resumed.events()) events.push(event.type);
      expect(events.filter((t) => t === 'run.started')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('refuses bad input with typed errors, and creates no run', async () => {
    const invalid = await revo.load(file('broken.yaml', BROKEN)).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).diagnostics).toEqual([expect.objectContaining({ rule: 'unknown-activity', line: 4, severity: 'error' })]);
    await expect(revo.start(file('approval.yaml', APPROVAL), { input: { amount: 'lots' } })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(revo.getRun('api-approval-nope')).rejects.toBeInstanceOf(RunNotFoundError);
    const runs = await revo.listRuns();
    expect(runs).toHaveLength(0);
    // No Temporal here: a note, not a failure.
    expect(runs.temporalUnavailable).toMatch(/cannot reach Temporal/);
  });

  it('refuses an input or a signal payload over the limits on values (docs/dsl.md#limits-on-values), with typed errors', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const tooDeep = await revo.start(file('approval.yaml', APPROVAL), { input: { amount: 1, deep } as never }).catch((error: unknown) => error);
    expect(tooDeep).toBeInstanceOf(InvalidInputError);
    expect((tooDeep as Error).message).toMatch(/^the input of workflow "api-approval" \(.*approval\.yaml\) nests deeper than 256 levels of arrays and objects, the limit; nothing was run$/);
    const tooLarge = await revo.start(file('approval.yaml', APPROVAL), { input: { amount: 1, rows: ['x'.repeat(1024 * 1024), 'y'.repeat(1024 * 1024)] } }).catch((error: unknown) => error);
    expect(tooLarge).toBeInstanceOf(InvalidInputError);
    expect((tooLarge as Error).message).toContain('is larger than 2 MB as JSON, the limit; nothing was run');
    expect(await revo.listRuns()).toHaveLength(0);

    const run = await revo.start(file('approval.yaml', APPROVAL), { input: { amount: 1 } });
    const refused = await run.signal('approve', { by: 'ann', deep } as never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SignalRejectedError);
    expect((refused as SignalRejectedError).reason).toBe('the payload of signal "approve" nests deeper than 256 levels of arrays and objects, the limit');
    await run.signal('approve', { by: 'ann' });
    await expect(run.result()).resolves.toEqual({ doubled: 2, by: 'ann' });
  });

  it('an activity that throws WorkflowError keeps its type', async () => {
    const picky = defineActivity({
      name: 'test.double',
      input: { type: 'number' },
      output: { type: 'number' },
      run: async () => {
        throw new WorkflowError('NotFound', 'no such price');
      },
    });
    const service = new Revo({ home: join(dir, '.revo'), activities: [picky] });
    try {
      const run = await service.start(file('approval.yaml', APPROVAL), { input: { amount: 1 } });
      await expect(run.result()).rejects.toMatchObject({ error: { type: 'NotFound', step: 'price' } });
    } finally {
      await service.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('routing and priority on the local engine (docs/dsl.md#routing, #priority)', () => {
  const QUOTE = `revo: 1
name: api-quote
priority: { key: 2, fairnessKey: { var: input.tenant } }
steps:
  - { id: price, call: test.double, with: 4, result: doubled, taskQueue: elsewhere, priority: { key: 1 } }
  - { id: quote, call: go.quote, with: { item: bolt, quantity: 2 } }
`;
  const GO_CATALOG = join(import.meta.dirname, '..', 'fixtures', 'go-worker', 'catalog.json');

  it('runs a routed call in-process, ignores priorities, and refuses an external activity, saying why', async () => {
    const local = new Revo({ home: join(dir, '.revo'), activities: [double], catalogs: [GO_CATALOG] });
    try {
      const run = await local.start(file('quote.yaml', QUOTE), { input: { tenant: 'acme' }, priority: { key: 5 } });
      const failed = await run.result().catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(RunFailedError);
      expect((failed as RunFailedError).error).toMatchObject({
        type: 'NotFound',
        step: 'quote',
        message:
          'step "quote" calls "go.quote", which the catalog marks external (served on task queue "revo-go-test"); ' +
          'the local engine runs only activities loaded in this process: run it on Temporal (--engine temporal), docs/dsl.md#routing',
      });
      expect((await run.record()).steps.find((s) => s.key === 'price')).toMatchObject({ status: 'completed', output: 8 });
    } finally {
      await local.close();
    }
  });

  it('refuses a priority key out of range, or a fairness key the input cannot give, before anything starts', async () => {
    const local = new Revo({ home: join(dir, '.revo'), activities: [double], catalogs: [GO_CATALOG] });
    try {
      const path = file('quote.yaml', QUOTE);
      await expect(local.start(path, { input: { tenant: 'acme' }, priority: { key: 7 } })).rejects.toThrow(
        'priority key 7 is out of range: keys run from 1 (runs first) to 5 (runs last)',
      );
      await expect(local.start(path, { input: {} })).rejects.toThrow(
        `${path}: workflow "api-quote": priority.fairnessKey rendered null; it must render to a string (docs/dsl.md#priority)`,
      );
      expect(await local.listRuns()).toHaveLength(0);
    } finally {
      await local.close();
    }
  });
});

describe('children on the local engine', () => {
  it("a wait: false child's returned workflowId is the run id getRun and revo history take", async () => {
    file('kid.yaml', `revo: 1\nname: api-kid\nsteps:\n  - { id: k, set: { done: true } }\noutput: { done: { var: done } }\n`);
    const parent = file(
      'parent.yaml',
      `revo: 1\nname: api-parent\nsteps:\n  - id: fire\n    child: { workflow: ./kid.yaml, wait: false }\n    result: started\noutput: { started: { var: started } }\n`,
    );
    const run = await revo.start(parent);
    const { started } = (await run.result()) as { started: { workflowId: string } };
    await revo.idle();
    const child = await revo.getRun(started.workflowId);
    expect(child.runId).toBe(started.workflowId);
    await expect(child.result()).resolves.toEqual({ done: true });
    expect((await child.record()).parent).toBe(run.runId);
  });
});
