/**
 * A run on the local engine, through the RunHandle of the API. Either this process runs
 * it (started or resumed here: signals and queries go straight to it, events arrive as
 * they are written), or another process does, or nobody does now (interrupted, or
 * ended): then the handle works from the run's files — signals and cancellation go to
 * its inbox, queries read its state snapshot, events and the end are read from its journal.
 */
import { randomUUID } from 'node:crypto';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { RunOutcome } from '../../interpreter/run.js';
import { QueryError, QueryFailedError, RunEndedError, RunFailedError, SignalRejectedError, UsageError } from '../errors.js';
import type { RunRecord } from '../history/record.js';
import { InvalidSignal, type LocalRun, type StateFile } from '../local/engine.js';
import { sendToInbox } from '../local/inbox.js';
import { ReplayDivergence } from '../local/runtime.js';
import type { RunStore } from '../local/store.js';
import { endedProblem, readLocalRun } from '../local/stored-run.js';
import { signalProblem } from '../sandboxed/signals.js';
import { valueLimitProblem } from '../sandboxed/value-limits.js';
import { abortable, pause } from './waiting.js';
import type { EngineName, EventsOptions, RunHandle, WaitOptions } from './run-handle.js';

/** A resume found the journal and the interpreter disagree: nothing was changed. */
export class ResumeDivergedError extends UsageError {
  override name = 'ResumeDivergedError';
}

/** How often a handle on another process's run looks at its files. */
const POLL_MS = 100;

/** The events of a run this process drives, as they are written. */
export class LiveEvents {
  readonly events: HistoryEvent[] = [];
  private readonly waiting = new Set<() => void>();

  push(event: HistoryEvent): void {
    this.events.push(event);
    this.wake();
  }

  wake(): void {
    for (const wake of [...this.waiting]) wake();
  }

  /** Resolves at the next event (or wake). */
  next(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.waiting.delete(wake);
        resolve();
      };
      this.waiting.add(wake);
    });
  }
}

export class LocalRunHandle implements RunHandle {
  readonly engine: EngineName = 'local';

  constructor(
    private readonly store: RunStore | null,
    readonly runId: string,
    readonly workflow: string,
    /** Set when this process runs it. */
    private readonly live?: { run: LocalRun; events: LiveEvents },
    /** How this handle's Revo resumes a run (set on handles Revo makes). */
    private readonly resumer?: (runId: string) => Promise<RunHandle>,
  ) {}

  /** Continues the run in this process when nobody drives it now; the run as it is when it is driven already. */
  async resume(): Promise<RunHandle> {
    if (this.live || this.held) return this;
    if (!this.resumer) throw new UsageError(`run ${this.runId} cannot be resumed through this handle; use Revo.resume`);
    return this.resumer(this.runId);
  }

  /** The in-process run, when this process drives it. */
  get localRun(): LocalRun | undefined {
    return this.live?.run;
  }

  async signal(name: string, payload: Json = null): Promise<void> {
    if (this.live) {
      const ended = endedStatus(this.live.run.record.status);
      if (ended) throw new RunEndedError(this.runId, ended, `run ${this.runId} has already ${ended}; signal "${name}" was not sent`);
      try {
        this.live.run.signal(name, payload);
      } catch (error) {
        if (error instanceof InvalidSignal) throw new SignalRejectedError(this.runId, name, error.message);
        throw error;
      }
      return;
    }
    const store = this.requireStore();
    const run = readLocalRun(store, this.runId);
    const ended = endedProblem(run);
    if (ended) throw new RunEndedError(this.runId, run.record.status, `${ended}; signal "${name}" was not sent`);
    const problem = signalProblem(run.head.request.bundle.definition, name, payload);
    if (problem) throw new SignalRejectedError(this.runId, name, problem);
    sendToInbox(store.inboxPath(this.runId), { kind: 'signal', id: randomUUID(), name, payload, sentAt: Date.now() });
  }

  async cancel(reason = 'cancelled through the API'): Promise<void> {
    if (this.live) {
      const ended = endedStatus(this.live.run.record.status);
      if (ended) throw new RunEndedError(this.runId, ended, `run ${this.runId} has already ${ended}; nothing to cancel`);
      this.live.run.cancel(reason);
      return;
    }
    const store = this.requireStore();
    const run = readLocalRun(store, this.runId);
    const ended = endedProblem(run);
    if (ended) throw new RunEndedError(this.runId, run.record.status, `${ended}; nothing to cancel`);
    sendToInbox(store.inboxPath(this.runId), { kind: 'cancel', id: randomUUID(), reason, sentAt: Date.now() });
  }

  /** Whether a live process (this one or another) drives the run now. */
  get held(): boolean {
    return this.live !== undefined || (this.store?.holder(this.runId) ?? undefined) !== undefined;
  }

