/**
 * A run on Temporal, through the RunHandle of the API. Its run id is its workflow id
 * (the same across continue-as-new). Signals are checked against the definition the
 * run was started with (read from its first history event) before they are sent;
 * queries go through a worker; events are polled from the run while it runs and read
 * from its history once it has ended. Every call goes through the connection's
 * TemporalRetry: a server that goes away is waited for, and following goes on from the
 * last event seen once it is back (docs/reliability.md#temporal-server-restarts).
 * Describing the run and signalling it go through the lean client (src/temporal/wire/),
 * so a signal loads no SDK; the other calls connect the SDK's client on first use.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { RunOutcome } from '../../interpreter/run.js';
import { QueryError, QueryFailedError, RunEndedError, RunFailedError, SignalRejectedError, TemporalGoneError, UsageError } from '../errors.js';
import type { RunRecord } from '../history/record.js';
import { valueLimitProblem } from '../sandboxed/value-limits.js';
import { EVENTS_QUERY, SIGNAL_REJECTED, type EventsPage, type RevoWorkflowInput } from '../sandboxed/workflow/contract.js';
import type { TemporalRetry } from '../temporal/retry-unavailable.js';
import { GRPC, GrpcError } from '../temporal/wire/grpc.js';
import type { TemporalWire, WireDescription } from '../temporal/wire/workflow-service.js';
import type { TemporalConnection } from './temporal-connection.js';
import type { EngineName, EventsOptions, RunHandle, WaitOptions } from './run-handle.js';
import { abortable, pause } from './waiting.js';

/** How long the description Revo.temporalRun read stands in for a new one (a `revo signal` asks once, not twice). */
const FRESH_MS = 1_000;

/** How often a running run is asked for its new events. */
const EVENTS_EVERY_MS = 250;

export class TemporalRunHandle implements RunHandle {
  readonly engine: EngineName = 'temporal';
  private started: Promise<RevoWorkflowInput> | undefined;
  private ended: Promise<RunOutcome> | undefined;

  private readonly retry: TemporalRetry;

  /** A description just read (by Revo.temporalRun), taken by the first describeRun if still fresh. */
  private described: { description: WireDescription; at: number } | undefined;

  constructor(
    /** The Revo instance's connection to Temporal: its SDK client, its lean client, its TemporalRetry. */
    private readonly temporal: TemporalConnection,
    readonly runId: string,
    readonly workflow: string,
    described?: WireDescription,
  ) {
    this.retry = temporal.retry;
    if (described) this.described = { description: described, at: Date.now() };
  }

  /** `action` against Temporal, waited out while the server is away; the give-up names this run. */
  private call<T>(action: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.retry.call(action, { runId: this.runId, ...(signal && { signal }) });
  }

  /** The SDK's client (shared by the Revo instance), connected on first use (a server away then is waited for too). */
  client(): Promise<Client> {
    return this.call(() => this.temporal.connect());
  }

  /** The lean client of describe and signal (shared by the Revo instance). */
  private wire(): Promise<TemporalWire> {
    return this.call(() => this.temporal.wire());
  }

  private async handle(): Promise<WorkflowHandle> {
    return (await this.client()).workflow.getHandle(this.runId);
  }

  /** The definition and input the run was started with. */
  startArgument(): Promise<RevoWorkflowInput> {
    this.started ??= (async () => {
      const [client, { startArgument }] = await Promise.all([this.client(), import('../temporal/client.js')]);
      return this.call(() => startArgument(client, this.runId));
    })();
    this.started.catch(() => (this.started = undefined));
    return this.started;
  }

  /** The run's Temporal status name (RUNNING, COMPLETED, …), task queue and first execution's run id. */
  async describeRun(): Promise<{ status: string; taskQueue: string; firstExecutionRunId: string }> {
    const given = this.described;
    this.described = undefined;
    // Asked again only if older: a run that ended since is told apart when the signal itself finds it gone (see signal).
    const fresh = given && Date.now() - given.at < FRESH_MS ? given.description : undefined;
    const wire = await this.wire();
    const { status, taskQueue, firstExecutionRunId } = fresh ?? (await this.call(() => wire.describe(this.runId)));
    return { status, taskQueue, firstExecutionRunId };
  }

  private async hasWorkers(taskQueue: string): Promise<boolean> {
    const wire = await this.wire();
    return this.call(() => wire.hasWorkers(taskQueue));
  }

  async waitingForWorker(): Promise<boolean> {
    const { taskQueue } = await this.describeRun();
    return !(await this.hasWorkers(taskQueue));
  }

  private async running(refusal: string): Promise<void> {
    const { status } = await this.describeRun();
    if (status !== 'RUNNING') throw this.endedError(status, refusal);
  }

