/**
 * Typed activities as Temporal activities, each registered under its own name (the
 * Temporal UI shows `payments.charge`). The wrapper checks the input and output
 * against the activity's schemas (validators compiled once), maps whatever the
 * code throws to a DSL error type, and reports which attempt succeeded.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowError } from '../../interpreter/errors.js';
import type { Json } from '../../interpreter/model.js';
import type { ActivityContext, ActivityDefinition } from '../activities/types.js';
import { asActivityError } from '../local/attempt.js';
import { schemaProblem } from '../local/payload-check.js';
import type { CallContext, CallResult, FailureDetails } from './api.js';

export type TemporalActivity = (input: Json, call: CallContext) => Promise<CallResult>;

export function temporalActivities(definitions: Iterable<ActivityDefinition>): Record<string, TemporalActivity> {
  const activities: Record<string, TemporalActivity> = {};
  for (const definition of definitions) activities[definition.name] = wrap(definition);
  return activities;
}

function wrap(definition: ActivityDefinition): TemporalActivity {
  return async (input, call) => {
    const temporal = Context.current();
    const { attempt } = temporal.info;
    const where = `activity "${definition.name}" in step "${call.step}"`;
    try {
      const inputProblem = schemaProblem(definition.input, input);
      if (inputProblem) throw new WorkflowError('InvalidInput', `input of ${where}: ${inputProblem}`, { nonRetryable: true });
      const context: ActivityContext = {
        signal: temporal.cancellationSignal,
        heartbeat: (details) => temporal.heartbeat(details),
        attempt,
        activity: definition.name,
        step: call.step,
        runId: call.runId,
        log: (level, message, data) => temporal.log[level](message, { step: call.step, ...(data !== undefined && { data }) }),
      };
      const output = ((await definition.run(input, context)) ?? null) as Json;
      const outputProblem = schemaProblem(definition.output, output);
      if (outputProblem) throw new WorkflowError('InvalidOutput', `output of ${where}: ${outputProblem}`, { nonRetryable: true });
      return { output, attempt };
    } catch (thrown) {
      throw asFailure(asActivityError(thrown), attempt, call.retryOn);
    }
  };
}

/** A DSL error as the ApplicationFailure Temporal retries (or not) and the workflow reads back. */
function asFailure(error: WorkflowError, attempt: number, retryOn: string[] | undefined): ApplicationFailure {
  const details: FailureDetails = [(error.details ?? null) as Json, attempt];
  // `retryOn` has no Temporal equivalent: errors outside it are marked non-retryable here.
  const nonRetryable = error.nonRetryable || (retryOn !== undefined && !retryOn.includes(error.type));
  return ApplicationFailure.create({ type: error.type, message: error.message, details, nonRetryable });
}
