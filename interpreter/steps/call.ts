/** `call`: run a typed activity through the engine (docs/dsl.md (steps, retries, compensation)). */
import { copyScope, assign } from '../scope.js';
import { render } from '../expressions.js';
import type { CallStep } from '../model.js';
import { effectiveOptions, renderPriority, type EffectiveOptions } from '../options.js';
import type { StepHandler } from './handler.js';

/** A step's options never change during a run (the definition is fixed): work them out once. */
const optionsOf = new WeakMap<CallStep, EffectiveOptions>();

export const callStep: StepHandler<CallStep> = {
  input: (step, exec) => render(step.with, exec.scope, step.id),

  async run(step, exec, key, input) {
    const { run } = exec;
    let options = optionsOf.get(step);
    if (!options) optionsOf.set(step, (options = effectiveOptions(run.definition, step, run.bundle.activityDefaults[step.call])));
    const priority = renderPriority(step.priority, exec.scope, `step "${step.id}"`);
    const external = run.bundle.external?.[step.call];
    const outcome = await run.runtime.activity(
      { key, step: step.id, activity: step.call, input: input ?? null, options, local: step.local === true, ...(priority && { priority }), ...(external && { external }) },
      exec.cancellation,
    );
    if (step.result !== undefined) assign(exec.scope, step.result, outcome.output, step.id);
    if (step.compensate && !exec.compensating) {
      run.compensations.push({ key, steps: step.compensate, scope: copyScope(exec.scope), sequence: outcome.sequence });
    }
    return { output: outcome.output, attempts: outcome.attempts };
  },
};
