/** Shared by `parallel` and `foreach`: which error a group of concurrent runs fails with. */
import type { WorkflowError } from '../errors.js';

/**
 * The first failure in declaration order that is not a cancellation we caused
 * ourselves; else the first failure. Declaration order, not time, so a replay that
 * settles in another order fails the same way.
 */
export function firstFailure(results: readonly PromiseSettledResult<unknown>[]): WorkflowError | undefined {
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as WorkflowError);
  return failures.find((e) => e.type !== 'Cancelled') ?? failures[0];
}
