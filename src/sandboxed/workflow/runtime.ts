/**
 * The Temporal Runtime: the interpreter's operations as workflow commands. Runs in
 * the workflow sandbox, so everything here is deterministic by construction: each
 * `call` is its activity by name, `sleep` a durable timer, `wait` a condition over
 * buffered signals, `child` a child run of the same workflow type.
 *
 * The interpreter runs in a non-cancellable scope; each operation gets its own scope
 * that the interpreter's Cancellation cancels. So a workflow cancellation reaches the
 * interpreter first, and compensations and `finally` steps still run normally.
 */
import {
  ActivityCancellationType,
  CancellationScope,
  ChildWorkflowFailure,
  ParentClosePolicy,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { context } from '@opentelemetry/api';
import type { Cancellation } from '../../../interpreter/cancellation.js';
import { fromErrorInfo } from '../../../interpreter/control.js';
import type { HistoryEvent, StepKey } from '../../../interpreter/history.js';
import type { Json } from '../../../interpreter/model.js';
import { RUN_TIMEOUT_KEY } from '../../../interpreter/run.js';
import type { ActivityOutcome, ActivityRequest, ChildOutcome, ChildRequest, RunInfo, Runtime } from '../../../interpreter/runtime.js';
import { SignalInbox } from '../../../interpreter/signals.js';
import { childInputError } from '../child-input.js';
import { childFailedError } from '../dsl-errors.js';
import { activityError, dslErrorOf, errorInfoOf } from '../failures.js';
import { memoOf } from '../run-start.js';
import { activitySummary, REVO_WORKFLOW, runSummary, startSearchAttributes } from '../visibility.js';
import type { ReplayLog } from '../replay-log.js';
import { activityInputError, activityOutputError } from '../activity-checks.js';
import type { RunTelemetry } from '../telemetry.js';
import { activityOptions, temporalPriority } from './activity-options.js';
import { WORKFLOW_TYPE, type CallContext, type CallResult, type RevoWorkflowInput } from './contract.js';

type Activities = Record<string, (input: Json, call: CallContext) => Promise<CallResult>>;


export interface TemporalRuntimeOptions {
  /** The non-cancellable scope the interpreter runs in: the parent of every operation's scope. */
  shield: CancellationScope;
  /** Epoch ms the run (its first part, across continue-as-new) started. */
  startedAt: number;
  /** Completed activities before this part of the run. */
  sequence: number;
  continueAfterEvents?: number;
  /** The local journal of a run handed over to Temporal: operations it records as done are not done again. */
  recorded?: ReplayLog;
  /** The workflow revision the run started under (RevoWorkflowInput.revision). */
  revision?: number;
  record(event: HistoryEvent): void;
  /** The run's spans: an activity is scheduled in its step's span (src/sandboxed/telemetry.ts). */
  telemetry?: RunTelemetry;
}

export class TemporalRuntime implements Runtime {
  readonly info: RunInfo;
  readonly inbox = new SignalInbox();
  private sequence: number;

  constructor(private readonly options: TemporalRuntimeOptions) {
    const { workflowId } = workflowInfo();
    // A Temporal run is named by its workflow id: the id every revo command takes, the same
    // across continue-as-new (Temporal's own run ids change with each part).
    this.info = { workflowId, runId: workflowId, engine: 'temporal' };
    this.sequence = options.sequence;
  }

  get completedActivities(): number {
    return this.sequence;
  }

  record(event: HistoryEvent): void {
    event.at ??= Date.now(); // the workflow task's time: the same on every replay
    this.options.record(event);
  }

  continueAsNewSuggested(): boolean {
    const info = workflowInfo();
    const limit = this.options.continueAfterEvents;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  }

  /**
   * Activity proxies by options, then by priority: a step's options object is the same on
   * every call, so loops make one proxy per priority their fairness key renders to.
   */
  private readonly proxiesByOptions = { local: new WeakMap<object, Map<string, Activities>>(), remote: new WeakMap<object, Map<string, Activities>>() };


  private proxies(request: ActivityRequest): Activities {
    const cache = request.local ? this.proxiesByOptions.local : this.proxiesByOptions.remote;
    let byPriority = cache.get(request.options);
    if (!byPriority) cache.set(request.options, (byPriority = new Map()));
    const priorityKey = request.priority ? JSON.stringify(request.priority) : '';
    let proxies = byPriority.get(priorityKey);
    if (!proxies) {
      // A local activity runs in this worker: it has no task queue to go to.
      const { taskQueue, ...common } = activityOptions(request.options);
      const options = {
        ...common,
        ...(!request.local && taskQueue !== undefined && { taskQueue }),
        ...(request.priority && { priority: temporalPriority(request.priority) }),
        // A step's options are its own (one object per step), so the proxy can carry the step in its summary.
        summary: activitySummary(request.step),
        // From revision 1 a cancelled activity is waited for until it confirms, with the attempt it was in;
        // runs started before keep their commands on replay. An external activity may never hear of the
        // cancellation (it learns of it only by heartbeating), so it is only asked to stop.
        ...(request.external
          ? { cancellationType: ActivityCancellationType.TRY_CANCEL }
          : (this.options.revision ?? 0) >= 1 && { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED }),
      };
      proxies = (request.local ? proxyLocalActivities(options) : proxyActivities(options)) as Activities;
      byPriority.set(priorityKey, proxies);
    }
    return proxies;
  }

  /** One scope per Cancellation, cancelled with it: the operations of a token share it (scopes are not free in replay). */
  private readonly scopes = new WeakMap<Cancellation, CancellationScope>();

  private scopeOf(cancellation: Cancellation): CancellationScope {
    let scope = this.scopes.get(cancellation);
    if (!scope) {
      const created = new CancellationScope({ cancellable: true, parent: this.options.shield });
      cancellation.onCancel(() => created.cancel());
      this.scopes.set(cancellation, (scope = created));
    }
    return scope;
  }

  /**
   * Runs `body` (the interpreter) in the scope of `cancellation` (its own), from revision 2:
   * an operation of that token then finds its scope current and enters none. Entering one
   * costs two promises, and under the SDK's promise hook every promise costs a stack trace
   * (docs/temporal.md#worker-performance). Runs of earlier revisions keep their commands' order.
   */
  within<T>(cancellation: Cancellation, body: () => Promise<T>): Promise<T> {
    return this.leanScopes ? this.scopeOf(cancellation).run(body) : body();
  }

  private get leanScopes(): boolean {
    return (this.options.revision ?? 0) >= 2;
  }

  /** Runs `operation` in the scope of `cancellation`: cancelling the token cancels what it started. */
  private inScope<T>(cancellation: Cancellation, operation: () => Promise<T>): Promise<T> {
    cancellation.throwIfCancelled();
    const scope = this.scopeOf(cancellation);
    return this.leanScopes && CancellationScope.current() === scope ? operation() : scope.run(operation);
  }

  /** As inScope; a cancellation surfaces as the interpreter's reason (Cancelled or Timeout). */
  private async cancellable<T>(cancellation: Cancellation, operation: () => Promise<T>): Promise<T> {
    try {
      return await this.inScope(cancellation, operation);
    } catch (failure) {
      if (cancellation.cancelled && isCancellation(failure)) throw cancellation.reason!;
      throw failure;
    }
  }

  patched(changeId: string): boolean {
    return patched(changeId);
  }

  /**
   * Written with `then`, not async/await: the same microtask hops (so runs recorded before
   * keep the order of their commands) with one promise fewer per call, and under the SDK's
   * promise hook every promise costs a stack trace (docs/temporal.md#worker-performance).
   * Hence also the rejected promise, never a throw, for what fails before scheduling.
   */
  activity(request: ActivityRequest, cancellation: Cancellation): Promise<ActivityOutcome> {
    let activities: Activities;
    try {
      const completed = this.options.recorded?.get('activity.completed', request.key);
      if (completed) return Promise.resolve({ output: completed.fact.output, attempts: completed.fact.attempts, sequence: completed.position });
      const failed = this.options.recorded?.get('activity.failed', request.key);
      if (failed) throw fromErrorInfo(failed.fact.error);
      activities = this.proxies(request);
    } catch (error) {
      return Promise.reject(error);
    }
    if (request.external) return this.external(request, activities, cancellation);
    const call: CallContext = {
      step: request.step,
      key: request.key,
      runId: this.info.runId,
      ...((request.options.retry.retryOn || request.options.retry.maxElapsedMs !== undefined) && { retry: request.options.retry }),
    };
    let result: Promise<CallResult>;
    try {
      // Not `cancellable`: a cancelled activity reports the attempt it was in, which activityError keeps.
      result = this.scheduled(request, cancellation, () => activities[request.activity]!(request.input, call));
    } catch (failure) {
      return Promise.reject(activityError(failure, request, cancellation));
    }
    return result.then(
      (done) => ({ output: done.output, attempts: done.attempt, sequence: ++this.sequence }),
      (failure) => {
        throw activityError(failure, request, cancellation);
      },
    );
  }

  /** externalActivity's promise behind an async function's, as when `activity` was async: the same hops. */
  private async external(request: ActivityRequest, activities: Activities, cancellation: Cancellation): Promise<ActivityOutcome> {
    return this.externalActivity(request, activities, cancellation);
  }

  /**
   * An activity implemented outside Revo (docs/dsl.md#routing): it takes its input alone and
   * returns its output as is, so the checks a Revo worker makes around its activities are
   * made here, against the catalog's schemas. Its attempts are not reported to the
   * workflow: the outcome counts 1.
   */
  private async externalActivity(request: ActivityRequest, activities: Activities, cancellation: Cancellation): Promise<ActivityOutcome> {
    const spec = { name: request.activity, ...request.external! };
    const invalidInput = activityInputError(spec, request.step, request.input);
    if (invalidInput) throw invalidInput;
    let output: Json;
    try {
      const run = activities[request.activity] as unknown as (input: Json) => Promise<Json>;
      output = ((await this.scheduled(request, cancellation, () => run(request.input))) ?? null) as Json;
    } catch (failure) {
      throw activityError(failure, request, cancellation);
    }
    const invalidOutput = activityOutputError(spec, request.step, output);
    if (invalidOutput) throw invalidOutput;
    return { output, attempts: 1, sequence: ++this.sequence };
  }

  /** Schedules an activity in the run's cancellation scope and, when tracing, inside its step's span. */
  private scheduled<T>(request: ActivityRequest, cancellation: Cancellation, schedule: () => Promise<T>): Promise<T> {
    const telemetry = this.options.telemetry;
    return this.inScope(cancellation, telemetry ? () => context.with(telemetry.stepContext(request.key), schedule) : schedule);
  }

  async sleep(key: StepKey, ms: number, cancellation: Cancellation): Promise<void> {
    if (this.options.recorded?.get('timer.fired', key)) return;
    // The whole-run timeout counts from the first part of a continued run; a timer started locally keeps its due time.
    const left = key === RUN_TIMEOUT_KEY ? this.options.startedAt + ms - Date.now() : this.leftOf(key, ms);
    await this.cancellable(cancellation, () => sleep(Math.max(1, left)));
  }

  /** What is left of a timer of `ms` that the local engine may have started before the hand-over. */
  private leftOf(key: StepKey, ms: number): number {
    const started = this.options.recorded?.get('timer.started', key);
    return started ? started.fact.firesAt - Date.now() : ms;
  }

  /** Buffers a signal whose payload passed its check. */
  deliverSignal(name: string, payload: Json): number {
    const seq = this.inbox.deliver(name, payload);
    this.record({ type: 'signal.received', name, payload, seq });
    return seq;
  }

  async receiveSignal(key: StepKey, name: string, timeoutMs: number | undefined, cancellation: Cancellation): Promise<{ payload: Json } | undefined> {
    const recorded = this.options.recorded;
    const consumed = recorded?.get('signal.consumed', key);
    if (consumed) return { payload: this.inbox.remove(consumed.fact.seq)?.payload ?? null };
    if (recorded?.get('signal.timedout', key)) return undefined;
    // The local engine times a wait with the timer `<key>@timeout`.
    if (timeoutMs !== undefined) timeoutMs = Math.max(1, this.leftOf(`${key}@timeout`, timeoutMs));
    const arrived = await this.cancellable(cancellation, () =>
      timeoutMs === undefined ? condition(() => this.inbox.has(name)).then(() => true) : condition(() => this.inbox.has(name), timeoutMs),
    );
    if (!arrived) return undefined;
    return { payload: this.inbox.take(name)!.payload };
  }

  async child(request: ChildRequest, cancellation: Cancellation): Promise<ChildOutcome> {
    const recorded = this.options.recorded;
    const started = recorded?.get('child.started', request.key)?.fact;
    if (started) {
      const completed = recorded!.get('child.completed', request.key);
      if (completed) return { workflowId: started.workflowId, runId: started.runId, output: completed.fact.output };
      const failed = recorded!.get('child.failed', request.key);
      if (failed) throw fromErrorInfo(failed.fact.error);
      // The local engine hands over only once the children it waits for have ended.
      return { workflowId: started.workflowId, runId: started.runId };
    }
    const invalid = childInputError(request);
    if (invalid) throw invalid;
    const parent = workflowInfo();
    const workflowId = request.workflowId ?? `${parent.workflowId}.${request.key}`;
    const input: RevoWorkflowInput = {
      bundle: request.bundle,
      input: request.input,
      trigger: { by: `parent:${this.info.runId}`, input: request.input },
      parent: parent.workflowId,
      // A child behaves as its parent does (a replayed parent starts its child as it did then).
      ...(this.options.revision !== undefined && { revision: this.options.revision }),
    };
    try {
      return await this.cancellable(cancellation, async () => {
        const handle = await startChild(WORKFLOW_TYPE, {
          workflowId,
          args: [input],
          memo: memoOf(request.bundle) as unknown as Record<string, unknown>,
          staticSummary: runSummary(request.bundle),
          // The namespace has Revo's search attributes when this run carries them.
          ...(parent.typedSearchAttributes.get(REVO_WORKFLOW) !== undefined && { typedSearchAttributes: startSearchAttributes(request.bundle) }),
          // A child not waited for lives on when its parent ends.
          parentClosePolicy: request.wait ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
          ...(request.priority && { priority: temporalPriority(request.priority) }),
        });
        // A Revo run is named by its workflow id, on Temporal as in `revo history`.
        const runId = workflowId;
        if (!request.wait) return { workflowId, runId };
        return { workflowId, runId, output: ((await handle.result()) ?? null) as Json };
      });
    } catch (failure) {
      // A Revo run is named by its workflow id (see the constructor), so the message names that.
      if (failure instanceof ChildWorkflowFailure) throw childFailedError(request.step, { runId: workflowId, workflowId }, errorInfoOf(failure.cause));
      throw dslErrorOf(failure, cancellation);
    }
  }
}
