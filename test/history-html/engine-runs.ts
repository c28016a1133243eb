/**
 * Runs for the page's unit tests, made by the real local engine (virtual clock): the
 * order fixture with scripted activities and hostile values, with a hand-over and a
 * rejected signal put into its events before folding (as `--engine auto` and a bad
 * `revo signal` write them); a cancelled run; and a run cut off while going on.
 */
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { historyExport, type HistoryExport } from '../../src/history/export.js';
import { RunRecorder } from '../../src/history/record.js';
import { fails, runWorkflow, testActivity, testBundle, workflow } from '../engine/harness.js';
import { HOSTILE, orderWorkflow } from './fixture.js';

export const SIGNAL: Json = { by: 'ann', note: HOSTILE };

/** The events as the engine wrote them, without the run id the harness adds to each (run.started has its own). */
const plain = (events: (HistoryEvent & { runId: string })[]): HistoryEvent[] =>
  events.map(({ runId, ...event }) => (event.type === 'run.started' ? { ...event, runId } : event) as HistoryEvent);

function activities() {
  return [
    testActivity('test.flaky', {
      script: [fails('Transient', { message: 'payment provider unavailable' }), fails('Transient', { message: `provider said ${HOSTILE}` })],
    }),
    testActivity('test.ok'),
    testActivity('test.broken', { otherwise: fails('Unavailable', { message: `no carrier ${HOSTILE}`, nonRetryable: true }) }),
  ];
}

/** The order run as the engine made it (the signal was sent before the wait, so it waited for nothing). */
export async function orderEvents(): Promise<{ events: HistoryEvent[]; bundle: HistoryExport['bundle'] }> {
  const yaml = orderWorkflow(HOSTILE);
  const list = activities();
  const { events } = await runWorkflow(yaml, { activities: list, before: (run) => run.signal('approve', SIGNAL) });
  return { events: plain(events), bundle: testBundle(yaml, { activities: list }) };
}

/** The order run with a hand-over right after `lines` and a rejected signal right after `note` put in. */
export async function orderExport(options: { handover?: boolean; rejected?: boolean } = { handover: true, rejected: true }): Promise<HistoryExport> {
  const { events, bundle } = await orderEvents();
  const after = (key: string) => events.findIndex((e) => e.type === 'step.completed' && e.key === key);
  if (options.handover) {
    const i = after('lines');
    events.splice(i + 1, 0, { type: 'engine.handover', from: 'local', to: 'temporal', reason: `reachable again ${HOSTILE}`, at: events[i]!.at! });
  }
  if (options.rejected) {
    const i = after('note');
    events.splice(i + 1, 0, { type: 'signal.rejected', name: 'approve', reason: `the payload ${HOSTILE} does not match`, at: events[i]!.at! });
  }
  return historyExport(RunRecorder.fold(events), bundle, events);
}

/** A run cancelled during a sleep, after a step with a compensation. */
export async function cancelledExport(): Promise<HistoryExport> {
  const yaml = workflow(`
    - { id: book, call: core.echo, with: { seat: 12 }, compensate: [{ id: unbook, call: core.echo, with: { seat: 12 } }] }
    - { id: nap, sleep: 1h }
  `);
  const { events } = await runWorkflow(yaml, {
    onEvent: (event, run) => {
      if (event.type === 'step.started' && event.key === 'nap') queueMicrotask(() => run.cancel(`operator said ${HOSTILE}`));
    },
  });
  return historyExport(RunRecorder.fold(plain(events)), testBundle(yaml), plain(events));
}

/** The order run's events up to (not including) the first `step.completed` of `key`: the run and that step are still going on. */
export async function runningExport(key: string): Promise<HistoryExport> {
  const { events, bundle } = await orderEvents();
  const cut = events.slice(0, events.findIndex((e) => e.type === 'step.completed' && e.key === key));
  return historyExport(RunRecorder.fold(cut), bundle, cut);
}
