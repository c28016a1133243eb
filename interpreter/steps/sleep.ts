/** `sleep`: a durable timer, for a duration or an expression giving one. */
import { parseDuration } from '../duration.js';
import { WorkflowError } from '../errors.js';
import { evaluate } from '../expressions.js';
import type { SleepStep } from '../model.js';
import type { StepHandler } from './handler.js';

export const sleepStep: StepHandler<SleepStep> = {
  input(step, exec) {
    const value = typeof step.sleep === 'string' ? step.sleep : evaluate(step.sleep, exec.scope, step.id);
    if (typeof value !== 'string' || parseDuration(value) === undefined) {
      throw new WorkflowError('ExpressionError', `step "${step.id}": sleep needs a duration such as 30s or 1h30m, got ${JSON.stringify(value)}`, {
        step: step.id,
        nonRetryable: true,
      });
    }
    return { duration: value };
  },

  async run(step, exec, key, input) {
    const ms = parseDuration((input as { duration: string }).duration)!;
    await exec.run.runtime.sleep(key, ms, exec.cancellation);
  },
};
