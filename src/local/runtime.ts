/**
 * The local engine's Runtime: activities in-process with the full retry policy,
 * durable timers on a Clock, a signal inbox, children through the engine, and a
 * journal of everything. On resume, operations whose outcome the journal holds
 * return it instead of running again (event sourcing, as Temporal does).
 */
import type { Cancellation } from '../../interpreter/cancellation.js';
import { errorInfo, fromErrorInfo } from '../../interpreter/control.js';
import { WorkflowError } from '../../interpreter/errors.js';
import type { ErrorInfo, HistoryEvent, StepKey } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { elapsedRunsOut, nextRetry } from '../../interpreter/retry.js';
import type { ActivityOutcome, ActivityRequest, ChildOutcome, ChildRequest, RunInfo, Runtime } from '../../interpreter/runtime.js';
import { SignalInbox } from '../../interpreter/signals.js';
import type { ActivityDefinition } from '../activities/types.js';
import { runAttempt, type ActivityLog } from './attempt.js';
import type { Clock } from './clock.js';
import type { Fact } from '../sandboxed/facts.js';
import type { Journal } from './journal.js';
import { activityInputError, activityOutputError } from '../sandboxed/activity-checks.js';
import { childInputError } from '../sandboxed/child-input.js';
import { childFailedError, maxElapsedError } from '../sandboxed/dsl-errors.js';
import { ReplayLog } from '../sandboxed/replay-log.js';
import { RunTelemetry } from '../sandboxed/telemetry.js';
import { inActivitySpan } from '../telemetry/activity-span.js';

/** How the engine starts (or finds again) a child run. */
export interface ChildStarter {
  (request: ChildRequest, existing: { runId: string; workflowId: string } | undefined): Promise<StartedChild>;
}

export interface StartedChild {
  runId: string;
  workflowId: string;
  done: Promise<{ output?: Json; error?: ErrorInfo }>;
  cancel(reason: string): void;
}

export interface LocalRuntimeOptions {
  info: RunInfo;
  /** The definition's name: spans carry it (src/sandboxed/telemetry.ts). */
  workflow: string;
  activities: ReadonlyMap<string, ActivityDefinition>;
  journal: Journal;
  clock: Clock;
  replay?: ReplayLog;
  startChild: ChildStarter;
  /** Called for every history event written (the live view, the state file). */
  onEvent?: (event: HistoryEvent) => void;
  /** Called when a resume finds that the journal and the interpreter disagree. */
  onDivergence?: (error: ReplayDivergence) => void;
  /** Called once, when the run first does something the journal does not hold (the replay is over). */
  onLive?: () => void;
  /** Called once when a resume reaches the point where the run was asked to stop. */
  onReplayedCancel?: (reason: string) => void;
}

/** Events whose loss would change what a resume does. */
// A compensation undoes an effect outside: it may only start once its start is on disk (docs/reliability.md#storage-faults).
const DURABLE_EVENTS = new Set(['run.started', 'run.completed', 'run.failed', 'run.cancelled', 'cancel.requested', 'signal.received', 'engine.handover', 'compensation.started']);

export class LocalRuntime implements Runtime {
  readonly info: RunInfo;
  readonly inbox = new SignalInbox();
  private readonly replay: ReplayLog;
  private position: number;
  private cancelReplayed = false;
  private live = false;
  private readonly waiters = new Set<() => void>();
  /** Closed: nothing more is journaled (the run ended, or was let go). */
  closed = false;
  private diverged = false;
  /** Activities and awaited children under way: a hand-over waits for them. */
  private inFlight = 0;
  private drained: (() => void) | undefined;
  /** Set while the run is being handed over: new operations wait on it instead of starting. */
  private gate: { opened: Promise<void>; open: () => void } | undefined;

  /** The run's spans, the same as on Temporal (docs/temporal.md#tracing). */
  private readonly telemetry: RunTelemetry;

  constructor(private readonly options: LocalRuntimeOptions) {
    this.info = options.info;
    this.telemetry = new RunTelemetry({ workflow: options.workflow, runId: options.info.runId, engine: 'local' });
    this.replay = options.replay ?? new ReplayLog();
    this.position = this.replay.length;
    for (const signal of this.replay.signals) this.inbox.deliver(signal.name, signal.payload, signal.seq);
    // Signals already taken before the crash are removed by their consumption facts as the replay meets them.
  }

  /** Stops writing: the run is over (or the process is leaving it resumable). */
  close(): void {
    this.closed = true;
    this.telemetry.end();
  }

  // -- hand-over ------------------------------------------------------------

