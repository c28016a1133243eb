/**
 * The local engine: runs definitions in this process with the interpreter and a
 * LocalRuntime, journaling every run under the RunStore (or in memory), watching the
 * run's inbox for signals and cancellation from other processes, and keeping a state
 * file that `revo query` reads.
 */
import type { RunRequest } from '../../interpreter/bundle.js';
import type { HistoryEvent, TriggerInfo } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { Interpreter, type RunOutcome, type RunStateView } from '../../interpreter/run.js';
import type { ActivityDefinition } from '../activities/types.js';
import { InvalidInputError } from '../errors.js';
import { RunRecorder, type RunRecord } from '../history/record.js';
import { systemClock, type Clock } from './clock.js';
import { InboxReader, type InboxMessage } from './inbox.js';
import { StorageError } from '../errors.js';
import { FileJournal, MemoryJournal, storageError, type Journal, type JournalDamage, type JournalEntry, type JournalWitness, type StorageEvent } from './journal.js';
import { readRunJournal } from './stored-run.js';
import { schemaProblem } from '../sandboxed/payload-check.js';
import { runStartedEvent } from '../sandboxed/run-start.js';
import { signalProblem } from '../sandboxed/signals.js';
import { ReplayLog } from '../sandboxed/replay-log.js';
import { withReuse, type ReusePlan } from '../sandboxed/reuse.js';
import { LocalRuntime, type ReplayDivergence, type StartedChild } from './runtime.js';
import type { RunStore } from './store.js';

export interface LocalEngineOptions {
  /** Activities by name (the built-ins plus the loaded modules). */
  activities: ReadonlyMap<string, ActivityDefinition>;
  /** Where journals live; null keeps journals in memory (tests, benchmarks). */
  store: RunStore | null;
  clock?: Clock;
  /** Every history event of every run of this engine, as it is written. */
  onEvent?: (run: LocalRun, event: HistoryEvent) => void;
  /** How long a journal write the disk refuses is retried before the run stops (ms; default 60 s). */
  storageRetry?: number;
  /** The disk refused (or took again) a run's journal writes: for a one-line status to the user. */
  onStorage?: (run: LocalRun, event: StorageEvent) => void;
}

export interface ResumeOptions {
  /**
   * Resume a damaged journal anyway: it is cut back to its last good line, and the steps
   * recorded after it run again (docs/reliability.md#damaged-journals).
   */
  acceptDamage?: boolean;
}

export interface StartOptions {
  runId?: string;
  workflowId?: string;
  trigger?: string;
  parent?: string;
  /** Where the definition and activities came from, so `revo resume` can load the same activities. */
  origin?: RunOrigin;
  /** A re-run from a step: the steps taken from the recorded run (docs/replay.md#re-run-from-a-step). */
  reuse?: ReusePlan;
}

export interface RunOrigin {
  file?: string;
  activityModules?: string[];
}

/** The first journal line: the run.started event plus what a resume needs. */
export interface StartEntry extends JournalEntry {
  type: 'run.started';
  runId: string;
  trigger: TriggerInfo;
  request: RunRequest;
  origin?: RunOrigin;
  /** A re-run from a step: kept with the start so a resume goes on reusing the same steps. */
  reuse?: ReusePlan;
}

/** A workflow input that does not match the definition's input schema: refused before any run exists. */
export class InvalidRunInput extends InvalidInputError {
  override name = 'InvalidRunInput';
}

// Read without the engine (stored-run.ts), so finding a run needs no engine loaded.
export { journalHead } from './stored-run.js';

export class LocalEngine {
  readonly clock: Clock;
  /** Runs started or resumed by this engine (children included), by run id. */
  readonly runs = new Map<string, LocalRun>();

