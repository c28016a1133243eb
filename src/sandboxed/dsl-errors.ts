/**
 * DSL errors both engines raise for the same causes, written once: what an activity
 * threw, and a child run's failure at its parent's `child` step. No Temporal imports:
 * the local engine uses them without loading the SDK.
 */
import { errorInfo } from '../../interpreter/control.js';
import { formatDuration } from '../../interpreter/duration.js';
import { WorkflowError } from '../../interpreter/errors.js';
import type { ErrorInfo } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';

/** What an activity threw, as a DSL error: its own WorkflowError, else ActivityError (retryable). */
export function asActivityError(thrown: unknown): WorkflowError {
  if (thrown instanceof WorkflowError) return thrown;
  // A WorkflowError from another copy of Revo (an activities module with its own node_modules).
  if (thrown instanceof Error && thrown.name === 'WorkflowError' && typeof (thrown as WorkflowError).type === 'string') return thrown as WorkflowError;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new WorkflowError('ActivityError', message, { details: thrown instanceof Error ? { name: thrown.name } : null });
}

/** A child run that failed, as the error of its `child` step in the parent; `runId` is the child's Revo run id. */
export function childFailedError(step: string, child: { runId: string; workflowId: string }, cause: ErrorInfo): WorkflowError {
  return new WorkflowError(cause.type, `child workflow run ${child.runId} failed: ${cause.message}`, {
    details: { runId: child.runId, workflowId: child.workflowId, step: cause.step ?? null, details: (cause.details ?? null) as Json },
    step,
    nonRetryable: true,
  });
}

/**
 * `maxElapsed` ran out before the next attempt could begin: the step fails with Timeout,
 * carrying the last attempt's error in its details.
 */
export function maxElapsedError(activity: string, step: string, maxElapsedMs: number, last: WorkflowError): WorkflowError {
  return new WorkflowError('Timeout', `activity "${activity}" (step "${step}") exceeded its maxElapsed of ${formatDuration(maxElapsedMs)}; the last attempt failed with ${last.type}: ${last.message}`, {
    details: { lastError: errorInfo(last) as unknown as Json },
    nonRetryable: true,
  });
}