  /**
   * Stops starting operations (each new one waits) and resolves once no activity or
   * awaited child is under way: from then on the journal holds everything done, and
   * another engine can take the run over from it. Timers and signal waits do not
   * hold it up: their due times and signals are in the journal too.
   */
  park(): Promise<void> {
    if (!this.gate) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      this.gate = { opened, open };
    }
    return new Promise((resolve) => {
      this.drained = resolve;
      this.checkDrained();
    });
  }

  /** The hand-over was called off: waiting operations start here after all. */
  unpark(): void {
    const gate = this.gate;
    this.gate = undefined;
    this.drained = undefined;
    gate?.open();
  }

  /**
   * Nothing new starts while the disk refuses the journal: what came before must be on
   * disk first, or a crash would lose it while its consequences went on. Never settles
   * when the retries give up (the engine stops the run).
   */
  private async journalWritten(): Promise<void> {
    const { journal } = this.options;
    if (!journal.blocked) return;
    await journal.writable().catch(() => new Promise<never>(() => {}));
  }

  private async whileParked(): Promise<void> {
    while (this.gate) await this.gate.opened;
  }

  /** An activity or awaited child has ended. */
  private settled(): void {
    this.inFlight--;
    this.checkDrained();
  }

  /** Resolves park() once nothing is under way. */
  private checkDrained(): void {
    if (this.inFlight > 0 || !this.drained) return;
    // Let the interpreter take the step after the one that ended, up to its next (waiting) operation.
    setImmediate(() => {
      if (this.inFlight > 0 || !this.gate) return;
      const drained = this.drained;
      this.drained = undefined;
      drained?.();
    });
  }

  // -- history --------------------------------------------------------------

  /** Writes a history event; `extra` fields go to the journal only (the definition, the inbox offset). */
  record(event: HistoryEvent, extra?: Record<string, unknown>): void {
    if (this.closed) return;
    event.at ??= this.options.clock.now();
    if (this.replay.wasWritten(event)) return;
    this.write(extra ? { ...event, ...extra } : event, DURABLE_EVENTS.has(event.type));
    this.telemetry.observe(event);
    this.options.onEvent?.(event);
  }

  private write(entry: HistoryEvent | Fact | Record<string, unknown>, durable: boolean): number {
    if (this.closed) return this.position;
    this.options.journal.append(entry as never, durable);
    return this.position++;
  }

  private fact(fact: Fact): number {
    return this.write(fact, true);
  }

  /** A replayed outcome at `position` (Infinity: a live operation) is about to be used. */
  private catchUp(position: number): void {
    if (position === Infinity && !this.live) {
      this.live = true;
      this.options.onLive?.();
    }
    const cancel = this.replay.cancelAt;
    if (cancel && !this.cancelReplayed && position > cancel.position) {
      this.cancelReplayed = true;
      this.options.onReplayedCancel?.(cancel.reason);
    }
  }

  // -- activities -----------------------------------------------------------

  async activity(request: ActivityRequest, cancellation: Cancellation): Promise<ActivityOutcome> {
    if (this.diverged) return this.diverge('');
    const { key } = request;
    const completed = this.replay.get('activity.completed', key);
    if (completed) {
      if (completed.fact.activity !== request.activity) return this.diverge(differentActivity(completed.fact.activity, request));
      this.catchUp(completed.position);
      return { output: completed.fact.output, attempts: completed.fact.attempts, sequence: completed.position };
    }
    const failed = this.replay.get('activity.failed', key);
    if (failed) {
      if (failed.fact.activity !== request.activity) return this.diverge(differentActivity(failed.fact.activity, request));
      this.catchUp(failed.position);
      throw fromErrorInfo(failed.fact.error);
    }
    this.catchUp(Infinity);
    if (this.gate) await this.whileParked();
    cancellation.throwIfCancelled();
    this.inFlight++;
    try {
      return await this.runActivity(request, cancellation);
    } finally {
      this.settled();
    }
  }

  private async runActivity(request: ActivityRequest, cancellation: Cancellation): Promise<ActivityOutcome> {
    const { key } = request;
    if (request.external) {
      throw new WorkflowError(
        'NotFound',
        `step "${request.step}" calls "${request.activity}", which the catalog marks external (served on task queue "${request.external.taskQueue}"); ` +
          'the local engine runs only activities loaded in this process: run it on Temporal (--engine temporal), docs/dsl.md#routing',
        { step: request.step, nonRetryable: true },
      );
    }
    const definition = this.options.activities.get(request.activity);
    if (!definition) {
      throw new WorkflowError('NotFound', `no activity "${request.activity}" is loaded for step "${request.step}"; pass the module that defines it with --activities`, {
        step: request.step,
        nonRetryable: true,
      });
    }
    // The check is part of the first attempt (as on Temporal, where the worker makes it).
    const invalidInput = activityInputError(definition, request.step, request.input);
    if (invalidInput) return this.giveUp(request, 1, invalidInput);

    const clock = this.options.clock;
    const earlier = this.replay.attemptsFailed.get(key);
    let attempt = (earlier?.count ?? 0) + 1;
    const firstAt = earlier?.firstAt ?? clock.now();
    if (earlier) await this.pause(request, attempt - 1, earlier.nextAt - clock.now(), cancellation);
    for (;;) {
      await this.journalWritten();
      let output: Json | undefined;
      let error: WorkflowError | undefined;
      const release = clock.busy();
      try {
        const maxElapsedMs = request.options.retry.maxElapsedMs;
        const deadlineMs = maxElapsedMs === undefined ? undefined : firstAt + maxElapsedMs - clock.now();
        const attemptSpan = { activity: request.activity, step: request.step, attempt, runId: this.info.runId };
        output = await inActivitySpan(attemptSpan, this.telemetry.stepContext(key), () => runAttempt(definition, request, attempt, this.info.runId, cancellation, this.log, deadlineMs));
        error = activityOutputError(definition, request.step, output);
      } catch (thrown) {
        error = thrown as WorkflowError;
      } finally {
        release();
      }
      if (!error) {
        const sequence = this.fact({ type: 'activity.completed', key, activity: request.activity, output: output!, attempts: attempt });
        return { output: output!, attempts: attempt, sequence };
      }
      if (cancellation.cancelled) return this.giveUp(request, attempt, cancellation.reason!);
      const elapsed = clock.now() - firstAt;
      const { retry } = request.options;
      if (elapsedRunsOut(error, attempt, elapsed, retry)) {
        // An attempt stopped by maxElapsed itself already says so.
        const ranOut = error.type === 'Timeout' && elapsed >= retry.maxElapsedMs!;
        return this.giveUp(request, attempt, ranOut ? error : maxElapsedError(request.activity, request.step, retry.maxElapsedMs!, error));
      }
      const delay = nextRetry(error, attempt, elapsed, retry);
      if (delay === undefined) return this.giveUp(request, attempt, error);
      this.record({ type: 'attempt.failed', key, attempt, error: errorInfo(withPlace(error, request, attempt)), retryInMs: delay });
      await this.pause(request, attempt, delay, cancellation);
      attempt++;
    }
  }

  /** The pause between attempts; a cancellation during it ends the call. */
  private async pause(request: ActivityRequest, attempt: number, ms: number, cancellation: Cancellation): Promise<void> {
    try {
      await this.sleepOn(Math.max(0, ms), cancellation);
    } catch {
      this.giveUp(request, attempt, cancellation.reason!);
    }
  }

  private giveUp(request: ActivityRequest, attempts: number, error: WorkflowError): never {
    const placed = withPlace(error, request, attempts);
    this.fact({ type: 'activity.failed', key: request.key, activity: request.activity, error: errorInfo(placed), attempts });
    throw placed;
  }

  /**
   * The journal and the interpreter disagree. Nothing more is written or run: this
   * operation, and every later one, never settles; the engine ends the resume with
   * the error.
   */
  private diverge(message: string): Promise<never> {
    if (!this.diverged) {
      this.diverged = true;
      this.close();
      this.options.onDivergence?.(new ReplayDivergence(message));
    }
    return new Promise<never>(() => {});
  }

  private readonly log: ActivityLog = (level, message, data, request) => {
    this.record({ type: 'log', key: request?.key ?? '', level, message, ...(data !== undefined && { data: data as Json }) });
  };

  // -- timers ---------------------------------------------------------------

  sleep(key: StepKey, ms: number, cancellation: Cancellation): Promise<void> {
    return this.timer(key, ms, cancellation);
  }

  /** A durable timer: its due time is journaled, so a resume waits only for what is left. */
  private async timer(key: StepKey, ms: number, cancellation: Cancellation): Promise<void> {
    if (this.diverged) return this.diverge('');
    const fired = this.replay.get('timer.fired', key);
    if (fired) {
      this.catchUp(fired.position);
      return;
    }
    this.catchUp(Infinity);
    const started = this.replay.get('timer.started', key);
    if (this.gate && !started) await this.whileParked();
    await this.journalWritten();
    cancellation.throwIfCancelled();
    const clock = this.options.clock;
    const firesAt = started ? started.fact.firesAt : clock.now() + ms;
    if (!started) this.fact({ type: 'timer.started', key, firesAt });
    await this.sleepOn(firesAt - clock.now(), cancellation);
    this.fact({ type: 'timer.fired', key });
  }

  private async sleepOn(ms: number, cancellation: Cancellation): Promise<void> {
    const controller = new AbortController();
    const stop = cancellation.onCancel((reason) => controller.abort(reason));
    try {
      await this.options.clock.sleep(Math.max(0, ms), controller.signal);
    } finally {
      stop();
    }
  }

  // -- signals --------------------------------------------------------------

  /** Buffers a signal that passed its payload check (the engine checks it). */
  deliverSignal(name: string, payload: Json, inboxEnd?: number): number {
    const seq = this.inbox.deliver(name, payload);
    this.record({ type: 'signal.received', name, payload, seq }, inboxEnd === undefined ? undefined : { inboxEnd });
    this.wakeWaiters();
    return seq;
  }

  async receiveSignal(key: StepKey, name: string, timeoutMs: number | undefined, cancellation: Cancellation): Promise<{ payload: Json } | undefined> {
    if (this.diverged) return this.diverge('');
    const consumed = this.replay.get('signal.consumed', key);
    if (consumed) {
      this.catchUp(consumed.position);
      const signal = this.inbox.remove(consumed.fact.seq);
      if (!signal) return this.diverge(`step "${key}" took signal #${consumed.fact.seq}, which the journal does not hold`);
      return { payload: signal.payload };
    }
    const recordedTimeout = this.replay.get('signal.timedout', key);
    if (recordedTimeout) {
      this.catchUp(recordedTimeout.position);
      return undefined;
    }
    this.catchUp(Infinity);
    if (this.gate) await this.whileParked();
    cancellation.throwIfCancelled();

    let timedOut = false;
    const deadline = cancellation.child();
    if (timeoutMs !== undefined) {
      this.timer(`${key}@timeout`, timeoutMs, deadline).then(() => {
        timedOut = true;
        this.wakeWaiters();
      }, () => {});
    }
    try {
      for (;;) {
        const signal = this.inbox.take(name);
        if (signal) {
          this.fact({ type: 'signal.consumed', key, seq: signal.seq });
          return { payload: signal.payload };
        }
        if (timedOut) {
          this.fact({ type: 'signal.timedout', key });
          return undefined;
        }
        await new Promise<void>((resolve, reject) => {
          const stopCancel = cancellation.onCancel((reason) => {
            this.waiters.delete(wake);
            reject(reason);
          });
          const wake = () => {
            this.waiters.delete(wake);
            stopCancel();
            resolve();
          };
          this.waiters.add(wake);
        });
      }
    } finally {
      deadline.cancel();
    }
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  // -- children -------------------------------------------------------------

  async child(request: ChildRequest, cancellation: Cancellation): Promise<ChildOutcome> {
    if (this.diverged) return this.diverge('');
    const { key } = request;
    const completed = this.replay.get('child.completed', key);
    const started = this.replay.get('child.started', key);
    if (completed && started) {
      this.catchUp(completed.position);
      return { workflowId: started.fact.workflowId, runId: started.fact.runId, output: completed.fact.output };
    }
    const failed = this.replay.get('child.failed', key);
    if (failed) {
      this.catchUp(failed.position);
      throw fromErrorInfo(failed.fact.error);
    }
    if (!started) {
      this.catchUp(Infinity);
      if (this.gate) await this.whileParked();
      cancellation.throwIfCancelled();
      const invalid = childInputError(request);
      if (invalid) {
        this.fact({ type: 'child.failed', key, error: errorInfo(invalid) });
        throw invalid;
      }
    }
    this.inFlight++;
    try {
      return await this.runChild(request, cancellation, started?.fact);
    } finally {
      this.settled();
    }
  }

  private async runChild(request: ChildRequest, cancellation: Cancellation, started: { runId: string; workflowId: string } | undefined): Promise<ChildOutcome> {
    const { key } = request;
    const existing = started ? { runId: started.runId, workflowId: started.workflowId } : undefined;
    await this.journalWritten();
    const child = await this.options.startChild(request, existing);
    if (!started) this.fact({ type: 'child.started', key, runId: child.runId, workflowId: child.workflowId });
    if (!request.wait) return { workflowId: child.workflowId, runId: child.runId };
    const stopForwarding = cancellation.onCancel((reason) => child.cancel(reason.message));
    const outcome = await child.done.finally(stopForwarding);
    if (outcome.error) {
      const error = childFailedError(request.step, child, outcome.error);
      this.fact({ type: 'child.failed', key, error: errorInfo(error) });
      throw error;
    }
    const output = outcome.output ?? null;
    this.fact({ type: 'child.completed', key, output });
    return { workflowId: child.workflowId, runId: child.runId, output };
  }
}

/** The journal and the interpreter disagree: resuming would not repeat the recorded run. */
export class ReplayDivergence extends Error {
  override readonly name = 'ReplayDivergence';
}

function withPlace(error: WorkflowError, request: ActivityRequest, attempt: number): WorkflowError {
  const placed = new WorkflowError(error.type, error.message, { details: error.details, nonRetryable: error.nonRetryable, step: request.step, attempt });
  return placed;
}

function differentActivity(recorded: string, request: ActivityRequest): string {
  return `step "${request.key}" called "${recorded}" when the run was recorded but calls "${request.activity}" now`;
}
