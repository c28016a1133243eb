/** `switch`: the first case whose `when` is truthy runs, else `default`, else nothing. */
import { evaluate, truthy } from '../expressions.js';
import type { SwitchStep } from '../model.js';
import { runSteps } from '../sequence.js';
import type { StepHandler } from './handler.js';

export const switchStep: StepHandler<SwitchStep> = {
  async run(step, exec, key) {
    const index = step.switch.findIndex((c) => truthy(evaluate(c.when, exec.scope, step.id)));
    const taken = index >= 0 ? index : step.default ? 'default' : null;
    exec.run.runtime.record({ type: 'step.decision', key, decision: { case: taken } });
    if (index >= 0) await runSteps(step.switch[index]!.steps, exec);
    else if (step.default) await runSteps(step.default, exec);
    return { output: { case: taken } };
  },
};
