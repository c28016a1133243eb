/**
 * Running a list of steps: `when` skips, history events and error attribution are
 * handled here once; what each kind does is in steps/<kind>.ts.
 */
import type { Exec } from './context.js';
import { ContinueSignal } from './continuation.js';
import { asWorkflowError, errorInfo, ReturnSignal } from './control.js';
import { evaluate, truthy } from './expressions.js';
import type { StepKey } from './history.js';
import { stepKind, type Json, type Step } from './model.js';
import { stepHandler } from './steps/index.js';

export async function runSteps(steps: readonly Step[], exec: Exec): Promise<void> {
  for (const step of steps) await runStep(step, exec);
}

/** What a step handler reports for the history. */
export interface StepResult {
  output?: Json;
  attempts?: number;
}

/**
 * Written with `then`, not async/await: the same microtask hops with one promise fewer per
 * step, which matters on Temporal, where the SDK takes a stack trace of every promise
 * (docs/temporal.md#worker-performance); the same hops keep the order in which concurrent
 * branches of recorded runs issue their commands. So a step that fails before it runs is a
 * rejected promise, as an async function's throw was.
 */
export function runStep(step: Step, exec: Exec): Promise<void> {
  const { run } = exec;
  const key: StepKey = exec.prefix + step.id;
  const kind = stepKind(step);
  const where = exec.parent === undefined ? {} : { parent: exec.parent };
  const handler = stepHandler(kind);
  // A loop continued from an earlier run (continue-as-new) was started and checked there.
  const resumed = run.resume?.step === step;
  let input: Json | undefined;
  try {
    exec.cancellation.throwIfCancelled();
    if (!resumed && step.when !== undefined && !truthy(evaluate(step.when, exec.scope, step.id))) {
      run.runtime.record({ type: 'step.skipped', key, id: step.id, kind, ...where });
      return Promise.resolve();
    }
    input = handler.input?.(step as never, exec);
  } catch (thrown) {
    const error = asWorkflowError(thrown, step.id);
    run.runtime.record({ type: 'step.started', key, id: step.id, kind, ...where });
    run.runtime.record({ type: 'step.failed', key, error: errorInfo(error) });
    return Promise.reject(error);
  }
  run.active.add(key);
  if (!resumed) run.runtime.record({
    type: 'step.started', key, id: step.id, kind, ...where,
    ...(kind === 'call' && { activity: (step as { call: string }).call }),
    ...(input !== undefined && { input }),
  });
  // What the old try / catch / finally around `await handler.run(…)` did, in the same order.
  const completed = (result: StepResult | void): void => {
    run.runtime.record({ type: 'step.completed', key, ...result });
    run.completedSteps++;
  };
  const failed = (thrown: unknown): never => {
    if (thrown instanceof ContinueSignal) throw thrown;
    if (thrown instanceof ReturnSignal) {
      run.runtime.record({ type: 'step.completed', key, ...(kind === 'return' && { output: thrown.value }) });
      run.completedSteps++;
      throw thrown;
    }
    const error = asWorkflowError(thrown, step.id);
    run.runtime.record({ type: 'step.failed', key, error: errorInfo(error), ...(error.attempt !== undefined && kind === 'call' && { attempts: error.attempt }) });
    throw error;
  };
  const ended = () => run.active.delete(key);
  const onCompleted = (result: StepResult | void): void => {
    try {
      completed(result);
    } catch (thrown) {
      failed(thrown);
    } finally {
      ended();
    }
  };
  const onFailed: (thrown: unknown) => never = (thrown) => {
    try {
      return failed(thrown);
    } finally {
      ended();
    }
  };
  let running: Promise<StepResult | void>;
  try {
    running = handler.run(step as never, { ...exec, parent: key }, key, input);
  } catch (thrown) {
    try {
      onFailed(thrown);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return running.then(onCompleted, onFailed);
}
