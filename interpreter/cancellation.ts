import { WorkflowError } from './errors.js';

/**
 * A cancellation token the interpreter hands to every Runtime operation. Plain
 * JavaScript (no AbortController) so it behaves the same in Temporal's sandbox.
 * Cancelling a token cancels its children; a child never cancels its parent.
 */
export class Cancellation {
  private reasonError: WorkflowError | undefined;
  private readonly listeners = new Set<(reason: WorkflowError) => void>();

  get cancelled(): boolean {
    return this.reasonError !== undefined;
  }

  /** Why it was cancelled (a `Cancelled` or `Timeout` error), once it is. */
  get reason(): WorkflowError | undefined {
    return this.reasonError;
  }

  cancel(reason: WorkflowError = new WorkflowError('Cancelled', 'the run was cancelled')): void {
    if (this.reasonError) return;
    this.reasonError = reason;
    for (const listener of [...this.listeners]) listener(reason);
    this.listeners.clear();
  }

  /** Calls `listener` once when cancelled (at once if already cancelled); returns an unsubscribe. */
  onCancel(listener: (reason: WorkflowError) => void): () => void {
    if (this.reasonError) {
      listener(this.reasonError);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A token cancelled with this one, and cancellable on its own. */
  child(): Cancellation {
    const child = new Cancellation();
    const unsubscribe = this.onCancel((reason) => child.cancel(reason));
    child.onCancel(unsubscribe);
    return child;
  }

  /** Throws the cancellation reason when cancelled. */
  throwIfCancelled(): void {
    if (this.reasonError) throw this.reasonError;
  }
}
