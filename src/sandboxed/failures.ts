/**
 * The one converter between Temporal failures and DSL errors
 * (docs/dsl.md#errors-timeouts-and-retries), used inside the workflow sandbox, by the
 * worker's activity wrapper and by clients reading a run's end:
 *
 * - an activity's DSL error (see dsl-errors.ts) travels as an ApplicationFailure carrying its type, details and attempt (`activityFailure`);
 * - the workflow reads an activity's failure back as the DSL error the local engine
 *   raises for the same cause (`activityError`);
 * - a run fails with an ApplicationFailure carrying its ErrorInfo (`runFailure`), which
 *   parents and clients read back with `errorInfoOf`;
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, RetryState, TerminatedFailure, TimeoutFailure, TimeoutType } from '@temporalio/common';
import type { Cancellation } from '../../interpreter/cancellation.js';
import { formatDuration } from '../../interpreter/duration.js';
import { WorkflowError } from '../../interpreter/errors.js';
import type { ErrorInfo } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { ActivityRequest } from '../../interpreter/runtime.js';

/** An activity failure's details: the DSL error's own details, then the attempt it happened in. */
export type FailureDetails = [details: Json, attempt: number];

/**
 * A DSL error as the ApplicationFailure Temporal retries (or not) and the workflow
 * reads back. `retryable: false` marks it final whatever its type (`retryOn`, `maxElapsed`).
 */
export function activityFailure(error: WorkflowError, attempt: number, retryable = true): ApplicationFailure {
  const details: FailureDetails = [(error.details ?? null) as Json, attempt];
  return ApplicationFailure.create({ type: error.type, message: error.message, details, nonRetryable: error.nonRetryable || !retryable });
}

/** The attempt a cancelled activity was in: its wrapper reports it in the cancellation's details. */
export function cancelledActivity(message: string, attempt: number): CancelledFailure {
  return new CancelledFailure(message, [attempt]);
}

/**
 * A failed activity, read in the workflow, as the DSL error the local engine would raise.
 * A remote activity's failure comes wrapped in an ActivityFailure; a local activity's, bare.
 */
export function activityError(failure: unknown, request: ActivityRequest, cancellation: Cancellation): WorkflowError {
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  const where = { step: request.step, nonRetryable: true };
  // Once the call was cancelled, however the activity ended (cancelled, timed out, failed), the
  // step ends with the cancellation's reason, as on the local engine; the attempt it was in is kept.
  if (cancellation.cancelled) {
    const reason = cancellation.reason!;
    const attempt = attemptOf(cause);
    return new WorkflowError(reason.type, reason.message, { ...where, details: reason.details, ...(attempt !== undefined && { attempt }) });
  }
  if (cause instanceof ApplicationFailure) return applicationError(cause, where);
  if (cause instanceof CancelledFailure) {
    const [attempt] = (cause.details ?? []) as [number | undefined];
    const reason = cancellation.reason ?? new WorkflowError('Cancelled', cause.message || 'the activity was cancelled');
    return new WorkflowError(reason.type, reason.message, { ...where, details: reason.details, ...(typeof attempt === 'number' && { attempt }) });
  }
  if (cause instanceof TimeoutFailure) {
    const { retry } = request.options;
    // The activity wrapper heartbeats the attempt it is in.
    const [running] = (cause.lastHeartbeatDetails as [number | undefined] | undefined) ?? [];
    const limit =
      cause.timeoutType === TimeoutType.SCHEDULE_TO_CLOSE ? `its maxElapsed of ${formatDuration(retry.maxElapsedMs ?? 0)}`
      : cause.timeoutType === TimeoutType.HEARTBEAT ? `its heartbeat timeout of ${formatDuration(request.options.heartbeatMs ?? 0)}`
      : `its timeout of ${formatDuration(request.options.timeoutMs)}`;
    const attempt = typeof running === 'number' ? running : failure instanceof ActivityFailure && failure.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED ? retry.maxAttempts : undefined;
    return new WorkflowError('Timeout', `activity "${request.activity}" (step "${request.step}") exceeded ${limit}`, { ...where, ...(attempt !== undefined && { attempt }) });
  }
  return dslErrorOf(cause ?? failure, cancellation);
}

/** The attempt a failure says it happened in: from the wrapper's details or its heartbeats. */
function attemptOf(cause: unknown): number | undefined {
  const found =
    cause instanceof ApplicationFailure ? ((cause.details ?? []) as Partial<FailureDetails>)[1]
    : cause instanceof CancelledFailure ? ((cause.details ?? []) as [unknown])[0]
    : cause instanceof TimeoutFailure ? ((cause.lastHeartbeatDetails ?? []) as [unknown])[0]
    : undefined;
  return typeof found === 'number' ? found : undefined;
}

/** An activity's ApplicationFailure as its DSL error: type, message, details and the attempt it happened in. */
function applicationError(failure: ApplicationFailure, where: { step: string; nonRetryable: boolean }): WorkflowError {
  const [details, attempt] = (failure.details ?? []) as Partial<FailureDetails>;
  return new WorkflowError(failure.type ?? 'ActivityError', failure.message, { ...where, details: details ?? null, ...(attempt !== undefined && { attempt }) });
}

/** Any other failure of a workflow operation as a DSL error; a cancellation as the interpreter's reason. */
export function dslErrorOf(failure: unknown, cancellation: Cancellation): WorkflowError {
  if (failure instanceof WorkflowError) return failure;
  if (isCancelled(failure)) return cancellation.reason ?? new WorkflowError('Cancelled', 'the operation was cancelled');
  const info = errorInfoOf(failure);
  return new WorkflowError(info.type, info.message, { details: info.details, nonRetryable: true });
}

function isCancelled(failure: unknown): boolean {
  return failure instanceof CancelledFailure || (failure instanceof Error && failure.name === 'CancelledFailure');
}

/** The ApplicationFailure a run fails with: its DSL error rides in the details for parents and clients. */
export function runFailure(error: ErrorInfo): ApplicationFailure {
  // An ApplicationFailure fails the run; any other error would only fail the workflow task and retry forever.
  return ApplicationFailure.create({ type: error.type, message: error.message, details: [error], nonRetryable: true });
}

/** The DSL error a failure carries: a run's (from its details), or one Temporal made (terminated, timed out, cancelled). */
export function errorInfoOf(failure: unknown): ErrorInfo {
  if (failure instanceof ChildWorkflowFailure && failure.cause) return errorInfoOf(failure.cause);
  if (failure instanceof ApplicationFailure || failure instanceof CancelledFailure) {
    const [recorded] = (failure.details ?? []) as [ErrorInfo | undefined];
    if (recorded && typeof recorded === 'object' && typeof recorded.type === 'string') return recorded;
    if (failure instanceof CancelledFailure) return { type: 'Cancelled', message: failure.message || 'cancelled' };
    return { type: failure.type ?? 'ActivityError', message: failure.message };
  }
  if (failure instanceof TerminatedFailure) return { type: 'Terminated', message: `the run was terminated on Temporal (no compensation ran): ${failure.message}` };
  if (failure instanceof TimeoutFailure) return { type: 'Timeout', message: `the workflow timed out on Temporal: ${failure.message}` };
  if (isCancelled(failure)) return { type: 'Cancelled', message: (failure as Error).message || 'cancelled' };
  return { type: 'InternalError', message: failure instanceof Error ? failure.message : String(failure) };
}
