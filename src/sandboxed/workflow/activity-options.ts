/**
 * A call step's effective options (docs/dsl.md#errors-timeouts-and-retries, #routing) and
 * priorities (docs/dsl.md#priority) as Temporal's. Pure: used inside the workflow sandbox.
 */
import type { ActivityOptions, LocalActivityOptions, Priority } from '@temporalio/common';
import { NEVER_RETRY } from '../../../interpreter/errors.js';
import type { EffectiveOptions, EffectivePriority } from '../../../interpreter/options.js';

/** Options of a (remote) activity; a local activity takes the same but the task queue. */
export function activityOptions(options: EffectiveOptions): ActivityOptions & LocalActivityOptions {
  const { retry } = options;
  return {
    ...(options.taskQueue !== undefined && { taskQueue: options.taskQueue }),
    startToCloseTimeout: options.timeoutMs,
    ...(options.heartbeatMs !== undefined && { heartbeatTimeout: options.heartbeatMs }),
    // `maxElapsed` bounds all attempts together: exactly Temporal's schedule-to-close.
    ...(retry.maxElapsedMs !== undefined && { scheduleToCloseTimeout: retry.maxElapsedMs }),
    retry: {
      maximumAttempts: retry.maxAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoff,
      maximumInterval: retry.maxIntervalMs,
      nonRetryableErrorTypes: [...NEVER_RETRY, ...retry.nonRetryable],
    },
  };
}

export function temporalPriority(priority: EffectivePriority): Priority {
  return {
    ...(priority.key !== undefined && { priorityKey: priority.key }),
    ...(priority.fairnessKey !== undefined && { fairnessKey: priority.fairnessKey }),
    ...(priority.fairnessWeight !== undefined && { fairnessWeight: priority.fairnessWeight }),
  };
}
