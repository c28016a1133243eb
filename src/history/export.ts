/**
 * The file `revo history <runId> --json` writes: the run record (docs/history.md#the-run-record) plus what
 * rebuilds it — the definition as it ran and every history event — so `revo replay`
 * and `revo rerun` can work from the file alone, on any machine.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { RunRecord } from './record.js';

export const HISTORY_FORMAT = 'revo.history/1';

export interface HistoryExport extends RunRecord {
  format: typeof HISTORY_FORMAT;
  /** The definition (with its children) the run interpreted, by value. */
  bundle: WorkflowBundle;
  /** The run's history events in order: the record is their fold. */
  events: HistoryEvent[];
}

export function historyExport(record: RunRecord, bundle: WorkflowBundle, events: HistoryEvent[]): HistoryExport {
  return { ...record, format: HISTORY_FORMAT, bundle, events };
}
