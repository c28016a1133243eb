/**
 * One run of a definition: the interpreter's entry point. Engines construct it with
 * their Runtime, call `run()`, and forward cancellation, `state` and queries to it.
 */
import type { RunRequest } from './bundle.js';
import { Cancellation } from './cancellation.js';
import { unwind } from './compensation.js';
import type { RunState } from './context.js';
import { ContinueSignal, type Continuation } from './continuation.js';
import { asWorkflowError, errorInfo, ReturnSignal } from './control.js';
import { parseDuration } from './duration.js';
import { WorkflowError } from './errors.js';
import { render } from './expressions.js';
import type { ErrorInfo, StepKey } from './history.js';
import type { Json } from './model.js';
import type { Runtime } from './runtime.js';
import { forbiddenNameError } from './names.js';
import { createScope, variables } from './scope.js';
import { runSteps } from './sequence.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunOutcome {
  status: 'completed' | 'failed' | 'cancelled';
  output?: Json;
  error?: ErrorInfo;
}

/** The run goes on in a new engine run (continue-as-new); nothing is recorded as ended. */
export interface ContinuedOutcome {
  status: 'continued';
  continuation: Continuation;
}

/** The built-in `state` query (docs/dsl.md#signals-and-queries). */
export interface RunStateView {
  status: RunStatus;
  currentSteps: StepKey[];
  variables: Record<string, Json>;
  completedSteps: number;
}

/** The timer key of the whole-run `timeout`. */
export const RUN_TIMEOUT_KEY = '$timeout';

export class Interpreter {
  private readonly state: RunState;
  /** The run's own cancellation: the top-level steps' operations carry it (an engine may run `run()` in its scope). */
  readonly cancellation = new Cancellation();
  private status: RunStatus = 'running';

  /** `continuation`: go on from where an earlier engine run of this workflow stopped. */
  constructor(request: RunRequest, runtime: Runtime, private readonly continuation?: Continuation) {
    const { definition } = request.bundle;
    const { info } = runtime;
    this.state = {
      runtime,
      bundle: request.bundle,
      definition,
      scope: createScope({
        ...continuation?.variables,
        input: request.input,
        workflow: { name: definition.name, version: definition.version ?? null, id: info.workflowId, runId: info.runId, engine: info.engine },
      }),
      compensations: (continuation?.compensations ?? []).map((c) => ({ ...c, scope: createScope(c.scope) })),
      active: new Set(),
      completedSteps: continuation?.completedSteps ?? 0,
    };
    if (continuation) {
      const step = definition.steps[continuation.step]!;
      this.state.resume = { step, done: continuation.done, ...(continuation.collected && { collected: continuation.collected }) };
    }
  }

  /** Cancels the run: running steps stop, `finally` blocks and compensations run, the run ends `cancelled`. */
  cancel(reason = 'the run was cancelled'): void {
    this.cancellation.cancel(new WorkflowError('Cancelled', reason));
  }

  get cancelRequested(): boolean {
    return this.cancellation.cancelled;
  }

  async run(): Promise<RunOutcome | ContinuedOutcome> {
    const { definition } = this.state;
    // A variable named __proto__, prototype or constructor is refused before anything runs.
    const refused = forbiddenNameError(this.state.bundle);
    if (refused) return this.end({ status: 'failed', error: errorInfo(refused) });
    const stopTimer = this.startRunTimeout();
    const steps = this.continuation ? definition.steps.slice(this.continuation.step) : definition.steps;
    let outcome: RunOutcome;
    try {
      await runSteps(steps, { run: this.state, scope: this.state.scope, prefix: '', cancellation: this.cancellation, compensating: false });
      outcome = { status: 'completed', output: definition.output === undefined ? variables(this.state.scope) : render(definition.output, this.state.scope, 'output') };
    } catch (thrown) {
      if (thrown instanceof ContinueSignal) return { status: 'continued', continuation: this.continuationAt(thrown) };
      if (thrown instanceof ReturnSignal) {
        outcome = { status: 'completed', output: thrown.value };
      } else {
        const error = asWorkflowError(thrown, 'output');
        await unwind(this.state);
        const cancelled = this.cancellation.reason?.type === 'Cancelled' && error.type === 'Cancelled';
        outcome = { status: cancelled ? 'cancelled' : 'failed', error: errorInfo(cancelled ? this.cancellation.reason! : error) };
      }
    } finally {
      stopTimer();
    }
    return this.end(outcome);
  }

  private end(outcome: RunOutcome): RunOutcome {
    const { runtime } = this.state;
    this.status = outcome.status;
    if (outcome.status === 'completed') runtime.record({ type: 'run.completed', output: outcome.output ?? null });
    else if (outcome.status === 'failed') runtime.record({ type: 'run.failed', error: outcome.error! });
    else runtime.record({ type: 'run.cancelled', error: outcome.error! });
    return outcome;
  }

  private continuationAt(signal: ContinueSignal): Continuation {
    const { definition, scope, compensations, completedSteps } = this.state;
    return {
      step: definition.steps.indexOf(signal.step),
      done: signal.done,
      ...(signal.collected && { collected: signal.collected }),
      variables: variables(scope),
      completedSteps,
      compensations: compensations.map((c) => ({ ...c, scope: { ...c.scope } })),
    };
  }

  /** The `state` query. */
  stateView(): RunStateView {
    return { status: this.status, currentSteps: [...this.state.active], variables: variables(this.state.scope), completedSteps: this.state.completedSteps };
  }

  /** A declared query, evaluated against the workflow scope now; `state` is built in. */
  query(name: string): Json {
    if (name === 'state') return this.stateView() as unknown as Json;
    const queries = this.state.definition.queries ?? {};
    if (!Object.prototype.hasOwnProperty.call(queries, name)) {
      const known = ['state', ...Object.keys(queries)].join(', ');
      throw new WorkflowError('NotFound', `workflow "${this.state.definition.name}" has no query "${name}" (it has: ${known})`);
    }
    return render(queries[name], this.state.scope, `query ${name}`);
  }

  /** Starts the whole-run timer; when it fires, the run is cancelled with Timeout. */
  private startRunTimeout(): () => void {
    const { timeout } = this.state.definition;
    if (timeout === undefined) return () => {};
    const ms = parseDuration(timeout)!;
    const timer = new Cancellation();
    this.state.runtime.sleep(RUN_TIMEOUT_KEY, ms, timer).then(
      () => this.cancellation.cancel(new WorkflowError('Timeout', `the run exceeded its timeout of ${timeout}`)),
      () => {},
    );
    return () => timer.cancel();
  }
}
