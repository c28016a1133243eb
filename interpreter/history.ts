/**
 * The events a run emits. The interpreter emits the step and run events; engines add
 * their own (attempts, signals). A run record (docs/history.md#the-run-record) is a fold of these events
 * (see record.ts), whichever engine produced them.
 */
import type { Json } from './model.js';

/** A DSL error as plain data: how errors travel in events, journals and records. */
export interface ErrorInfo {
  type: string;
  message: string;
  details?: Json;
  step?: string;
  attempt?: number;
}

export interface TriggerInfo {
  /** Who or what started the run: `cli`, `schedule`, `parent:<runId>`, `rerun:<runId>`… */
  by: string;
  input: Json;
}

/**
 * A run re-run from a step (docs/replay.md#re-run-from-a-step): the steps before it were
 * answered from the recorded run `of` (their events carry `reused: true`), and the run
 * went live at step instance `from`.
 */
export interface RerunInfo {
  of: string;
  from: StepKey;
}

interface EventBase {
  /** Epoch milliseconds, stamped by the engine (the interpreter has no clock). */
  at?: number;
}

/**
 * A step instance's key: its id, prefixed by the loop iterations and compensations
 * it runs in (`shipAll[2]/ship`, `poll#3/check`, `charge~/refund`). Unique within a run
 * and the same on every replay, so engines key their journals by it.
 */
export type StepKey = string;

export type HistoryEvent = EventBase &
  (
    | { type: 'run.started'; runId: string; workflowId: string; workflow: string; version?: string; hash: string; engine: string; trigger: TriggerInfo; parent?: string; rerun?: RerunInfo }
    | { type: 'run.completed'; output: Json }
    | { type: 'run.failed'; error: ErrorInfo }
    | { type: 'run.cancelled'; error: ErrorInfo }
    | { type: 'cancel.requested'; reason: string }
    | { type: 'step.started'; key: StepKey; id: string; kind: string; parent?: StepKey; input?: Json; activity?: string; reused?: true }
    | { type: 'step.completed'; key: StepKey; output?: Json; attempts?: number; reused?: true }
    | { type: 'step.failed'; key: StepKey; error: ErrorInfo; attempts?: number; reused?: true }
    | { type: 'step.skipped'; key: StepKey; id: string; kind: string; parent?: StepKey; reused?: true }
    /** `switch` case taken (index, `default` or none), loop iteration counts, items of a foreach. */
    | { type: 'step.decision'; key: StepKey; decision: Decision }
    | { type: 'attempt.failed'; key: StepKey; attempt: number; error: ErrorInfo; retryInMs?: number }
    | { type: 'signal.received'; name: string; payload: Json; seq: number }
    | { type: 'signal.rejected'; name: string; reason: string }
    | { type: 'log'; key: StepKey; level: 'debug' | 'info' | 'warn' | 'error'; message: string; data?: Json }
    | { type: 'compensation.started'; key: StepKey }
    | { type: 'compensation.completed'; key: StepKey }
    | { type: 'compensation.failed'; key: StepKey; error: ErrorInfo }
    /** The run moved to another engine (`--engine auto`): the steps after this event ran there. */
    | { type: 'engine.handover'; from: string; to: string; reason: string }
  );

export type Decision =
  | { case: number | 'default' | null }
  | { iterations: number }
  | { items: number }
  | { caught: number | null };

export type HistoryEventType = HistoryEvent['type'];
