/** How errors and `return` travel through the step tree. */
import { WorkflowError } from './errors.js';
import type { ErrorInfo } from './history.js';
import type { Json } from './model.js';

/** Thrown by a `return` step; unwinds to the top of the run, through `try` (whose `finally` still runs). */
export class ReturnSignal {
  constructor(readonly value: Json) {}
}

/** Any thrown value as a WorkflowError naming the step it failed in. A non-WorkflowError is an engine bug. */
export function asWorkflowError(thrown: unknown, step: string): WorkflowError {
  if (thrown instanceof WorkflowError) {
    if (thrown.step !== undefined) return thrown;
    // A copy: one cancellation reason is thrown by every step it stops.
    return new WorkflowError(thrown.type, thrown.message, { details: thrown.details, nonRetryable: thrown.nonRetryable, step, attempt: thrown.attempt });
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new WorkflowError('InternalError', `internal error in step "${step}": ${message}`, { step, nonRetryable: true });
}

/** A WorkflowError as plain data, for events, journals and the `catch` variable. */
export function errorInfo(error: WorkflowError): ErrorInfo {
  const info: ErrorInfo = { type: error.type, message: error.message };
  if (error.details !== null && error.details !== undefined) info.details = error.details as Json;
  if (error.step !== undefined) info.step = error.step;
  if (error.attempt !== undefined) info.attempt = error.attempt;
  return info;
}

/** The inverse of errorInfo: an error read back from a journal or history. */
export function fromErrorInfo(info: ErrorInfo): WorkflowError {
  return new WorkflowError(info.type, info.message, { details: info.details, step: info.step, attempt: info.attempt, nonRetryable: true });
}
