/**
 * Re-running from a step across engines, against the real dev server
 * (docs/replay.md#re-run-from-a-step): a failed run re-run from the failed step with a
 * fixed definition completes — Temporal → Temporal, local → Temporal, Temporal → local —
 * its earlier activities are not called again (the test activities count their calls)
 * and the new run's Temporal history has no activity, timer or signal for them; the
 * reused steps are marked in its record; a local re-run handed over to Temporal goes on
 * reusing there; and the refusals (unknown run, step not reached, a run still running)
 * start no run on either engine.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { continueOnTemporal } from '../../src/auto/handover.js';
import { RerunRefusedError, Revo, RunNotFoundError, type RunRecord } from '../../src/index.js';
import { LocalEngine } from '../../src/local/engine.js';
import { readLocalRun } from '../../src/local/stored-run.js';
import { RunStore } from '../../src/local/store.js';
import { rerunFrom } from '../../src/replay/rerun-from.js';
import { runOutcome, startRun } from '../../src/temporal/client.js';
import { temporalRecord } from '../../src/temporal/history.js';
import { fails, testActivity, testBundle, type TestActivity } from '../engine/harness.js';
import { eventually, temporalEnv, type TemporalTestEnv } from './harness.js';

const charge = testActivity('rr.charge');
const reserve = testActivity('rr.reserve');
const invoice = testActivity('rr.invoice', { decide: (input) => ((input as { currency?: string }).currency ? { kind: 'echo' } : fails('BadInput', { nonRetryable: true })) });
const ACTIVITIES: TestActivity[] = [charge, reserve, invoice];

const flow = (name: string) => `revo: 1
name: ${name}
signals:
  approve: { schema: { type: object } }
steps:
  - { id: charge, call: rr.charge, with: { amount: 5 }, result: payment }
  - { id: gate, wait: { signal: approve }, result: approval }
  - { id: nap, sleep: 1s }
  - id: lines
    foreach: [1, 2]
    steps: [{ id: reserve, call: rr.reserve, with: { line: { var: item }, by: { var: approval.by } } }]
  - { id: invoice, call: rr.invoice, with: { amount: { var: payment.amount } }, result: bill }
output: { bill: { var: bill } }
`;
const fixed = (text: string) => text.replace('with: { amount: { var: payment.amount } }', 'with: { amount: { var: payment.amount }, currency: EUR }');
const REUSED = ['charge', 'gate', 'nap', 'lines', 'lines[0]/reserve', 'lines[1]/reserve'];

let env: TemporalTestEnv;
let dir: string;
let revo: Revo;
beforeAll(async () => {
  env = await temporalEnv(ACTIVITIES);
  dir = mkdtempSync(join(tmpdir(), 'revo-rerun-temporal-'));
  revo = new Revo({ home: join(dir, '.revo'), activities: ACTIVITIES, temporal: { address: env.settings.address, taskQueue: env.settings.taskQueue } });
});
afterAll(async () => {
  await revo?.close();
  await env?.close();
});

const calls = () => ACTIVITIES.map((a) => a.count);
const reusedKeys = (record: RunRecord) => record.steps.filter((s) => s.reused).map((s) => s.key);

/** A run of `flow(name)` on `engine`, approved, failed at `invoice`; and the fixed file. */
async function failedRun(name: string, engine: 'local' | 'temporal'): Promise<{ runId: string; fixedFile: string }> {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, flow(name));
  const run = await revo.start(path, { engine });
  await run.signal('approve', { by: 'ann' });
  expect(await run.outcome()).toMatchObject({ status: 'failed', error: { type: 'BadInput', step: 'invoice' } });
  const fixedFile = join(dir, `${name}.fixed.yaml`);
  writeFileSync(fixedFile, fixed(flow(name)));
  return { runId: run.runId, fixedFile };
}

/** What a Temporal run's history holds: the activities it scheduled, its timers, the signals it took. */
async function commandsOf(workflowId: string): Promise<{ activities: string[]; timers: number; signals: number }> {
  const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  return {
    activities: events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [])),
    timers: events.filter((e) => e.timerStartedEventAttributes).length,
    // `revo` sends a signal as an Update (docs/temporal.md#signals-as-updates).
    signals: events.filter((e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes).length,
  };
}

