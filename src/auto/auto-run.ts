/**
 * `engine: 'auto'` (docs/auto.md): the run goes to Temporal when Temporal answers and a
 * worker polls the task queue; otherwise it runs on the local engine, and Revo checks
 * again at step boundaries and on a timer (with backoff) whether Temporal is back. When
 * it is, the run is handed over (handover.ts) under the same run id, and the handle
 * follows it there: one RunHandle for the whole run, whichever engine has it now.
 */
import type { Client } from '@temporalio/client';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { RunOutcome } from '../../interpreter/run.js';
import type { LocalRunHandle } from '../api/local-run-handle.js';
import type { Revo, RunPriority, Workflow } from '../api/revo.js';
import type { EngineName, EventsOptions, RunHandle, WaitOptions } from '../api/run-handle.js';
import { TemporalRunHandle } from '../api/temporal-run-handle.js';
import { pause } from '../api/waiting.js';
import { RunFailedError } from '../errors.js';
import type { RunRecord } from '../history/record.js';
import type { ReusePlan } from '../sandboxed/reuse.js';
import type { TemporalSettings } from '../temporal/connection.js';
import { continueOnTemporal, forwardInbox, handOverProblem } from './handover.js';
import { TemporalProbe } from './probe.js';

/** Events after which the run stands between two steps. */
const BOUNDARIES = new Set<HistoryEvent['type']>(['step.completed', 'step.failed', 'step.skipped']);
const ENDS = new Set<HistoryEvent['type']>(['run.completed', 'run.failed', 'run.cancelled']);

/** Starts a run the `auto` way: on Temporal if it can take it now, else locally, handed over once it can. */
export async function startAuto(revo: Revo, workflow: Workflow, input: Json, trigger: string, reuse?: ReusePlan, priority?: RunPriority): Promise<RunHandle> {
  const settings = await revo.temporal.settings();
  const probe = new TemporalProbe(settings);
  const first = await probe.check();
  if ('client' in first) {
    revo.temporal.adopt(first.client);
    const handle = await revo.start(workflow, { input, trigger, engine: 'temporal', ...(reuse && { reuse }), ...(priority && { priority }) } as Parameters<Revo['start']>[1]);
    revo.notice(`run ${handle.runId} started (${workflow.name}, Temporal engine at ${settings.address})`);
    return handle;
  }
  const run = new AutoRun(revo, settings, probe);
  run.begin(workflow, input, trigger, reuse);
  revo.notice(`${first.problem}: run ${run.runId} started on the local engine (${workflow.name}); it moves to Temporal once Temporal can take it`);
  return run;
}

/** A run whose journal says it was handed over: its Temporal part (started now if a crash came first), followed there. */
export async function continueHandedOver(revo: Revo, runId: string): Promise<TemporalRunHandle> {
  const [client, settings] = await Promise.all([revo.temporal.connect(), revo.temporal.settings()]);
  revo.notice(`run ${runId} was handed over to Temporal; following it there`);
  const { handle } = await startHandedOver(revo, client, settings, runId);
  return handle;
}

/**
 * Starts the Temporal part of a handed-over run, trying again (with backoff) if Temporal
 * went away in between: the local part has stopped for good, so the run must get there.
 * What reaches the local inbox after the hand-over is passed on until the run ends.
 */
async function startHandedOver(revo: Revo, client: Client, settings: TemporalSettings, runId: string): Promise<{ handle: TemporalRunHandle; localEvents: number }> {
  const { store } = revo;
  const say = (text: string) => revo.notice(text);
  for (let delayMs = 1_000; ; delayMs = Math.min(delayMs * 2, 30_000)) {
    try {
      const continued = await continueOnTemporal(client, settings, store, runId);
      const stopForwarding = forwardInbox(store, runId, continued.handle, say);
      const handle = new TemporalRunHandle(revo.temporal, runId, String((await continued.handle.describe()).memo?.workflow ?? runId));
      void handle.outcome().finally(stopForwarding).catch(() => {});
      return { handle, localEvents: continued.localEvents };
    } catch (error) {
      say(`run ${runId} was handed over, but starting it on Temporal failed (${(error as Error).message.split('\n')[0]}); trying again in ${delayMs / 1000}s`);
      await pause(delayMs);
    }
  }
}

