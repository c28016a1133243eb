/** A named group of steps that is not itself a step (a parallel branch): recorded like one. */
import { asWorkflowError, errorInfo } from '../control.js';
import type { Exec } from '../context.js';
import type { Step } from '../model.js';
import { runSteps } from '../sequence.js';

export async function runStepsAs(id: string, kind: string, steps: readonly Step[], exec: Exec): Promise<void> {
  const key = exec.prefix + id;
  const { runtime } = exec.run;
  runtime.record({ type: 'step.started', key, id, kind, ...(exec.parent !== undefined && { parent: exec.parent }) });
  try {
    await runSteps(steps, { ...exec, parent: key });
    runtime.record({ type: 'step.completed', key });
  } catch (thrown) {
    const error = asWorkflowError(thrown, id);
    runtime.record({ type: 'step.failed', key, error: errorInfo(error) });
    throw error;
  }
}
