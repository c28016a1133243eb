/** `child`: run another definition as a child run; `result` is its output, or `{ workflowId }` without waiting. */
import { WorkflowError } from '../errors.js';
import { render } from '../expressions.js';
import type { ChildStep, Json } from '../model.js';
import { renderPriority, startPriority } from '../options.js';
import { assign } from '../scope.js';
import type { StepHandler } from './handler.js';

export const childStep: StepHandler<ChildStep> = {
  input(step, exec) {
    const workflowId = step.child.workflowId === undefined ? undefined : render(step.child.workflowId, exec.scope, step.id);
    return {
      workflow: step.child.workflow,
      input: render(step.child.input, exec.scope, step.id),
      ...(workflowId !== undefined && workflowId !== null && { workflowId: String(workflowId) }),
    };
  },

  async run(step, exec, key, recorded) {
    const { workflow, input, workflowId } = recorded as { workflow: string; input: Json; workflowId?: string };
    const bundle = Object.prototype.hasOwnProperty.call(exec.run.bundle.children, workflow) ? exec.run.bundle.children[workflow] : undefined;
    if (!bundle) {
      throw new WorkflowError('NotFound', `step "${step.id}": the child workflow "${workflow}" was not loaded with this run`, { step: step.id, nonRetryable: true });
    }
    const wait = step.child.wait !== false;
    const priority = startPriority(bundle.definition, input, renderPriority(step.priority, exec.scope, `step "${step.id}"`));
    const outcome = await exec.run.runtime.child(
      { key, step: step.id, bundle, input, ...(workflowId !== undefined && { workflowId }), wait, ...(priority && { priority }) },
      exec.cancellation,
    );
    const output: Json = wait ? (outcome.output ?? null) : { workflowId: outcome.workflowId };
    if (step.result !== undefined) assign(exec.scope, step.result, output, step.id);
    return { output };
  },
};