/** A run started locally by the auto engine, until and after its hand-over. */
class AutoRun implements RunHandle {
  private local!: LocalRunHandle;
  private temporal: TemporalRunHandle | undefined;
  /** Settles when the run has moved to Temporal (with how many events the local part wrote). */
  private readonly handedOver: Promise<{ handle: TemporalRunHandle; localEvents: number }>;
  private settleHandOver!: (to: { handle: TemporalRunHandle; localEvents: number }) => void;
  /** Set while the hand-over is under way: signals and cancels then wait for its end. */
  private moving: Promise<boolean> | undefined;
  private stopped = false;
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly revo: Revo,
    private readonly settings: TemporalSettings,
    private readonly probe: TemporalProbe,
  ) {
    this.handedOver = new Promise((resolve) => (this.settleHandOver = resolve));
  }

  get runId(): string {
    return this.local.runId;
  }

  get workflow(): string {
    return this.local.workflow;
  }

  get engine(): EngineName {
    return this.temporal ? 'temporal' : 'local';
  }

  begin(workflow: Workflow, input: Json, trigger: string, reuse?: ReusePlan): void {
    this.local = this.revo.startLocal(
      workflow,
      input,
      trigger,
      undefined,
      (event) => {
        if (BOUNDARIES.has(event.type)) this.checkSoon();
        if (ENDS.has(event.type)) this.stop();
      },
      reuse,
    );
    void this.local.outcome().finally(() => this.stop()).catch(() => {});
    this.tick();
  }

  // -- the state machine: local → (checks) → hand-over → temporal ---------------------

  private stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** A run waiting on a long `sleep` or `wait` reaches no boundary: check on a timer too. */
  private tick(): void {
    this.checkSoon();
    if (!this.stopped) this.timer = setTimeout(() => this.tick(), 1_000).unref();
  }

  private checkSoon(): void {
    void this.check().catch((error: Error) => this.revo.notice(`checking Temporal failed: ${error.message}`));
  }

  /** Checks when the backoff allows, and hands the run over when Temporal can take it. */
  private async check(): Promise<void> {
    if (this.stopped || this.busy || !this.probe.due) return;
    this.busy = true;
    try {
      const result = await this.probe.check();
      if ('problem' in result) return;
      await this.handOver(result.client);
    } finally {
      this.busy = false;
    }
  }

  private async handOver(client: Client): Promise<void> {
    const run = this.local.localRun!;
    const problem = this.stopped ? undefined : handOverProblem(run, this.revo.store);
    if (problem) this.revo.notice(`Temporal is back, but run ${run.runId} stays local: ${problem}`);
    else if (!this.stopped) {
      this.moving = run.handOver('temporal', `Temporal at ${this.settings.address} became reachable`);
      if (await this.moving) {
        this.stop();
        this.revo.temporal.adopt(client);
        const to = await startHandedOver(this.revo, client, this.settings, run.runId);
        this.temporal = to.handle;
        this.revo.notice(`run ${run.runId} moved to Temporal; it goes on there`);
        this.settleHandOver(to);
        return;
      }
      this.moving = undefined;
    }
    // Too large to move, or it ended or was asked to stop meanwhile: it finishes here.
    this.stop();
    await client.connection.close().catch(() => {});
  }

  /** The engine that has the run now, once any hand-over under way has ended. */
  private async current(): Promise<RunHandle> {
    if (this.temporal) return this.temporal;
    if (this.moving && (await this.moving)) return (await this.handedOver).handle;
    return this.local;
  }

  // -- the RunHandle -------------------------------------------------------------------

  async signal(name: string, payload?: Json): Promise<void> {
    return (await this.current()).signal(name, payload);
  }

  async query(name?: string): Promise<Json> {
    return (await this.current()).query(name);
  }

  async cancel(reason?: string): Promise<void> {
    return (await this.current()).cancel(reason);
  }

  async outcome(options: WaitOptions = {}): Promise<RunOutcome> {
    const first = await Promise.race([this.local.outcome(options).then((outcome) => ({ outcome })), this.handedOver.then((to) => ({ to }))]);
    return 'outcome' in first ? first.outcome : first.to.handle.outcome(options);
  }

  async result(options: WaitOptions = {}): Promise<Json> {
    const outcome = await this.outcome(options);
    if (outcome.status === 'completed') return outcome.output ?? null;
    throw new RunFailedError(this.runId, outcome.status, outcome.error!);
  }

  async waitingForWorker(): Promise<boolean> {
    return this.temporal ? this.temporal.waitingForWorker() : false;
  }

  async record(): Promise<RunRecord> {
    return (this.temporal ?? this.local).record();
  }

  async *events(options: EventsOptions = {}): AsyncGenerator<HistoryEvent> {
    let next = options.from ?? 0;
    if (!this.temporal) {
      // The local part, until the hand-over (the local events end with `engine.handover`).
      const moved = new AbortController();
      void this.handedOver.then(() => moved.abort());
      options.signal?.addEventListener('abort', () => moved.abort(), { once: true });
      for await (const event of this.local.events({ from: next, signal: moved.signal })) {
        next++;
        yield event;
      }
      if (options.signal?.aborted) return;
      const local = await Promise.race([this.handedOver, this.local.outcome().then(() => undefined, () => undefined)]);
      if (!local) return;
    }
    // The Temporal history starts with the local events: go on from there.
    yield* (await this.handedOver).handle.events({ ...options, from: next });
  }
}
