/**
 * Unwinding the compensation stack (docs/dsl.md#compensation-sagas): most recent first, each shielded from
 * cancellation, each failure recorded and the next one tried.
 */
import { Cancellation } from './cancellation.js';
import type { RunState } from './context.js';
import { asWorkflowError, errorInfo } from './control.js';
import { runSteps } from './sequence.js';

export async function unwind(run: RunState): Promise<void> {
  const stack = [...run.compensations].sort((a, b) => b.sequence - a.sequence);
  run.compensations.length = 0;
  for (const entry of stack) {
    run.runtime.record({ type: 'compensation.started', key: entry.key });
    try {
      await runSteps(entry.steps, {
        run,
        scope: entry.scope,
        prefix: `${entry.key}~/`,
        parent: entry.key,
        cancellation: new Cancellation(),
        compensating: true,
      });
      run.runtime.record({ type: 'compensation.completed', key: entry.key });
    } catch (thrown) {
      run.runtime.record({ type: 'compensation.failed', key: entry.key, error: errorInfo(asWorkflowError(thrown, entry.key)) });
    }
  }
}
