/** `wait`: take the oldest buffered signal of a name, waiting for one; Timeout when none comes in time. */
import { parseDuration } from '../duration.js';
import { WorkflowError } from '../errors.js';
import type { WaitStep } from '../model.js';
import { assign } from '../scope.js';
import type { StepHandler } from './handler.js';

export const waitStep: StepHandler<WaitStep> = {
  input: (step) => ({ signal: step.wait.signal, ...(step.wait.timeout !== undefined && { timeout: step.wait.timeout }) }),

  async run(step, exec, key) {
    const { signal, timeout } = step.wait;
    const received = await exec.run.runtime.receiveSignal(key, signal, timeout === undefined ? undefined : parseDuration(timeout), exec.cancellation);
    if (received === undefined) {
      throw new WorkflowError('Timeout', `step "${step.id}": no "${signal}" signal within ${timeout}`, { step: step.id });
    }
    if (step.result !== undefined) assign(exec.scope, step.result, received.payload, step.id);
    return { output: received.payload };
  },
};
