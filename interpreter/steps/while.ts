/** `while`: loop while the condition is truthy; one more than `maxIterations` raises LoopLimitExceeded. */
import { ContinueSignal, shouldContinueAsNew, takeResume } from '../continuation.js';
import { WorkflowError } from '../errors.js';
import { evaluate, truthy } from '../expressions.js';
import type { WhileStep } from '../model.js';
import { runSteps } from '../sequence.js';
import type { StepHandler } from './handler.js';

export const DEFAULT_MAX_ITERATIONS = 1000;

export const whileStep: StepHandler<WhileStep> = {
  async run(step, exec, key) {
    const max = step.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    let iterations = takeResume(exec.run, step)?.done ?? 0;
    const decide = () => exec.run.runtime.record({ type: 'step.decision', key, decision: { iterations } });
    try {
      while (truthy(evaluate(step.while, exec.scope, step.id))) {
        if (iterations >= max) {
          throw new WorkflowError('LoopLimitExceeded', `step "${step.id}" ran ${max} iterations and its condition is still true (raise maxIterations if that is expected)`, {
            step: step.id,
            nonRetryable: true,
          });
        }
        iterations++;
        await runSteps(step.steps, { ...exec, prefix: `${key}#${iterations}/` });
        if (shouldContinueAsNew(step, exec)) throw new ContinueSignal(step, iterations);
      }
    } catch (thrown) {
      if (!(thrown instanceof ContinueSignal)) decide();
      throw thrown;
    }
    decide();
    return { output: { iterations } };
  },
};
