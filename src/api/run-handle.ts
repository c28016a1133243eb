/**
 * A run, wherever it runs: the one handle the API returns for every engine
 * (docs/api.md#runhandle). The CLI's commands are thin shells over it.
 */
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { RunOutcome } from '../../interpreter/run.js';
import type { RunRecord } from '../history/record.js';

/** Where a run runs now. */
export type EngineName = 'local' | 'temporal';

export interface WaitOptions {
  /** Stops waiting (the run goes on); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface EventsOptions extends WaitOptions {
  /** Index of the first event to yield (0: from `run.started`). */
  from?: number;
}

export interface RunHandle {
  /** The run's id: the id `revo history`, `getRun` and every command take. */
  readonly runId: string;
  /** The engine the run is on now; after an `auto` hand-over, `temporal`. */
  readonly engine: EngineName;
  /** The workflow's name. */
  readonly workflow: string;

  /**
   * Sends a signal; the payload is checked against the signal's schema first. A refused
   * signal throws SignalRejectedError and the run is unaffected; an ended run, RunEndedError.
   */
  signal(name: string, payload?: Json): Promise<void>;
  /** The built-in `state` query (status, current steps, variables, completed steps) or a declared one. */
  query(name?: string): Promise<Json>;
  /** Asks the run to cancel: running steps stop, `finally` blocks and compensations run, it ends `cancelled`. */
  cancel(reason?: string): Promise<void>;
  /** Waits for the end and resolves with the output; a failed or cancelled run rejects with RunFailedError. */
  result(options?: WaitOptions): Promise<Json>;
  /** Waits for the end and resolves with how it ended, without throwing for a failed run. */
  outcome(options?: WaitOptions): Promise<RunOutcome>;
  /** The run record (docs/history.md#the-run-record) as of now. */
  record(): Promise<RunRecord>;
  /** The run's history events in order, live until the run ends (or `signal` aborts). */
  events(options?: EventsOptions): AsyncIterable<HistoryEvent>;
  /**
   * For a local run nobody drives now (interrupted): continue it in this process from its
   * journal, as `Revo.resume` does, and return the handle of the resumed run.
   */
  resume?(): Promise<RunHandle>;
  /** On Temporal: true while no worker polls the run's task queue (the run waits for one). */
  waitingForWorker?(): Promise<boolean>;
}