  constructor(readonly options: LocalEngineOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Checks the input, creates the run and starts it. */
  start(request: RunRequest, start: StartOptions = {}): LocalRun {
    const problem = schemaProblem(request.bundle.definition.input, request.input);
    if (problem) throw new InvalidRunInput(`the input does not match the input schema of workflow "${request.bundle.definition.name}": ${problem}`);
    const { definition } = request.bundle;
    const store = this.options.store;
    const runId = start.runId ?? (store ? store.newRunId(definition.name) : `${definition.name}-${this.runs.size + 1}`);
    let journal: Journal | undefined;
    let release = () => {};
    let run: LocalRun | undefined;
    try {
      // A disk that refuses the journal refuses the run: nothing is created, nothing runs.
      journal = store ? FileJournal.create(store.journalPath(runId), this.journalOptions(() => run)) : new MemoryJournal();
      if (store) release = store.lock(runId);
      run = new LocalRun(this, request, runId, start.workflowId ?? runId, journal, new ReplayLog(), release, [], start.reuse);
      const trigger: TriggerInfo = { by: start.trigger ?? 'cli', input: request.input };
      run.runtime.record(
        runStartedEvent(request.bundle, {
          runId, workflowId: run.workflowId, engine: 'local', trigger,
          ...(start.parent !== undefined && { parent: start.parent }),
          ...(start.reuse && { rerun: start.reuse }),
        }),
        { request, ...(start.origin && { origin: start.origin }), ...(start.reuse && { reuse: start.reuse }) },
      );
      if (journal.blocked) throw journal.problem();
    } catch (error) {
      this.runs.delete(runId);
      journal?.close();
      release();
      if (store && journal) store.remove(runId);
      const fault = storageFault(error, store?.runsDir);
      throw fault ? new StorageError(fault.path, fault.code, `${fault.message}; no run was created`) : error;
    }
    run.origin = start.origin;
    run.begin();
    return run;
  }

  /** Continues a run from its journal (the run's process must be gone). */
  resume(runId: string, options: ResumeOptions = {}): LocalRun {
    const store = this.options.store;
    if (!store) throw new Error('resume needs a run store');
    const existing = this.runs.get(runId);
    if (existing) return existing;
    const release = store.lock(runId);
    try {
      const contents = readRunJournal(store, runId, options);
      const first = contents.entries[0] as StartEntry | undefined;
      if (!first || first.type !== 'run.started' || !first.request) throw new Error(`the journal of run ${runId} does not start with the run's definition; it cannot be resumed`);
      if (contents.entries.some((e) => e.type === 'engine.handover')) throw new HandedOverError(runId);
      const ended = contents.entries.find((e) => e.type === 'run.completed' || e.type === 'run.failed' || e.type === 'run.cancelled');
      let run: LocalRun | undefined;
      const journal = FileJournal.reopen(store.journalPath(runId), contents, this.journalOptions(() => run));
      run = new LocalRun(this, first.request, runId, String(first.workflowId ?? runId), journal, new ReplayLog(contents.entries), release, contents.entries as unknown as HistoryEvent[], first.reuse);
      run.cutOff = contents.cutOff;
      run.damage = contents.damage;
      run.origin = first.origin;
      if (ended) {
        run.finishFromJournal();
        return run;
      }
      run.begin();
      return run;
    } catch (error) {
      release();
      throw error;
    }
  }

  private journalOptions(run: () => LocalRun | undefined) {
    const { storageRetry, onStorage } = this.options;
    return {
      ...(storageRetry !== undefined && { retryFor: storageRetry }),
      onStorage: (event: StorageEvent) => {
        const target = run();
        if (!target) return;
        onStorage?.(target, event);
        if (event.state === 'failed') target.stopForStorage(event.error);
      },
    };
  }

  /** Starts or resumes the child run of a `child` step. */
  async startChild(parent: LocalRun, request: Parameters<LocalRuntime['child']>[0], existing: { runId: string; workflowId: string } | undefined): Promise<StartedChild> {
    let child: LocalRun;
    if (existing) child = this.runs.get(existing.runId) ?? this.resume(existing.runId);
    else {
      const store = this.options.store;
      // A child's workflow id is its run id (the id `revo history` and `getRun` take), unless the step's
      // `workflowId` names one that cannot be a local run id (then the run gets an id of its own).
      const runId = store ? ((request.workflowId !== undefined && store.freeRunId(request.workflowId)) || store.newRunId(request.bundle.definition.name)) : `${parent.runId}.${request.key}`;
      child = this.start(
        { bundle: request.bundle, input: request.input },
        { runId, workflowId: request.workflowId ?? runId, trigger: `parent:${parent.runId}`, parent: parent.runId, origin: parent.origin },
      );
    }
    parent.children.push(child);
    return {
      runId: child.runId,
      workflowId: child.workflowId,
      done: child.done.then((outcome) => (outcome.status === 'completed' ? { output: outcome.output ?? null } : { error: outcome.error! })),
      cancel: (reason) => child.cancel(reason),
    };
  }
}

/** One run in this process. */
export class LocalRun {
  readonly runtime: LocalRuntime;
  readonly interpreter: Interpreter;
  /** The run record, folded from the events only when someone reads it (`record`, `recorder`). */
  private readonly lazyRecorder = new RunRecorder();
  readonly children: LocalRun[] = [];
  /** Settles with the run's outcome; rejects when a resume finds the journal and the interpreter disagree. */
  readonly done: Promise<RunOutcome>;
  origin: RunOrigin | undefined;
  /** The journal ended in a partial line (the process was killed mid-write); it was discarded. */
  cutOff = false;
  /** Resumed with acceptDamage from a damaged journal: where it was cut back, and the steps that run again. */
  damage: JournalDamage | undefined;
  private settle!: (outcome: RunOutcome) => void;
  private fail!: (error: Error) => void;
  private stopInbox: (() => void) | undefined;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;
  private handingOver: Promise<boolean> | undefined;

