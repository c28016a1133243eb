/**
 * Continue-as-new (docs/architecture.md): a long top-level `while` or `foreach` ends the
 * engine's current run at an iteration boundary and hands a new run everything the
 * interpreter needs to go on. Plain JSON: it travels as a workflow argument.
 */
import type { Compensation, Exec, RunState } from './context.js';
import type { Json, Step } from './model.js';

export interface Continuation {
  /** Index in `definition.steps` of the loop that goes on. */
  step: number;
  /** Iterations (`while`) or items (`foreach`) already done. */
  done: number;
  /** `foreach`: the values collected so far, in item order. */
  collected?: Json[];
  variables: Record<string, Json>;
  completedSteps: number;
  compensations: Compensation[];
}

/** Where a continued loop picks up; consumed by the loop's handler. */
export interface LoopResume {
  step: Step;
  done: number;
  collected?: Json[];
}

/** Thrown by a loop at an iteration boundary; unwinds to the top of the run without recording anything. */
export class ContinueSignal {
  constructor(
    readonly step: Step,
    readonly done: number,
    readonly collected?: Json[],
  ) {}
}

/**
 * Whether a loop should hand over to a new run now. Only loops directly in the
 * definition's `steps` do: their position is one index, and nothing around them
 * (a `try`, a branch) would be cut in half.
 */
export function shouldContinueAsNew(step: Step, exec: Exec): boolean {
  return !exec.compensating && exec.run.definition.steps.includes(step) && exec.run.runtime.continueAsNewSuggested?.() === true;
}

/** The resume point of `step`, if the run was continued inside it (taken once). */
export function takeResume(run: RunState, step: Step): LoopResume | undefined {
  const resume = run.resume;
  if (resume?.step !== step) return undefined;
  run.resume = undefined;
  return resume;
}
