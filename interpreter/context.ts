/** What a step runs with: the run's shared state and the step's own place in it. */
import type { WorkflowBundle } from './bundle.js';
import type { Cancellation } from './cancellation.js';
import type { LoopResume } from './continuation.js';
import type { Scope } from './expressions.js';
import type { StepKey } from './history.js';
import type { Step, WorkflowDefinition } from './model.js';
import type { Runtime } from './runtime.js';

/** A completed call's compensation, waiting on the stack (docs/dsl.md#compensation-sagas). */
export interface Compensation {
  /** The key of the call step that pushed it. */
  key: StepKey;
  steps: Step[];
  /** A copy of the scope when the call completed, its `result` included. */
  scope: Scope;
  /** The engine's completion order of the call: the stack unwinds from the highest. */
  sequence: number;
}

/** Shared by every step of one run. */
export interface RunState {
  readonly runtime: Runtime;
  readonly bundle: WorkflowBundle;
  readonly definition: WorkflowDefinition;
  /** The workflow scope (parallel branches and foreach iterations work on copies). */
  readonly scope: Scope;
  readonly compensations: Compensation[];
  /** Keys of the steps running now, for the `state` query. */
  readonly active: Set<StepKey>;
  completedSteps: number;
  /** Set when this run continues a loop from an earlier one (continue-as-new). */
  resume?: LoopResume;
}

/** Where a step runs: its scope, its key prefix, its parent and its cancellation. */
export interface Exec {
  readonly run: RunState;
  readonly scope: Scope;
  /** Prepended to step ids to make instance keys: `ship[2]/`, `poll#3/`, `charge~/`. */
  readonly prefix: string;
  readonly parent?: StepKey;
  readonly cancellation: Cancellation;
  /** True while unwinding the compensation stack: calls push nothing more. */
  readonly compensating: boolean;
}
