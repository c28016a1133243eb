/** `return`: end the run successfully with this value as its output. */
import { ReturnSignal } from '../control.js';
import { render } from '../expressions.js';
import type { ReturnStep } from '../model.js';
import type { StepHandler } from './handler.js';

export const returnStep: StepHandler<ReturnStep> = {
  input: (step, exec) => render(step.return, exec.scope, step.id),

  async run(_step, _exec, _key, value) {
    throw new ReturnSignal(value ?? null);
  },
};
