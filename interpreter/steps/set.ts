/** `set`: every template is evaluated against the scope before the step, then all are assigned. */
import { render } from '../expressions.js';
import type { Json, SetStep } from '../model.js';
import { assign } from '../scope.js';
import type { StepHandler } from './handler.js';

export const setStep: StepHandler<SetStep> = {
  async run(step, exec) {
    const values: Record<string, Json> = {};
    for (const name of Object.keys(step.set)) values[name] = render(step.set[name], exec.scope, step.id);
    for (const name of Object.keys(values)) assign(exec.scope, name, values[name]!, step.id);
    return { output: values };
  },
};
