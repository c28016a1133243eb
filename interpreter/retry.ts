/** Whether and when a failed attempt is retried (docs/dsl.md#errors-timeouts-and-retries). Used by engines that retry themselves. */
import { NEVER_RETRY, type WorkflowError } from './errors.js';
import type { EffectiveRetry } from './options.js';

/** True when this error type may be retried at all under this policy. */
export function isRetryable(error: Pick<WorkflowError, 'type' | 'nonRetryable'>, policy: EffectiveRetry): boolean {
  if (error.nonRetryable || NEVER_RETRY.has(error.type)) return false;
  if (policy.nonRetryable.includes(error.type)) return false;
  return policy.retryOn === undefined || policy.retryOn.includes(error.type);
}

/** The pause before attempt `attempt + 1`: initial × backoff^(attempt−1), capped by maxInterval. */
export function retryDelay(attempt: number, policy: EffectiveRetry): number {
  const grown = policy.initialIntervalMs * policy.backoff ** (attempt - 1);
  return Math.min(grown, policy.maxIntervalMs);
}

/**
 * After attempt `attempt` failed with `error`, `elapsedMs` after the first attempt
 * started: the pause before the next attempt, or undefined to give up. A retry that
 * would begin at or after `maxElapsed` is not made (see `elapsedRunsOut`).
 */
export function nextRetry(error: Pick<WorkflowError, 'type' | 'nonRetryable'>, attempt: number, elapsedMs: number, policy: EffectiveRetry): number | undefined {
  if (!isRetryable(error, policy) || attempt >= policy.maxAttempts) return undefined;
  const delay = retryDelay(attempt, policy);
  if (policy.maxElapsedMs !== undefined && elapsedMs + delay >= policy.maxElapsedMs) return undefined;
  return delay;
}

/**
 * True when the only reason not to retry is `maxElapsed`: the error may be retried and
 * attempts are left, but the next one would begin at or after it. The step then fails
 * with `Timeout` (docs/dsl.md#errors-timeouts-and-retries), on both engines.
 */
export function elapsedRunsOut(error: Pick<WorkflowError, 'type' | 'nonRetryable'>, attempt: number, elapsedMs: number, policy: EffectiveRetry): boolean {
  if (policy.maxElapsedMs === undefined || !isRetryable(error, policy) || attempt >= policy.maxAttempts) return false;
  return elapsedMs + retryDelay(attempt, policy) >= policy.maxElapsedMs;
}
