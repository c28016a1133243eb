/** `call`: run a typed activity through the engine (docs/dsl.md (steps, retries, compensation)). */
import { copyScope, assign } from '../scope.js';
import { render } from '../expressions.js';
import type { CallStep } from '../model.js';
import { effectiveOptions, renderPriority, type EffectiveOptions } from '../options.js';
import type { ActivityOutcome } from '../runtime.js';
import type { StepHandler } from './handler.js';

/** A step's options never change during a run (the definition is fixed): work them out once. */
const optionsOf = new WeakMap<CallStep, EffectiveOptions>();

export const callStep: StepHandler<CallStep> = {
  input: (step, exec) => render(step.with, exec.scope, step.id),

  // `then`, not async/await: the same microtask hops with one promise fewer, which matters on
  // Temporal, where the SDK takes a stack trace of every promise (docs/temporal.md#worker-performance).
  // So what fails before the activity is a rejected promise too, never a throw.
  run(step, exec, key, input) {
    const { run } = exec;
    let outcome: Promise<ActivityOutcome>;
    try {
      let options = optionsOf.get(step);
      if (!options) optionsOf.set(step, (options = effectiveOptions(run.definition, step, run.bundle.activityDefaults[step.call])));
      const priority = renderPriority(step.priority, exec.scope, `step "${step.id}"`);
      const external = run.bundle.external?.[step.call];
      outcome = run.runtime.activity(
        { key, step: step.id, activity: step.call, input: input ?? null, options, local: step.local === true, ...(priority && { priority }), ...(external && { external }) },
        exec.cancellation,
      );
    } catch (error) {
      return Promise.reject(error);
    }
    return outcome.then((done) => {
      if (step.result !== undefined) assign(exec.scope, step.result, done.output, step.id);
      if (step.compensate && !exec.compensating) {
        run.compensations.push({ key, steps: step.compensate, scope: copyScope(exec.scope), sequence: done.sequence });
      }
      return { output: done.output, attempts: done.attempts };
    });
  },
};
