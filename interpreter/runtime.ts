/**
 * The seam between the pure interpreter and an engine (docs/architecture.md). The
 * interpreter asks the Runtime for everything that is not pure; the local engine
 * and the Temporal workflow each implement it once.
 *
 * Every operation carries the step instance's `key` (deterministic across replays:
 * engines key their journals by it) and a Cancellation: when it fires, the operation
 * must settle promptly by throwing the cancellation's reason.
 */
import type { ExternalActivity, WorkflowBundle } from './bundle.js';
import type { Cancellation } from './cancellation.js';
import type { HistoryEvent, StepKey } from './history.js';
import type { Json } from './model.js';
import type { EffectiveOptions, EffectivePriority } from './options.js';

export interface RunInfo {
  workflowId: string;
  runId: string;
  /** `local` or `temporal`: readable as `workflow.engine`. */
  engine: string;
}

export interface ActivityRequest {
  key: StepKey;
  /** The calling step's id. */
  step: string;
  activity: string;
  input: Json;
  options: EffectiveOptions;
  /** `local: true` on the step: a Temporal local activity; the local engine ignores it. */
  local: boolean;
  /** The step's own priority; what it leaves unset, Temporal inherits from the run. */
  priority?: EffectivePriority;
  /** Set when the activity is implemented outside Revo: it takes its input alone and returns its output as is. */
  external?: ExternalActivity;
}

export interface ActivityOutcome {
  output: Json;
  /** Attempts made, the successful one included. */
  attempts: number;
  /**
   * The engine's order of completion (a journal position, a history event id):
   * compensations unwind by it, so a replay unwinds in the original order even when
   * concurrent calls settle in a different order.
   */
  sequence: number;
}

export interface ChildRequest {
  key: StepKey;
  step: string;
  bundle: WorkflowBundle;
  input: Json;
  /** As given by the step's `workflowId` template, else chosen by the engine. */
  workflowId?: string;
  /** false: start and return without waiting for the result. */
  wait: boolean;
  /** The child run's priority (the step's over the child definition's); what it leaves unset, Temporal inherits. */
  priority?: EffectivePriority;
}

export interface ChildOutcome {
  workflowId: string;
  runId: string;
  /** The child's output; absent when not waited for. */
  output?: Json;
}

export interface Runtime {
  readonly info: RunInfo;
  /** Runs an activity with its retry policy; throws a WorkflowError when it fails for good. */
  activity(request: ActivityRequest, cancellation: Cancellation): Promise<ActivityOutcome>;
  /** A durable timer. */
  sleep(key: StepKey, ms: number, cancellation: Cancellation): Promise<void>;
  /**
   * Takes the oldest unconsumed signal named `name` (waiting for one if none is
   * buffered); resolves `undefined` when `timeoutMs` passes first.
   */
  receiveSignal(key: StepKey, name: string, timeoutMs: number | undefined, cancellation: Cancellation): Promise<{ payload: Json } | undefined>;
  /** Starts a child run; when `wait`, resolves with its output or throws its error. */
  child(request: ChildRequest, cancellation: Cancellation): Promise<ChildOutcome>;
  /** Appends an event to the run's history (the engine stamps the time). */
  record(event: HistoryEvent): void;
  /**
   * Asked by a top-level loop between iterations: true ends this engine run and
   * continues in a new one (Temporal's continue-as-new). Absent: never.
   */
  continueAsNewSuggested?(): boolean;
  /**
   * An interpreter change guarded by `changeId` (docs/temporal.md, "Determinism and
   * versioning"): false only while replaying a history recorded before the change,
   * so that history keeps its commands. Absent: always true.
   */
  patched?(changeId: string): boolean;
}