  async query(name = 'state'): Promise<Json> {
    if (this.live) {
      const { run } = this.live;
      if (name === 'state') return run.state() as unknown as Json;
      if (!Object.prototype.hasOwnProperty.call(run.definition.queries ?? {}, name)) throw unknownQuery(this.runId, run.definition.name, name, Object.keys(run.definition.queries ?? {}));
      return this.evaluate(name, () => run.query(name));
    }
    const snapshot = this.snapshot();
    const declared = snapshot.queries ?? {};
    if (name === 'state') return snapshot.state as unknown as Json;
    if (!Object.prototype.hasOwnProperty.call(declared, name)) throw unknownQuery(this.runId, snapshot.workflow, name, Object.keys(declared));
    const [{ render }, { createScope }] = await Promise.all([import('../../interpreter/expressions.js'), import('../../interpreter/scope.js')]);
    // The scope the interpreter evaluates queries against: the variables plus `input` and `workflow`.
    const scope = createScope({ ...snapshot.state.variables, input: snapshot.input, workflow: snapshot.workflowInfo });
    return this.evaluate(name, () => render(declared[name], scope, `query ${name}`));
  }

  /** The state snapshot another process writes for queries (docs/running-locally.md#signals-queries-and-cancelling). */
  snapshot(): StateFile {
    const store = this.requireStore();
    const snapshot = store.readState(this.runId) as StateFile | undefined;
    if (snapshot === undefined) {
      throw new QueryError(`run ${this.runId} has no state snapshot (${store.statePath(this.runId)} is missing); \`revo resume ${this.runId}\` writes it again, \`revo history ${this.runId}\` shows the record`);
    }
    return snapshot;
  }

  private async evaluate(name: string, answer: () => Json): Promise<Json> {
    const { WorkflowError } = await import('../../interpreter/errors.js');
    try {
      const value = answer() ?? null;
      const tooBig = valueLimitProblem(value);
      if (tooBig) throw new WorkflowError('InvalidOutput', `the answer to query "${name}" ${tooBig}`);
      return value;
    } catch (error) {
      if (error instanceof WorkflowError) throw new QueryFailedError(this.runId, name, { type: error.type, message: error.message });
      throw error;
    }
  }

  async outcome(options: WaitOptions = {}): Promise<RunOutcome> {
    if (this.live) {
      return abortable(
        this.live.run.done.catch((error: unknown) => {
          if (error instanceof ReplayDivergence) {
            throw new ResumeDivergedError(`run ${this.runId} cannot be resumed: its journal does not match what the interpreter does now (${error.message}). Nothing was changed; \`revo rerun ${this.runId}\` starts it afresh.`);
          }
          throw error;
        }),
        options.signal,
      );
    }
    const store = this.requireStore();
    for (;;) {
      const { record } = readLocalRun(store, this.runId);
      if (record.status !== 'running') return outcomeOf(record);
      if (store.holder(this.runId) === undefined) {
        throw new UsageError(`run ${this.runId} is not running now (interrupted); continue it with \`revo resume ${this.runId}\` (or Revo.resume)`);
      }
      await pause(POLL_MS, options.signal);
    }
  }

  async result(options: WaitOptions = {}): Promise<Json> {
    const outcome = await this.outcome(options);
    if (outcome.status === 'completed') return outcome.output ?? null;
    throw new RunFailedError(this.runId, outcome.status, outcome.error!);
  }

  async record(): Promise<RunRecord> {
    if (this.live) return structuredClone(this.live.run.record);
    return readLocalRun(this.requireStore(), this.runId).record;
  }

  async *events(options: EventsOptions = {}): AsyncGenerator<HistoryEvent> {
    let next = options.from ?? 0;
    if (this.live) {
      const { run, events } = this.live;
      let ended = false;
      void run.done.finally(() => {
        ended = true;
        events.wake();
      }).catch(() => {});
      for (;;) {
        while (next < events.events.length) yield events.events[next++]!;
        if (ended || options.signal?.aborted) return;
        await abortable(events.next(), options.signal).catch(() => {});
      }
    }
    const store = this.requireStore();
    for (;;) {
      const run = readLocalRun(store, this.runId);
      while (next < run.events.length) yield run.events[next++]!;
      if (run.record.status !== 'running' || run.record.handovers.length > 0 || store.holder(this.runId) === undefined) return;
      if (!(await pause(POLL_MS, options.signal).then(() => true, () => false))) return;
    }
  }

  private requireStore(): RunStore {
    if (!this.store) throw new UsageError(`run ${this.runId} is kept in memory only (no run store)`);
    return this.store;
  }
}

function endedStatus(status: string): string | undefined {
  if (status === 'running') return undefined;
  return status === 'cancelled' ? 'been cancelled' : status;
}

function unknownQuery(runId: string, workflow: string, name: string, declared: string[]): QueryError {
  return new QueryError(`run ${runId} (workflow "${workflow}") has no query "${name}"; available: ${['state', ...declared].join(', ')}`);
}

/** How a recorded run ended. */
export function outcomeOf(record: RunRecord): RunOutcome {
  const status = record.status as RunOutcome['status'];
  return { status, ...(record.output !== undefined && { output: record.output }), ...(record.error && { error: record.error }) };
}
