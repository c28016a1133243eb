/**
 * A local run handed over to Temporal mid-run (`--engine auto`) ends as it would have
 * on one engine: the Temporal part answers from the local journal for everything done
 * (no activity runs twice), carries on from the next step — in-flight timers keep
 * their due time, signals received locally are still there, compensations registered
 * locally still run — and its history holds the local part, so one record covers both.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { continueOnTemporal } from '../../src/auto/handover.js';
import type { RunRecord } from '../../src/history/record.js';
import { LocalEngine, type LocalRun } from '../../src/local/engine.js';
import { RunStore } from '../../src/local/store.js';
import { runOutcome } from '../../src/temporal/client.js';
import { temporalRecord } from '../../src/temporal/history.js';
import { delays, fails, runWorkflow, testActivity, testBundle } from '../engine/harness.js';
import { revoMetrics } from '../../src/telemetry/metrics.js';
import { until } from '../process-helpers.js';
import { sample, temporalEnv, type TemporalTestEnv } from './harness.js';

const work = testActivity('t.work');
const slow = testActivity('t.slow', { otherwise: delays(400) });
const undo = testActivity('t.undo');
const flaky = testActivity('t.flaky', { decide: (input) => ((input as { fail?: boolean }).fail ? fails('Broken', { nonRetryable: true }) : { kind: 'echo' }) });
const ACTIVITIES = [work, slow, undo, flaky];

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await temporalEnv(ACTIVITIES);
});
afterAll(async () => {
  await env?.close();
});

const MIX = `revo: 1
name: handover-mix
signals:
  go: { schema: { type: object, required: [n], properties: { n: { type: integer } } } }
input: { type: object, properties: { fail: { type: boolean } } }
defaults: { retry: { maxAttempts: 2, initialInterval: 100ms } }
steps:
  - id: a
    call: t.work
    with: { step: a }
    compensate: [{ id: undoA, call: t.undo, with: { step: a } }]
  - id: loop
    foreach: [1, 2, 3]
    steps: [{ id: each, call: t.work, with: { step: each, item: { var: item } } }]
  - id: both
    parallel:
      - id: left
        steps: [{ id: slowOne, call: t.slow, with: { step: slowOne } }]
      - id: right
        steps:
          - { id: nap, sleep: 1s }
          - { id: afterNap, call: t.work, with: { step: afterNap } }
  - { id: gate, wait: { signal: go }, result: go }
  - { id: b, call: t.work, with: { step: b, n: { var: go.n } } }
  - { id: maybeFail, call: t.flaky, with: { step: maybeFail, fail: { var: input.fail } } }
output: { n: { var: go.n } }
`;

const BOUNDARIES = new Set(['step.completed', 'step.failed', 'step.skipped']);

interface HandOverResult {
  record: RunRecord;
  status: string;
  local: LocalRun;
  localEvents: HistoryEvent[];
}

/**
 * Runs `yaml` locally with a journal, hands it over after its `after`-th step boundary,
 * and lets Temporal finish it; `signal` is sent to the local run before the hand-over.
 */
async function handOverAfter(yaml: string, after: number, input: Json, signal?: { name: string; payload: Json }): Promise<HandOverResult> {
  const store = new RunStore(mkdtempSync(join(tmpdir(), 'revo-handover-')));
  let boundaries = 0;
  let handing: Promise<boolean> | undefined;
  const localEvents: HistoryEvent[] = [];
  const engine = new LocalEngine({
    activities: new Map([...BUILTIN_ACTIVITIES, ...ACTIVITIES].map((d) => [d.name, d])),
    store,
    onEvent: (run, event) => {
      localEvents.push(event);
      if (BOUNDARIES.has(event.type) && ++boundaries === after) handing = run.handOver('temporal', 'test');
    },
  });
  const run = engine.start({ bundle: testBundle(yaml, { activities: ACTIVITIES }), input });
  if (signal) run.signal(signal.name, signal.payload);
  const localEnd = run.done.then(() => false);
  while (!handing) {
    const ended = await Promise.race([localEnd, new Promise((resolve) => setTimeout(() => resolve(undefined), 10))]);
    if (ended === false) throw new Error('the run ended before the hand-over');
  }
  expect(await handing).toBe(true);
  const { handle } = await continueOnTemporal(env.client, env.settings, store, run.runId);
  const outcome = await runOutcome(handle);
  return { record: await temporalRecord(env.client, run.runId), status: outcome.status, local: run, localEvents };
}

/** What must match between engines: status, output, error type, and each step's status and attempts. */
function essence(record: RunRecord) {
  return {
    status: record.status,
    output: record.output,
    error: record.error?.type,
    steps: record.steps.map((s) => `${s.key}:${s.status}:${s.attempts ?? '-'}`).sort(),
    compensations: [...record.compensations].sort(),
  };
}

