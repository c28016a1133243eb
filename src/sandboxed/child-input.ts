/**
 * A `child` step's input is checked against the child workflow's `input` schema before
 * the child starts, on both engines: a mismatch fails the `child` step with
 * `InvalidInput` (no child run is created), like a bad workflow input at `revo run`.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import type { ChildRequest } from '../../interpreter/runtime.js';
import { schemaProblem } from './payload-check.js';

export function childInputError(request: Pick<ChildRequest, 'bundle' | 'input' | 'step'>): WorkflowError | undefined {
  const { definition } = request.bundle;
  const problem = schemaProblem(definition.input, request.input);
  if (problem === undefined) return undefined;
  return new WorkflowError('InvalidInput', `step "${request.step}": the input of child workflow "${definition.name}" does not match its input schema: ${problem}; the child was not started`, {
    step: request.step,
    nonRetryable: true,
  });
}
