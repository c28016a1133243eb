/**
 * A call step's effective options (docs/dsl.md#errors-timeouts-and-retries) as Temporal activity options. Pure:
 * used inside the workflow sandbox.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';
import { NEVER_RETRY } from '../../../interpreter/errors.js';
import type { EffectiveOptions } from '../../../interpreter/options.js';

export function activityOptions(options: EffectiveOptions): ActivityOptions & LocalActivityOptions {
  const { retry } = options;
  return {
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
