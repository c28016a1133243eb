/**
 * A run's history wherever it lives (Revo.history, `revo history`, replay, rerun): a
 * local journal, or a Temporal workflow for an id that no local run has, or both for a
 * run handed over.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { RunRecord } from '../history/record.js';
import type { RunOrigin } from '../local/engine.js';
import { archivedHistory } from '../local/archive.js';
import { readLocalRun } from '../local/stored-run.js';
import { localRunId } from '../local/run-ids.js';
import type { Revo } from './revo.js';

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

export async function runHistory(revo: Revo, idOrPrefix: string): Promise<RunHistory> {
  const { store } = revo;
  const runId = localRunId(store, idOrPrefix);
  if (runId !== undefined) {
    const run = readLocalRun(store, runId);
    if (run.record.handovers.length > 0) {
      // It went on on Temporal, whose history starts with the local part: one record for both.
      // Archived, it has ended there for good: the archive has all of it, and Temporal is not asked.
      const archived = revo.archive.read(runId);
      if (archived) return { runId, ...archivedHistory(archived), ...(run.head.origin && { origin: run.head.origin }), held: false, cutOff: false };
      try {
        return { runId, ...(await temporalRunHistory(revo, runId)), ...(run.head.origin && { origin: run.head.origin }), held: true, cutOff: false };
      } catch (error) {
        revo.notice(`run ${runId} was handed over to Temporal, which could not be read (${(error as Error).message}); showing the part run locally`);
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
  // An archived run has closed for good: its archive is the whole record, whether Temporal still has it or not.
  const archived = revo.archive.read(idOrPrefix);
  if (archived) return { runId: idOrPrefix, ...archivedHistory(archived), held: false, cutOff: false };
  // A Temporal run is always held: by Temporal itself.
  return { runId: idOrPrefix, ...(await temporalRunHistory(revo, idOrPrefix)), held: true, cutOff: false };
}

/** A Temporal run's record, with the definition it ran and its events (the export of `revo history --json`). */
async function temporalRunHistory(revo: Revo, runId: string): Promise<Pick<RunHistory, 'record' | 'bundle' | 'events'>> {
  const run = await revo.temporalRun(runId);
  const events = await run.history();
  const [record, { bundle }] = await Promise.all([run.record(events), run.startArgument()]);
  return { record, bundle, events };
}
