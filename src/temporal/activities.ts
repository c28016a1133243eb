/**
 * Typed activities as Temporal activities, each registered under its own name (the
 * Temporal UI shows `payments.charge`). The wrapper makes the checks both engines make
 * (src/sandboxed/activity-checks.ts), maps whatever the code throws to a DSL error
 * (src/sandboxed/failures.ts), reports which attempt succeeded, and heartbeats while
 * the activity runs (unless the step sets its own heartbeat timeout) so that a
 * cancellation from the workflow reaches it: then `context.signal` aborts and the
 * attempt ends as cancelled, with its number.
 */
import { CancelledFailure, Context } from '@temporalio/activity';
import type { Json } from '../../interpreter/model.js';
import { elapsedRunsOut, nextRetry } from '../../interpreter/retry.js';
import type { ActivityContext, ActivityDefinition } from '../activities/types.js';
import { activityInputError, activityOutputError } from '../sandboxed/activity-checks.js';
import { asActivityError, maxElapsedError } from '../sandboxed/dsl-errors.js';
import { activityFailure, cancelledActivity } from '../sandboxed/failures.js';
import type { CallContext, CallResult } from '../sandboxed/workflow/contract.js';
import { inActivitySpan } from '../telemetry/activity-span.js';

export type TemporalActivity = (input: Json, call: CallContext) => Promise<CallResult>;

/** How often the wrapper heartbeats (the worker throttles what it sends to the server). */
const HEARTBEAT_EVERY_MS = 1_000;

export function temporalActivities(definitions: Iterable<ActivityDefinition>): Record<string, TemporalActivity> {
  const activities: Record<string, TemporalActivity> = {};
  for (const definition of definitions) activities[definition.name] = wrap(definition);
  return activities;
}

function wrap(definition: ActivityDefinition): TemporalActivity {
  // Each attempt in its revo.activity span, inside the SDK's RunActivity span when the worker traces.
  const attempt = attemptOf(definition);
  return (input, call) => inActivitySpan({ activity: definition.name, step: call.step, attempt: Context.current().info.attempt, runId: call.runId }, undefined, () => attempt(input, call));
}

function attemptOf(definition: ActivityDefinition): TemporalActivity {
  return async (input, call) => {
    const temporal = Context.current();
    const { attempt } = temporal.info;
    // Heartbeats carry the attempt (a timeout then says which attempt was running). Without a
    // heartbeat timeout the wrapper heartbeats itself, so a cancellation reaches the activity;
    // with one, only the activity's own heartbeats count, or a stuck activity would never time out.
    // A local activity runs in the worker and learns of a cancellation without heartbeats (it cannot send them).
    const { isLocal, heartbeatTimeoutMs } = temporal.info;
    const beat = isLocal ? () => {} : () => temporal.heartbeat([attempt]);
    beat();
    const beating = isLocal || heartbeatTimeoutMs ? undefined : setInterval(beat, HEARTBEAT_EVERY_MS);
    try {
      const invalidInput = activityInputError(definition, call.step, input);
      if (invalidInput) throw invalidInput;
      const context: ActivityContext = {
        signal: temporal.cancellationSignal,
        heartbeat: beat,
        attempt,
        activity: definition.name,
        step: call.step,
        runId: call.runId,
        log: (level, message, data) => temporal.log[level](message, { step: call.step, ...(data !== undefined && { data }) }),
      };
      // An activity that ignores its signal is abandoned on cancellation, as on the local engine.
      const output = ((await Promise.race([definition.run(input, context), temporal.cancelled])) ?? null) as Json;
      const invalidOutput = activityOutputError(definition, call.step, output);
      if (invalidOutput) throw invalidOutput;
      return { output, attempt };
    } catch (thrown) {
      if (thrown instanceof CancelledFailure || temporal.cancellationSignal.aborted) {
        throw cancelledActivity(`activity "${definition.name}" (step "${call.step}", attempt ${attempt}) was cancelled`, attempt);
      }
      // The same retry rule as the local engine (retryOn, maxElapsed): Temporal retries only what it allows.
      const error = asActivityError(thrown);
      if (call.retry === undefined) throw activityFailure(error, attempt);
      const elapsed = Date.now() - temporal.info.scheduledTimestampMs;
      if (elapsedRunsOut(error, attempt, elapsed, call.retry)) throw activityFailure(maxElapsedError(definition.name, call.step, call.retry.maxElapsedMs!, error), attempt);
      throw activityFailure(error, attempt, nextRetry(error, attempt, elapsed, call.retry) !== undefined);
    } finally {
      clearInterval(beating);
    }
  };
}
