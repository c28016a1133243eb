/**
 * The schema checks around an activity call, for both engines: the input before the
 * activity runs and the output it returns, each against the activity's own schema (and
 * the output against the limits on values).
 * A mismatch is `InvalidInput` / `InvalidOutput`, never retried, and counts as the
 * attempt it happened in (the local runtime and the Temporal worker both make it).
 */
import { WorkflowError } from '../../interpreter/errors.js';
import type { JsonSchema } from '../../interpreter/model.js';
import { schemaProblem } from './payload-check.js';
import { valueLimitProblem } from './value-limits.js';

interface Checked {
  name: string;
  input: JsonSchema;
  output: JsonSchema;
}

export function activityInputError(activity: Checked, step: string, input: unknown): WorkflowError | undefined {
  const problem = schemaProblem(activity.input, input);
  return problem === undefined ? undefined : new WorkflowError('InvalidInput', `input of activity "${activity.name}" in step "${step}": ${problem}`, { nonRetryable: true });
}

export function activityOutputError(activity: Checked, step: string, output: unknown): WorkflowError | undefined {
  // The limits first (docs/dsl.md#limits-on-values): the schema check, the journal and Temporal could not take more.
  const tooBig = valueLimitProblem(output);
  if (tooBig) return new WorkflowError('InvalidOutput', `output of activity "${activity.name}" in step "${step}" ${tooBig}`, { nonRetryable: true });
  const problem = schemaProblem(activity.output, output);
  return problem === undefined ? undefined : new WorkflowError('InvalidOutput', `output of activity "${activity.name}" in step "${step}": ${problem}`, { nonRetryable: true });
}