  /**
   * Sent as an Update when a worker can answer: the run itself checks the payload and
   * refuses a bad one synchronously, and the call returns once the payload is in the
   * run's inbox. Without a worker (or for a run from before Updates) it is a plain
   * signal, checked here first, that waits in Temporal until a worker takes it.
   */
  async signal(name: string, payload: Json = null): Promise<void> {
    const refusal = `signal "${name}" was not sent`;
    const { status, taskQueue } = await this.describeRun();
    if (status !== 'RUNNING') throw this.endedError(status, refusal);
    const wire = await this.wire();
    try {
      if (await this.hasWorkers(taskQueue)) {
        // One update id for every attempt: a retried update the server already took is not taken twice.
        const updateId = randomUUID();
        const outcome = await this.call(() => wire.executeUpdate(this.runId, name, payload, updateId));
        if (outcome.ok) return;
        if (outcome.type === SIGNAL_REJECTED) throw new SignalRejectedError(this.runId, name, outcome.message);
        // No such update (a run started before signals were Updates): send it as a plain signal.
      }
      // Checked here, against the definition the run started with: no worker would refuse it to the sender.
      const [{ bundle }, { signalProblem }] = await Promise.all([this.startArgument(), import('../sandboxed/signals.js')]);
      const problem = signalProblem(bundle.definition, name, payload);
      if (problem) throw new SignalRejectedError(this.runId, name, problem);
      await this.call(() => wire.signal(this.runId, name, payload));
    } catch (error) {
      if (!(error instanceof GrpcError)) throw error;
      // The run ended between the describe and the signal: said as if it had ended before.
      if (error.code === GRPC.NOT_FOUND) await this.running(refusal);
      // Anything else Temporal answered (a permission, a limit) is the user's to act on, not a bug in Revo.
      throw new UsageError(`Temporal at ${this.retry.address} did not take signal "${name}" for run ${this.runId}: ${error.message}`);
    }
  }

  private endedError(status: string, refusal: string): RunEndedError {
    const said = status.toLowerCase().replace(/_/g, ' ');
    return new RunEndedError(this.runId, said, `run ${this.runId} has already ended on Temporal (${said}); ${refusal} (see it with: revo history ${this.runId})`);
  }

  async query(name = 'state'): Promise<Json> {
    const [{ taskQueue }, { bundle }] = await Promise.all([this.describeRun(), this.startArgument()]);
    const declared = Object.keys(bundle.definition.queries ?? {});
    if (name !== 'state' && !declared.includes(name)) {
      throw new QueryError(`run ${this.runId} (workflow "${bundle.definition.name}") has no query "${name}"; available: ${['state', ...declared].join(', ')}`);
    }
    // A query is answered by a worker: without one Temporal would only time out, much later.
    if (!(await this.hasWorkers(taskQueue))) {
      throw new QueryError(`run ${this.runId} cannot answer queries now: no worker polls its task queue "${taskQueue}"; start one with \`revo worker\` (\`revo history ${this.runId}\` needs none)`);
    }
    let answer: Json;
    try {
      const handle = await this.handle();
      answer = ((await this.call(() => handle.query<Json>(name))) ?? null) as Json;
    } catch (err) {
      if (err instanceof TemporalGoneError) throw err;
      throw new QueryError(`query "${name}" of run ${this.runId} got no answer: ${(err as Error).message.split('\n')[0]} (a query needs a running \`revo worker\` on the run's task queue)`);
    }
    const tooBig = valueLimitProblem(answer);
    if (tooBig) throw new QueryFailedError(this.runId, name, { type: 'InvalidOutput', message: `the answer to query "${name}" ${tooBig}` });
    return answer;
  }

  async cancel(): Promise<void> {
    await this.running('nothing to cancel');
    const handle = await this.handle();
    await this.call(() => handle.cancel());
  }

  outcome(options: WaitOptions = {}): Promise<RunOutcome> {
    // A long poll: cut by an outage, it is asked again, and Temporal answers with the run's end.
    this.ended ??= (async () => {
      const [handle, { runOutcome }] = await Promise.all([this.handle(), import('../temporal/client.js')]);
      return this.call(() => runOutcome(handle));
    })();
    return abortable(this.ended, options.signal);
  }

  async result(options: WaitOptions = {}): Promise<Json> {
    const outcome = await this.outcome(options);
    if (outcome.status === 'completed') return outcome.output ?? null;
    throw new RunFailedError(this.runId, outcome.status, outcome.error!);
  }

  async record(events?: HistoryEvent[]): Promise<RunRecord> {
    const [client, { temporalRecord }] = await Promise.all([this.client(), import('../temporal/history.js')]);
    return this.call(() => temporalRecord(client, this.runId, events));
  }

  /** Every event so far, rebuilt from the run's histories (no worker needed). */
  async history(): Promise<HistoryEvent[]> {
    const [client, { temporalEvents }] = await Promise.all([this.client(), import('../temporal/history.js')]);
    return this.call(() => temporalEvents(client, this.runId));
  }

  async *events(options: EventsOptions = {}): AsyncGenerator<HistoryEvent> {
    let next = options.from ?? 0;
    let ended = false;
    let unreachable = false;
    void this.outcome().then(
      () => (ended = true),
      (error: unknown) => {
        ended = true;
        // Temporal never came back: outcome() reports it; there is no history to read either.
        unreachable = error instanceof TemporalGoneError;
      },
    );
    // While it runs: the workflow's own events query (answered by a worker), from `next` on.
    let part: string | undefined;
    let partStart = 0;
    const handle = await this.handle();
    while (!ended && !options.signal?.aborted) {
      try {
        const page = await this.call(() => handle.query<EventsPage, [number]>(EVENTS_QUERY, next - partStart), options.signal);
        if (part !== undefined && page.runId !== part) {
          // A new part after continue-as-new: its events are numbered from 0 again.
          partStart = next;
          part = page.runId;
          continue;
        }
        part = page.runId;
        for (const event of page.events) {
          next++;
          yield event;
        }
      } catch (error) {
        if (error instanceof TemporalGoneError) return;
        // No worker has picked the run up yet, or it just ended: try again shortly.
      }
      if (!(await pause(EVENTS_EVERY_MS, options.signal).then(() => true, () => false))) return;
    }
    if (options.signal?.aborted || unreachable) return;
    // Ended: the last events came after the last poll; its history has them all.
    const all = await this.history();
    while (next < all.length) yield all[next++]!;
  }
}
