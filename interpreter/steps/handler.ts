import type { Exec } from '../context.js';
import type { StepKey } from '../history.js';
import type { Json, Step } from '../model.js';
import type { StepResult } from '../sequence.js';

/** One step kind: how to compute its recorded input, and how to run it. */
export interface StepHandler<S extends Step> {
  /** The step's input as the history shows it (a call's rendered `with`…), computed before it starts. */
  input?(step: S, exec: Exec): Json | undefined;
  run(step: S, exec: Exec, key: StepKey, input: Json | undefined): Promise<StepResult | void>;
}