  constructor(
    readonly engine: LocalEngine,
    readonly request: RunRequest,
    readonly runId: string,
    readonly workflowId: string,
    private readonly journal: Journal,
    replay: ReplayLog,
    private readonly release: () => void,
    journaled: HistoryEvent[] = [],
    reuse?: ReusePlan,
  ) {
    for (const event of journaled) this.lazyRecorder.defer(event);
    this.done = new Promise<RunOutcome>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
    this.done.catch(() => {});
    const store = engine.options.store;
    this.runtime = new LocalRuntime({
      info: { workflowId, runId, engine: 'local' },
      workflow: request.bundle.definition.name,
      activities: engine.options.activities,
      journal,
      clock: engine.clock,
      replay,
      startChild: (request, existing) => engine.startChild(this, request, existing),
      onEvent: (event) => {
        this.lazyRecorder.defer(event);
        engine.options.onEvent?.(this, event);
        this.stateChanged(event);
      },
      onLive: () => {
        if (store) this.stopInbox = this.watchInbox(store.inboxPath(runId), replay.inboxOffset);
      },
      onReplayedCancel: (reason) => this.interpreter.cancel(reason),
      onDivergence: (error: ReplayDivergence) => this.end(() => this.fail(error)),
    });
    this.interpreter = new Interpreter(request, withReuse(this.runtime, reuse));
    engine.runs.set(runId, this);
  }

  get definition() {
    return this.request.bundle.definition;
  }

  /** False once the run has ended here, or was let go (abandoned, handed over): then `done` may never settle. */
  get active(): boolean {
    return !this.ended;
  }

  get record(): RunRecord {
    return this.lazyRecorder.record;
  }

  /** The recorder of this run's record (a live view goes on applying events to it after a hand-over). */
  get recorder(): RunRecorder {
    return this.lazyRecorder;
  }

  /** Runs the interpreter to the end (replaying the journal first on resume). */
  begin(): void {
    this.writeState();
    this.interpreter.run().then(
      (outcome) => {
        // The local runtime never suggests continue-as-new: a long loop just goes on.
        if (outcome.status === 'continued') this.end(() => this.fail(new Error('the local engine cannot continue as new')));
        else this.end(() => this.settle(outcome));
      },
      (error: Error) => this.end(() => this.fail(error)),
    );
  }

  /** A resumed run whose journal already holds its end. */
  finishFromJournal(): void {
    const { status, output, error } = this.record;
    this.end(() => this.settle({ status: status as RunOutcome['status'], ...(output !== undefined && { output }), ...(error && { error }) }));
  }

  /** Cancels gracefully: running steps stop, `finally` and compensations run. Journaled first, so a resume continues the cancellation. */
  cancel(reason = 'cancelled'): void {
    if (this.interpreter.cancelRequested) return;
    this.runtime.record({ type: 'cancel.requested', reason });
    this.interpreter.cancel(reason);
  }

  /** Delivers a signal after checking its payload; throws InvalidSignal (and the run is unaffected) when it does not match. */
  signal(name: string, payload: Json): void {
    const problem = signalProblem(this.definition, name, payload);
    if (problem) throw new InvalidSignal(problem);
    this.runtime.deliverSignal(name, payload);
  }

  state(): RunStateView {
    return this.interpreter.stateView();
  }

  query(name: string): Json {
    return this.interpreter.query(name);
  }

  /**
   * Hands the run over to another engine: waits until no activity or awaited child is
   * under way (new operations wait meanwhile), journals the hand-over and stops here
   * without ending the run; the journal then holds all the other engine needs. False
   * (and the run goes on here) when the run ended or was asked to stop meanwhile.
   */
  handOver(to: string, reason: string): Promise<boolean> {
    this.handingOver ??= (async () => {
      if (this.ended || this.interpreter.cancelRequested) return false;
      await this.runtime.park();
      if (this.ended || this.interpreter.cancelRequested) {
        this.runtime.unpark();
        return false;
      }
      this.runtime.record({ type: 'engine.handover', from: 'local', to, reason });
      this.abandon();
      return true;
    })();
    return this.handingOver;
  }