function resetCounts(): void {
  for (const activity of ACTIVITIES) activity.calls.length = 0;
}

/** Calls per step key of all test activities (local and Temporal worker: same process). */
function callsByStep(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const activity of ACTIVITIES) {
    for (const call of activity.calls) {
      const key = `${activity.name}:${JSON.stringify(call.input)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

describe('a local run handed over to Temporal', () => {
  // After the 1st boundary only `a` is done (the signal, received locally, is taken on Temporal).
  // After the 6th the left branch is done and the right one sleeps: the timer started locally
  // fires on Temporal at its due time. After the 12th the signal was taken locally.
  for (const after of [1, 6, 12]) {
    it(`after step boundary ${after}: completes on Temporal with the record of a one-engine run, and no activity runs twice`, async () => {
      resetCounts();
      const reference = await runWorkflow(MIX, { activities: ACTIVITIES, input: {}, before: (run) => run.signal('go', { n: 7 }) });
      const referenceCalls = callsByStep();
      resetCounts();
      const handovers = () => sample(revoMetrics.text(), 'revo_handovers_total', { workflow: 'handover-mix', from: 'local', to: 'temporal' });
      const countedBefore = handovers();
      const { record, status, localEvents } = await handOverAfter(MIX, after, {}, { name: 'go', payload: { n: 7 } });
      // The worker (in this process) counted the hand-over once (docs/temporal.md#metrics).
      await until(() => handovers() === countedBefore + 1, 'the hand-over to be counted');
      expect(status).toBe('completed');
      expect(essence(record)).toEqual(essence(reference.record));
      expect(record.output).toEqual({ n: 7 });
      // Every activity ran exactly as often as in the one-engine run: once each.
      expect(callsByStep()).toEqual(referenceCalls);
      expect([...callsByStep().values()].every((n) => n === 1)).toBe(true);

      // One record: the local part, the hand-over, then the Temporal part; each step says where it ran.
      expect(record.handovers).toEqual([expect.objectContaining({ from: 'local', to: 'temporal', reason: 'test' })]);
      expect(record.engine).toBe('temporal');
      expect(record.trigger.by).toBe('cli');
      const doneLocally = new Set(localEvents.filter((e) => e.type === 'step.completed').map((e) => (e as { key: string }).key));
      for (const step of record.steps.filter((s) => s.kind !== 'branch')) {
        expect(step.engine, step.key).toBe(doneLocally.has(step.key) ? 'local' : 'temporal');
      }
      expect(record.steps.filter((s) => s.engine === 'temporal').length).toBeGreaterThan(0);
    });
  }

  it('a failure on Temporal runs the compensations registered on the local engine', async () => {
    resetCounts();
    const { record, status } = await handOverAfter(MIX, 2, { fail: true }, { name: 'go', payload: { n: 1 } });
    expect(status).toBe('failed');
    expect(record.error?.type).toBe('Broken');
    expect(record.compensations).toEqual(['a']);
    expect(undo.calls.map((c) => c.input)).toEqual([{ step: 'a' }]);
    expect(record.steps.find((s) => s.key === 'a')).toMatchObject({ status: 'compensated', engine: 'local' });
  });

  it('starting the Temporal part again (a crash between hand-over and start) finds the run instead of starting it twice', async () => {
    resetCounts();
    const store = new RunStore(mkdtempSync(join(tmpdir(), 'revo-handover-')));
    const engine = new LocalEngine({ activities: new Map([...BUILTIN_ACTIVITIES, ...ACTIVITIES].map((d) => [d.name, d])), store });
    const run = engine.start({ bundle: testBundle(MIX, { activities: ACTIVITIES }), input: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await run.handOver('temporal', 'test')).toBe(true);
    const first = await continueOnTemporal(env.client, env.settings, store, run.runId);
    const second = await continueOnTemporal(env.client, env.settings, store, run.runId);
    expect(second.handle.workflowId).toBe(first.handle.workflowId);
    await first.handle.signal('go', { n: 2 });
    expect(await runOutcome(second.handle)).toEqual({ status: 'completed', output: { n: 2 } });
    const { executions } = await env.client.workflowService.listWorkflowExecutions({ namespace: env.settings.namespace, query: `WorkflowId = '${run.runId}'` });
    expect(executions).toHaveLength(1);
    // Done later, after the run ended: still refused, not started afresh.
    await expect(continueOnTemporal(env.client, env.settings, store, run.runId)).resolves.toBeDefined();
    const after = await env.client.workflowService.listWorkflowExecutions({ namespace: env.settings.namespace, query: `WorkflowId = '${run.runId}'` });
    expect(after.executions).toHaveLength(1);
  });
});
