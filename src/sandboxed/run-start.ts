/**
 * How a run begins, for both engines: the `run.started` event that opens its history,
 * and the memo (name, version, content hash) a Temporal run carries for the Web UI and
 * `revo runs`.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent, RerunInfo, TriggerInfo } from '../../interpreter/history.js';

export interface RunStart {
  runId: string;
  workflowId: string;
  engine: string;
  trigger: TriggerInfo;
  /** The parent's run id, for a child run. */
  parent?: string;
  /** A re-run from a step (docs/replay.md#re-run-from-a-step). */
  rerun?: RerunInfo;
}

export function runStartedEvent(bundle: WorkflowBundle, start: RunStart): Extract<HistoryEvent, { type: 'run.started' }> {
  const { definition, hash } = bundle;
  return {
    type: 'run.started',
    runId: start.runId,
    workflowId: start.workflowId,
    workflow: definition.name,
    ...(definition.version !== undefined && { version: definition.version }),
    hash,
    engine: start.engine,
    trigger: start.trigger,
    ...(start.parent !== undefined && { parent: start.parent }),
    ...(start.rerun !== undefined && { rerun: { of: start.rerun.of, from: start.rerun.from } }),
  };
}

/** Memo fields of a Temporal run, shown in the Temporal UI and `revo runs`. */
export interface RevoMemo {
  workflow: string;
  version?: string;
  hash: string;
}

export function memoOf(bundle: WorkflowBundle): RevoMemo {
  const { definition, hash } = bundle;
  return { workflow: definition.name, ...(definition.version !== undefined && { version: definition.version }), hash };
}