  /**
   * The disk kept refusing the journal: the run stops here, unended, its journal whole up
   * to its last written entry, and `done` rejects with the StorageError. `revo resume`
   * continues it once the disk is fixed.
   */
  stopForStorage(error: StorageError): void {
    this.runtime.close();
    const again = error.code === 'ENOENT' ? 'its record is gone with the file' : `its journal is whole up to its last written entry: fix the disk, then continue it with \`revo resume ${this.runId}\``;
    this.end(() => this.fail(new StorageError(error.path, error.code, `${error.message}. Run ${this.runId} stopped; ${again}`)));
  }

  /** Stops journaling and lets the process exit without ending the run: a later `revo resume` continues it. */
  abandon(): void {
    this.runtime.close();
    this.end(() => {});
  }

  private end(then: () => void): void {
    if (this.ended) return;
    if (this.journal.blocked && !this.runtime.closed) {
      // The run's end is not on disk yet: it ends once it is, or stops when the disk keeps refusing.
      this.journal.writable().then(() => this.end(then), () => {});
      return;
    }
    this.ended = true;
    this.stopInbox?.();
    this.stopInbox = undefined;
    clearTimeout(this.stateTimer);
    this.writeState();
    this.runtime.close();
    this.journal.close();
    this.release();
    then();
  }

  private watchInbox(file: string, offset: number): () => void {
    const reader = new InboxReader(file, offset);
    const take = () => {
      for (const { message, end } of reader.readNew()) this.take(message, end);
    };
    const stop = reader.watch(take);
    take();
    return stop;
  }

  /** One message another process wrote to the inbox. */
  private take(message: InboxMessage, inboxEnd: number): void {
    if (message.kind === 'cancel') {
      if (this.interpreter.cancelRequested) return;
      this.runtime.record({ type: 'cancel.requested', reason: message.reason }, { inboxEnd });
      this.interpreter.cancel(message.reason);
      return;
    }
    const payload = (message.payload ?? null) as Json;
    const problem = signalProblem(this.definition, message.name, payload);
    if (problem) this.runtime.record({ type: 'signal.rejected', name: message.name, reason: problem }, { inboxEnd });
    else this.runtime.deliverSignal(message.name, payload, inboxEnd);
  }

  private stateChanged(event: HistoryEvent): void {
    if (!this.engine.options.store) return;
    // While a run waits, `revo query` should see exactly where it is; otherwise a few snapshots a second are enough.
    const waiting = event.type === 'step.started' && (event.kind === 'wait' || event.kind === 'sleep' || event.kind === 'child');
    if (waiting) {
      clearTimeout(this.stateTimer);
      this.stateTimer = undefined;
      this.writeState();
    } else {
      this.stateTimer ??= setTimeout(() => {
        this.stateTimer = undefined;
        this.writeState();
      }, 100).unref();
    }
  }

  private writeState(): void {
    const store = this.engine.options.store;
    if (!store) return;
    const { definition } = this;
    const snapshot: StateFile = {
      runId: this.runId,
      workflow: definition.name,
      pid: process.pid,
      updatedAt: new Date(this.engine.clock.now()).toISOString(),
      state: this.state(),
      input: this.request.input,
      workflowInfo: { name: definition.name, version: definition.version ?? null, id: this.workflowId, runId: this.runId, engine: 'local' },
      queries: definition.queries ?? {},
      ...(this.journal.witness() && { journal: this.journal.witness() }),
    };
    try {
      store.writeState(this.runId, snapshot);
    } catch (error) {
      // The snapshot is a cache of the journal, which reports (and rides out) a failing disk itself.
      if (!storageFault(error, store.runsDir) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** What `revo query` reads for a local run. */
export interface StateFile {
  runId: string;
  workflow: string;
  pid: number;
  updatedAt: string;
  state: RunStateView;
  input: Json;
  workflowInfo: Json;
  queries: Record<string, Json>;
  /** How far the journal was synced when this snapshot was written: a reader catches a journal cut short with it. */
  journal?: JournalWitness;
}

/** A file-system fault as a StorageError naming the path (undefined for any other error). */
function storageFault(error: unknown, path: string | undefined): StorageError | undefined {
  if (error instanceof StorageError) return error;
  const fsError = error as NodeJS.ErrnoException | undefined;
  return fsError?.code && path ? storageError(error, fsError.path ?? path, 'create a file of the run') : undefined;
}

/** The run went on on another engine (`--engine auto`): it is not the local engine's to resume. */
export class HandedOverError extends Error {
  override readonly name = 'HandedOverError';

  constructor(readonly runId: string) {
    super(`run ${runId} was handed over to Temporal`);
  }
}

export class InvalidSignal extends Error {
  override readonly name = 'InvalidSignal';
}
