/**
 * A run's history wherever it lives, for the commands that show or rebuild runs
 * (history, replay, rerun): a local journal, or a Temporal workflow for an id that no
 * local run has.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { RunRecord } from '../history/record.js';
import type { RunOrigin } from '../local/engine.js';
import { RunStore } from '../local/store.js';
import type { TemporalFlags } from '../temporal/connection.js';
import { readLocalRun } from '../local/stored-run.js';
import { localRunId } from '../local/run-ids.js';

export interface RunHistory {
  runId: string;
  record: RunRecord;
  /** The definition the run interpreted, by value. */
  bundle: WorkflowBundle;
  events: HistoryEvent[];
  /** Where the run's file and activities came from (local runs). */
  origin?: RunOrigin;
  /** Some process (or Temporal) runs it now; false: a local run nobody holds (interrupted, or ended). */
  held: boolean;
  /** The local journal ended in a partial line (a crash mid-write), which was ignored. */
  cutOff: boolean;
}

export async function runHistory(idOrPrefix: string, flags: TemporalFlags): Promise<RunHistory> {
  const store = new RunStore();
  const runId = localRunId(store, idOrPrefix);
  if (runId !== undefined) {
    const run = readLocalRun(store, runId);
    if (run.record.handovers.length > 0) {
      // It went on on Temporal, whose history starts with the local part: one record for both.
      const { temporalRunHistory } = await import('./temporal-runs.js');
      try {
        return { runId, ...(await temporalRunHistory(runId, flags)), ...(run.head.origin && { origin: run.head.origin }), held: true, cutOff: false };
      } catch (error) {
        const reason = (error as Error).message;
        process.stderr.write(`revo: run ${runId} was handed over to Temporal, which could not be read (${reason}); showing the part run locally\n`);
      }
    }
    return {
      runId,
      record: run.record,
      bundle: run.head.request.bundle,
      events: run.events,
      ...(run.head.origin && { origin: run.head.origin }),
      held: run.holder !== undefined,
      cutOff: run.cutOff,
    };
  }
  const { temporalRunHistory } = await import('./temporal-runs.js');
  // A Temporal run is always held: by Temporal itself.
  return { runId: idOrPrefix, ...(await temporalRunHistory(idOrPrefix, flags)), held: true, cutOff: false };
}
