/**
 * `try`/`catch`/`finally`: the first clause listing the error's type (or listing none)
 * handles it; `finally` runs in every case. A run being cancelled is not caught, and
 * its `finally` still runs, shielded from the cancellation.
 */
import { Cancellation } from '../cancellation.js';
import { errorInfo, ReturnSignal } from '../control.js';
import type { WorkflowError } from '../errors.js';
import type { TryStep } from '../model.js';
import { runSteps } from '../sequence.js';
import type { StepHandler } from './handler.js';

export const tryStep: StepHandler<TryStep> = {
  async run(step, exec, key) {
    let pending: WorkflowError | ReturnSignal | undefined;
    try {
      await runSteps(step.try, exec);
    } catch (thrown) {
      pending = thrown as WorkflowError | ReturnSignal;
      if (!(thrown instanceof ReturnSignal) && !exec.cancellation.cancelled) {
        const error = thrown as WorkflowError;
        const clauses = step.catch ?? [];
        const index = clauses.findIndex((c) => c.errors === undefined || c.errors.includes(error.type));
        exec.run.runtime.record({ type: 'step.decision', key, decision: { caught: index >= 0 ? index : null } });
        if (index >= 0) pending = await handle(step, index, error, exec);
      }
    }
    if (step.finally) {
      const shielded = exec.cancellation.cancelled ? { ...exec, cancellation: new Cancellation() } : exec;
      await runSteps(step.finally, shielded);
    }
    if (pending) throw pending;
  },
};

/** Runs a catch clause with the error bound to its variable; returns what it raised, if anything. */
async function handle(step: TryStep, index: number, error: WorkflowError, exec: Parameters<StepHandler<TryStep>['run']>[1]) {
  const clause = step.catch![index]!;
  const name = clause.as ?? 'error';
  const scope = exec.scope;
  const had = name in scope;
  const previous = scope[name];
  scope[name] = errorInfo(error) as never;
  try {
    await runSteps(clause.steps, exec);
    return undefined;
  } catch (thrown) {
    return thrown as WorkflowError | ReturnSignal;
  } finally {
    if (had) scope[name] = previous!;
    else delete scope[name];
  }
}