describe('re-running from a step across engines', () => {
  for (const [from, to] of [
    ['temporal', 'temporal'],
    ['local', 'temporal'],
    ['temporal', 'local'],
  ] as const) {
    it(`${from} → ${to}: the fixed run completes, nothing before the step runs again, the reused steps are marked`, async () => {
      const { runId, fixedFile } = await failedRun(`rr-${from}-${to}-${Date.now()}`, from);
      const [charges, reserves, invoices] = calls();
      const run = await revo.rerun(runId, { from: 'invoice', definition: fixedFile, engine: to });
      expect(run.engine).toBe(to);
      // No signal is sent: the wait before the step answers from the record.
      await expect(run.result()).resolves.toEqual({ bill: { amount: 5, currency: 'EUR' } });
      expect(calls()).toEqual([charges, reserves, invoices! + 1]);
      const record = await run.record();
      expect(record).toMatchObject({ engine: to, trigger: { by: `rerun:${runId}@invoice` }, rerun: { of: runId, from: 'invoice' }, status: 'completed' });
      expect(reusedKeys(record)).toEqual(REUSED);
      expect(record.steps.find((s) => s.key === 'invoice')).toMatchObject({ status: 'completed', attempts: 1 });
      expect(record.steps.find((s) => s.key === 'invoice')!.reused).toBeUndefined();
      if (to === 'temporal') {
        // One activity (invoice), no timer, no signal: the reused steps issued no command.
        expect(await commandsOf(run.runId)).toEqual({ activities: ['rr.invoice'], timers: 0, signals: 0 });
        // Rebuilt from the history, as `revo history` does, with the marks; and replays identically.
        expect(reusedKeys(await temporalRecord(env.client, run.runId))).toEqual(REUSED);
        const verdict = await revo.replay(run.runId);
        expect(verdict.divergence).toBeUndefined();
        expect(verdict.temporalProblem).toBeUndefined();
      }
    });
  }

  it('the recorded Temporal run, for comparison, scheduled every activity, its timer and got its signal', async () => {
    const { runId } = await failedRun(`rr-plain-${Date.now()}`, 'temporal');
    expect(await commandsOf(runId)).toEqual({ activities: ['rr.charge', 'rr.reserve', 'rr.reserve', 'rr.invoice'], timers: 1, signals: 1 });
  });

  it('a re-run that continues as new during the reused steps carries the plan into the next run', async () => {
    const LOOP = `revo: 1
name: rr-loop
steps:
  - id: lines
    foreach: [1, 2, 3, 4]
    steps: [{ id: reserve, call: rr.reserve, with: { line: { var: item } } }]
  - { id: invoice, call: rr.invoice, with: { amount: 1 }, result: bill }
output: { bill: { var: bill } }
`;
    const recorded = await env.run(LOOP, { continueAfterEvents: 1 });
    expect(recorded.outcome).toMatchObject({ status: 'failed', error: { type: 'BadInput' } });
    const source = await (await import('../../src/replay/source.js')).replaySource(revo, recorded.handle.workflowId);
    const bundle = testBundle(LOOP.replace('with: { amount: 1 }', 'with: { amount: 1, currency: EUR }'), { activities: ACTIVITIES });
    const { plan } = await rerunFrom(source, 'invoice', bundle, 'the fixed text');
    const before = calls();
    const handle = await startRun(env.client, env.settings, { bundle, input: {}, trigger: { by: `rerun:${source.runId}@invoice`, input: {} }, reuse: plan, continueAfterEvents: 1 });
    expect(await runOutcome(handle)).toEqual({ status: 'completed', output: { bill: { amount: 1, currency: 'EUR' } } });
    expect(calls()).toEqual([before[0], before[1], before[2]! + 1]);
    const record = await temporalRecord(env.client, handle.workflowId);
    expect(reusedKeys(record)).toEqual(['lines', 'lines[0]/reserve', 'lines[1]/reserve', 'lines[2]/reserve', 'lines[3]/reserve']);
    // It did continue as new: more than one run in its chain.
    const { fetchHistories } = await import('../../src/temporal/history.js');
    expect((await fetchHistories(env.client, handle.workflowId)).length).toBeGreaterThan(1);
  });

  it('a local re-run handed over to Temporal goes on answering the steps before the step from the recorded run there', async () => {
    const name = `rr-handover-${Date.now()}`;
    const store = new RunStore(join(dir, '.revo'));
    let handing: Promise<boolean> | undefined;
    const engine = new LocalEngine({
      activities: new Map([...BUILTIN_ACTIVITIES, ...ACTIVITIES].map((d) => [d.name, d])),
      store,
      onEvent: (run, event) => {
        if (event.type === 'step.started' && (event as { key: string }).key === 'lines[1]/reserve' && run.request.bundle.definition.name === name && (run.record.trigger.by ?? '').startsWith('rerun:')) {
          handing ??= run.handOver('temporal', 'test');
        }
      },
    });
    const first = engine.start({ bundle: testBundle(flow(name), { activities: ACTIVITIES }), input: {} });
    first.signal('approve', { by: 'bob' });
    expect(await first.done).toMatchObject({ status: 'failed' });
    const recorded = readLocalRun(store, first.runId);
    const bundle = testBundle(fixed(flow(name)), { activities: ACTIVITIES });
    const { from, plan } = await rerunFrom(
      { label: 'test', runId: first.runId, engine: 'local', bundle: recorded.head.request.bundle, input: {}, events: recorded.events },
      'lines[1]/reserve',
      bundle,
      'the fixed file',
    );
    expect(from).toBe('lines[1]/reserve');
    const before = calls();
    const rerun = engine.start({ bundle, input: {} }, { trigger: `rerun:${first.runId}@${from}`, reuse: plan });
    while (!handing) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await handing).toBe(true);
    const { handle } = await continueOnTemporal(env.client, env.settings, store, rerun.runId);
    expect(await runOutcome(handle)).toEqual({ status: 'completed', output: { bill: { amount: 5, currency: 'EUR' } } });
    // charge and lines[0]/reserve were reused (locally, then on Temporal again); lines[1]/reserve and invoice ran once.
    expect(calls()).toEqual([before[0], before[1]! + 1, before[2]! + 1]);
    const record = await temporalRecord(env.client, rerun.runId);
    expect(reusedKeys(record)).toEqual(['charge', 'gate', 'nap', 'lines[0]/reserve']);
    expect(record.steps.find((s) => s.key === 'invoice')).toMatchObject({ status: 'completed', engine: 'temporal' });
  });
});

