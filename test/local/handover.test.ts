/**
 * The local side of a hand-over (`LocalRun.handOver`): the run is brought to a step
 * boundary with nothing under way — new operations wait, activities already running
 * finish and are journaled — then the hand-over is journaled and the run stops here.
 * A cancellation or the run's end meanwhile calls it off, and the run goes on locally.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { forwardInbox } from '../../src/auto/handover.js';
import { TemporalProbe } from '../../src/auto/probe.js';
import { HandedOverError, LocalEngine } from '../../src/local/engine.js';
import { sendToInbox } from '../../src/local/inbox.js';
import { readJournal } from '../../src/local/journal.js';
import { RunStore } from '../../src/local/store.js';
import { temporalSettings } from '../../src/temporal/connection.js';
import { deferred, gated, testActivity, testBundle, type TestActivity } from '../engine/harness.js';

const PARALLEL = `revo: 1
name: two-branches
steps:
  - id: both
    parallel:
      - id: left
        steps: [{ id: l1, call: t.left }, { id: l2, call: t.left }]
      - id: right
        steps: [{ id: r1, call: t.right }, { id: r2, call: t.right }]
  - { id: after, call: t.left }
`;

function engineWith(activities: TestActivity[]) {
  const store = new RunStore(mkdtempSync(join(tmpdir(), 'revo-park-')));
  const engine = new LocalEngine({ activities: new Map([...BUILTIN_ACTIVITIES, ...activities].map((d) => [d.name, d])), store });
  const start = () => engine.start({ bundle: testBundle(PARALLEL, { activities }), input: {} });
  const journal = (runId: string) => readJournal(store.journalPath(runId)).entries;
  return { store, start, journal };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('handing a local run over', () => {
  it('waits for the activities under way, starts no new one, then journals the hand-over and stops', async () => {
    const gate = deferred();
    const left = testActivity('t.left', { script: [gated(gate.promise)] });
    const right = testActivity('t.right');
    const { start, journal } = engineWith([left, right]);
    const run = start();
    await settle(); // l1 waits at its gate; the right branch has finished
    expect(right.count).toBe(2);
    let handedOver: boolean | undefined;
    const handing = run.handOver('temporal', 'test').then((ok) => (handedOver = ok));
    await settle();
    expect(handedOver).toBeUndefined(); // l1 is still under way
    gate.resolve();
    await handing;
    expect(handedOver).toBe(true);
    // l1 finished and was journaled; l2 (the next operation) never started here.
    expect(left.count).toBe(1);
    const entries = journal(run.runId);
    expect(entries.filter((e) => e.type === 'activity.completed').map((e) => e.key)).toEqual(['r1', 'r2', 'l1']);
    expect(entries.at(-1)).toMatchObject({ type: 'engine.handover', from: 'local', to: 'temporal', reason: 'test' });
    expect(run.record.handovers).toHaveLength(1);
    await settle();
    expect(left.count).toBe(1);
  });

  it('is called off by a cancellation meanwhile: the run then goes on locally and ends cancelled', async () => {
    const gate = deferred();
    const left = testActivity('t.left', { script: [gated(gate.promise)] });
    const right = testActivity('t.right');
    const { start, journal } = engineWith([left, right]);
    const run = start();
    await settle();
    const handing = run.handOver('temporal', 'test');
    run.cancel('stop');
    gate.resolve();
    expect(await handing).toBe(false);
    expect(await run.done).toMatchObject({ status: 'cancelled' });
    expect(journal(run.runId).some((e) => e.type === 'engine.handover')).toBe(false);
  });

  it('is called off when the run ends meanwhile', async () => {
    const left = testActivity('t.left');
    const right = testActivity('t.right');
    const { start } = engineWith([left, right]);
    const run = start();
    expect(await run.done).toMatchObject({ status: 'completed' });
    expect(await run.handOver('temporal', 'test')).toBe(false);
  });

  it('leaves a journal the local engine refuses to resume: the run is Temporal’s now', async () => {
    const { store, start } = engineWith([testActivity('t.left'), testActivity('t.right')]);
    const run = start();
    expect(await run.handOver('temporal', 'test')).toBe(true);
    const other = new LocalEngine({ activities: new Map(), store });
    expect(() => other.resume(run.runId)).toThrow(HandedOverError);
  });
});

describe('what arrives in the inbox after a hand-over', () => {
  it('is passed on to the Temporal run: signals and cancellation', async () => {
    const left = testActivity('t.left');
    const { store, start } = engineWith([left, testActivity('t.right')]);
    const run = start();
    await run.done;
    const sent: string[] = [];
    const handle = {
      signal: async (name: string, payload: unknown) => void sent.push(`signal ${name} ${JSON.stringify(payload)}`),
      cancel: async () => void sent.push('cancel'),
    } as unknown as WorkflowHandle;
    const stop = forwardInbox(store, run.runId, handle, (problem) => sent.push(`problem ${problem}`));
    sendToInbox(store.inboxPath(run.runId), { kind: 'signal', id: '1', name: 'go', payload: { n: 1 }, sentAt: Date.now() });
    sendToInbox(store.inboxPath(run.runId), { kind: 'cancel', id: '2', reason: 'no', sentAt: Date.now() });
    const deadline = Date.now() + 3_000;
    while (sent.length < 2 && Date.now() < deadline) await settle();
    stop();
    expect(sent).toEqual(['signal go {"n":1}', 'cancel']);
  });
});

describe('checking whether Temporal is back', () => {
  it('backs off after each failed check, doubling up to the maximum', async () => {
    let now = 0;
    const probe = new TemporalProbe(temporalSettings({ address: '127.0.0.1:1' }, {}), { REVO_AUTO_PROBE_MAX_MS: '3000' }, () => now);
    expect(probe.due).toBe(true);
    expect(await probe.check()).toEqual({ problem: 'nothing answers at 127.0.0.1:1' });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const from = now;
      while (!probe.due) now += 100;
      waits.push(now - from);
      await probe.check();
    }
    expect(waits).toEqual([1000, 2000, 3000, 3000]);
  });
});
