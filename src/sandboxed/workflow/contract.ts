/**
 * What the Revo workflow, its worker and its clients agree on: names, arguments and
 * results. Imported inside the workflow sandbox too, so nothing here touches Node.
 */
import type { WorkflowBundle } from '../../../interpreter/bundle.js';
import type { Continuation } from '../../../interpreter/continuation.js';
import type { HistoryEvent, TriggerInfo } from '../../../interpreter/history.js';
import type { Json } from '../../../interpreter/model.js';
import type { EffectiveRetry } from '../../../interpreter/options.js';
import type { BufferedSignal } from '../../../interpreter/signals.js';
import type { JournalEntry } from '../facts.js';
import type { MetricFact } from '../telemetry.js';
import type { ReusePlan } from '../reuse.js';

/** The one workflow type that interprets every definition. */
export const WORKFLOW_TYPE = 'revo';

/** `REVO_TASK_QUEUE`, else this. */
export const DEFAULT_TASK_QUEUE = 'revo';

/** The workflow's argument: the definition travels by value (docs/architecture.md). */
export interface RevoWorkflowInput {
  bundle: WorkflowBundle;
  input: Json;
  trigger: TriggerInfo;
  /** The parent's workflow id, for a child run. */
  parent?: string;
  /** Continue-as-new after this many history events even if Temporal does not suggest it yet (tests force it low). */
  continueAfterEvents?: number;
  /** Set when this run continues an earlier one of the same workflow (continue-as-new). */
  continued?: ContinuedRun;
  /** Set when the run began on the local engine and was handed over to Temporal (`--engine auto`). */
  handedOver?: HandedOverRun;
  /**
   * Set when the run re-runs an earlier one from a step (docs/replay.md#re-run-from-a-step):
   * the steps answered from the recorded run. Kept across continue-as-new; absent, the
   * workflow behaves exactly as before the field existed.
   */
  reuse?: ReusePlan;
  /**
   * The workflow behaviour the run started under (WORKFLOW_REVISION then): a behaviour
   * chosen once per run changes with it, so a run started before keeps its commands on
   * replay without a `patched()` marker (docs/temporal.md#determinism-and-versioning-for-contributors).
   * Absent: before revision 1.
   */
  revision?: number;
}

/**
 * The current workflow revision. 1: a cancelled activity is waited for until it confirms
 * (so the step records the attempt it was in). 2: the interpreter runs in the scope of its
 * own cancellation, so the operations of top-level steps enter no scope of their own
 * (TemporalRuntime.within): fewer promises per step, which changes the order in which
 * concurrent branches issue their commands.
 */
export const WORKFLOW_REVISION = 2;

export interface HandedOverRun {
  /**
   * The local journal up to the hand-over (its first entry without the definition,
   * which travels in `bundle`): the history so far, and the facts that stand for the
   * operations already done, which the workflow uses instead of doing them again.
   */
  journal: JournalEntry[];
}

export interface ContinuedRun {
  continuation: Continuation;
  /** Epoch ms the first run started: the whole-run `timeout` counts from there. */
  startedAt: number;
  /** Signals received and not yet taken. */
  signals: BufferedSignal[];
  /** Completed activities so far: compensations unwind by this order. */
  sequence: number;
}

/** What each activity receives besides its input (its second argument). */
export interface CallContext {
  step: string;
  key: string;
  runId: string;
  /**
   * The step's effective retry policy, when Temporal's own cannot express it (`retryOn`,
   * `maxElapsed`): the worker then decides each retry with the local engine's rule.
   */
  retry?: EffectiveRetry;
}

/** What each activity returns: the output, and which attempt produced it. */
export interface CallResult {
  output: Json;
  attempt: number;
}

/** Internal query: the run's history events from index `from` on (live progress). */
export const EVENTS_QUERY = 'revo.events';
export interface EventsPage {
  /** This run's id: after a continue-as-new the next run's events start again from 0. */
  runId: string;
  events: HistoryEvent[];
  /** Index to ask from next time. */
  next: number;
}

/** Sink the workflow reports every history event to; replays collect them to rebuild a run record. */
export const HISTORY_SINK = 'revoHistory';
export type HistorySink = {
  event(event: HistoryEvent): void;
};

/** The failure type of a signal sent as an Update that the run refuses (docs/temporal.md#signals-as-updates). */
export const SIGNAL_REJECTED = 'SignalRejected';

/** Sink the workflow reports its metric facts to (src/sandboxed/telemetry.ts); the worker counts them. */
export const METRICS_SINK = 'revoMetrics';
export type MetricsSink = {
  fact(fact: MetricFact): void;
};
