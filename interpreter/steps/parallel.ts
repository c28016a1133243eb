/**
 * `parallel`: branches run concurrently, each on a copy of the scope; their writes are
 * merged back in branch order once all have ended. With `failFast` (the default) the
 * first failure cancels the other branches.
 */
import { WorkflowError } from '../errors.js';
import { changes, copyScope } from '../scope.js';
import type { ParallelStep } from '../model.js';
import { runStepsAs } from './group.js';
import { firstFailure } from './settle.js';
import type { StepHandler } from './handler.js';

export const parallelStep: StepHandler<ParallelStep> = {
  async run(step, exec, key) {
    const failFast = step.failFast !== false;
    const branches = step.parallel.map((branch) => ({ branch, scope: copyScope(exec.scope), cancellation: exec.cancellation.child() }));
    const results = await Promise.allSettled(
      branches.map(async ({ branch, scope, cancellation }) => {
        try {
          await runStepsAs(branch.id, 'branch', branch.steps, { ...exec, scope, cancellation, parent: key });
        } catch (error) {
          if (failFast) {
            const reason = new WorkflowError('Cancelled', `branch "${branch.id}" of step "${step.id}" failed`, { step: step.id });
            for (const other of branches) if (other.branch !== branch) other.cancellation.cancel(reason);
          }
          throw error;
        }
      }),
    );
    const failure = firstFailure(results);
    if (failure) throw failure;
    for (const [name, value] of branches.flatMap(({ scope }) => changes(exec.scope, scope))) exec.scope[name] = value;
    return;
  },
};
