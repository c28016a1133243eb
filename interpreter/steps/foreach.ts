/**
 * `foreach`: one body run per item, each on a copy of the scope plus `as`/`index`;
 * writes are discarded, `collect` values are kept in item order whatever the
 * concurrency. The first failing iteration cancels the ones in flight.
 */
import { ContinueSignal, shouldContinueAsNew, takeResume } from '../continuation.js';
import { WorkflowError } from '../errors.js';
import { evaluate, render } from '../expressions.js';
import type { ForeachStep, Json } from '../model.js';
import { assign, copyScope } from '../scope.js';
import { runSteps } from '../sequence.js';
import type { StepHandler } from './handler.js';
import { firstFailure } from './settle.js';

export const foreachStep: StepHandler<ForeachStep> = {
  input(step, exec) {
    const items = evaluate(step.foreach, exec.scope, step.id);
    if (!Array.isArray(items)) {
      throw new WorkflowError('ExpressionError', `step "${step.id}": foreach needs an array, got ${items === null ? 'null' : typeof items}`, { step: step.id, nonRetryable: true });
    }
    return { items };
  },

  async run(step, exec, key, input) {
    const items = (input as { items: Json[] }).items;
    const resume = takeResume(exec.run, step);
    if (!resume) exec.run.runtime.record({ type: 'step.decision', key, decision: { items: items.length } });
    const name = step.as ?? 'item';
    const collected: Json[] = resume?.collected ?? new Array<Json>(items.length).fill(null);
    const cancellation = exec.cancellation.child();
    const workers = Math.max(1, Math.min(step.concurrency ?? 1, items.length));
    let next = resume?.done ?? 0;
    const iterate = async (): Promise<void> => {
      while (next < items.length && !cancellation.cancelled) {
        const i = next++;
        const scope = copyScope(exec.scope);
        scope[name] = items[i]!;
        if (step.index !== undefined) scope[step.index] = i;
        try {
          await runSteps(step.steps, { ...exec, scope, cancellation, prefix: `${key}[${i}]/` });
          if (step.collect !== undefined) collected[i] = render(step.collect, scope, step.id);
        } catch (error) {
          cancellation.cancel(new WorkflowError('Cancelled', `iteration ${i} of step "${step.id}" failed`, { step: step.id }));
          throw error;
        }
        // One at a time only: with several in flight there is no single point to go on from.
        if (workers === 1 && next < items.length && shouldContinueAsNew(step, exec)) throw new ContinueSignal(step, next, collected);
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: workers }, iterate));
    const continued = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && s.reason instanceof ContinueSignal);
    if (continued) throw continued.reason;
    const failure = firstFailure(settled);
    if (failure) throw failure;
    if (step.result !== undefined) assign(exec.scope, step.result, collected, step.id);
    return { output: collected };
  },
};
