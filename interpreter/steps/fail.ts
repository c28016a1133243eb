/** `fail`: raise a non-retryable error of your own type. */
import { WorkflowError } from '../errors.js';
import { render } from '../expressions.js';
import type { FailStep } from '../model.js';
import type { StepHandler } from './handler.js';

export const failStep: StepHandler<FailStep> = {
  input(step, exec) {
    const message = step.fail.message === undefined ? step.fail.type : render(step.fail.message, exec.scope, step.id);
    return {
      type: step.fail.type,
      message: typeof message === 'string' ? message : JSON.stringify(message),
      details: step.fail.details === undefined ? null : render(step.fail.details, exec.scope, step.id),
    };
  },

  async run(step, _exec, _key, input) {
    const { type, message, details } = input as { type: string; message: string; details: unknown };
    throw new WorkflowError(type, message, { details, step: step.id, nonRetryable: true });
  },
};