describe('re-running from a step refuses bad input on Temporal too, and starts no run', () => {
  it('an unknown run id, a step not reached, a run still running', async () => {
    const name = `rr-refuse-${Date.now()}`;
    const { runId } = await failedRun(name, 'temporal');
    const listed = async () => {
      const ids: string[] = [];
      for await (const w of env.client.workflow.list({ query: `TaskQueue = "${env.settings.taskQueue}"` })) ids.push(w.workflowId);
      return ids.sort();
    };
    const localRuns = () => readdirSync(join(dir, '.revo', 'runs')).sort();
    const running = await revo.start(join(dir, `${name}.yaml`), { engine: 'temporal' });
    const before = await eventually(async () => {
      const ids = await listed();
      return ids.includes(running.runId) && ids;
    }, 'the runs to be listed');
    const local = localRuns();

    await expect(revo.rerun(`${name}-no-such-run`, { from: 'invoice' })).rejects.toBeInstanceOf(RunNotFoundError);
    const notReached = await revo.rerun(runId, { from: 'thanks' }).then(() => undefined, (e: unknown) => e as Error);
    expect(notReached).toBeInstanceOf(RerunRefusedError);
    expect(notReached!.message).toMatch(/has no step "thanks"/);
    const notInstance = await revo.rerun(runId, { from: 'lines[4]/reserve' }).then(() => undefined, (e: unknown) => e as Error);
    expect(notInstance!.message).toMatch(/that instance was not reached in the run; step "reserve" ran as "lines\[0\]\/reserve", "lines\[1\]\/reserve"/);
    await expect(revo.rerun(running.runId, { from: 'charge' })).rejects.toThrow(/the run has not ended/);

    // Listing is eventually consistent: give a stray start time to show up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await listed()).toEqual(before);
    expect(localRuns()).toEqual(local);
    await running.cancel();
  });
});
