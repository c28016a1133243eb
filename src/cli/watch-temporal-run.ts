/**
 * Seeing a Temporal run through in the terminal (`revo run --engine temporal`,
 * `revo result`): progress from the run's own events (queried while it runs), the
 * result, and the exit code. The run lives on Temporal: leaving does not stop it.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { RunOutcome } from '../../interpreter/run.js';
import { RunRecorder } from '../history/record.js';
import { followEvents, runOutcome } from '../temporal/client.js';
import { temporalEvents, temporalRecord } from '../temporal/history.js';
import { EXIT_CODES } from './exit-codes.js';
import { useColor, write } from './output.js';
import { outcomeSummary } from './render/outcome.js';
import { createProgressView, type ProgressView } from './progress/index.js';

export interface WatchTemporalOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Where following starts when the run was followed elsewhere first (a local run handed over). */
export interface FollowedSoFar {
  view: ProgressView | undefined;
  recorder: RunRecorder;
  /** Events of the run's history already shown. */
  shown: number;
}

export async function watchTemporalRun(client: Client, handle: WorkflowHandle, options: WatchTemporalOptions, soFar?: FollowedSoFar): Promise<number> {
  const runId = handle.workflowId;
  const view = soFar
    ? soFar.view
    : options.quiet
      ? undefined
      : createProgressView(process.stderr, { tty: process.stderr.isTTY === true, color: useColor(process.stderr), columns: process.stderr.columns, rows: process.stderr.rows });
  const recorder = soFar?.recorder ?? new RunRecorder();
  let shown = soFar?.shown ?? 0;
  const show = (event: HistoryEvent) => {
    shown++;
    recorder.apply(event);
    view?.event(runId, event, recorder.record);
  };
  let ended = false;
  const following = view ? followEvents(handle, show, () => ended, shown) : Promise.resolve();

  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    const say = (text: string) => (view ? view.note(text) : process.stderr.write(`\n${text}\n`));
    if (interrupts === 1) {
      say(`revo: cancelling run ${runId} on Temporal (compensations run first). Press Ctrl-C again to leave it running there.`);
      handle.cancel().catch((err: Error) => say(`revo: could not cancel: ${err.message}`));
      return;
    }
    view?.close();
    process.stderr.write(`revo: left run ${runId}, which goes on on Temporal; wait for it with: revo result ${runId}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onInterrupt);
  let outcome: RunOutcome;
  let events: HistoryEvent[] = [];
  try {
    outcome = await runOutcome(handle);
    ended = true;
    await following;
    // The last events came after the last poll: the ended run's history has them all.
    if (view || options.json) events = await temporalEvents(client, runId);
    for (const event of events.slice(shown)) show(event);
  } finally {
    ended = true;
    process.off('SIGINT', onInterrupt);
    view?.close();
  }
  if (options.json) {
    await write(process.stdout, `${JSON.stringify(await temporalRecord(client, runId, events), null, 2)}\n`);
  } else {
    await write(process.stdout, outcomeSummary(runId, outcome));
  }
  return outcome.status === 'completed' ? EXIT_CODES.ok : EXIT_CODES.failed;
}
