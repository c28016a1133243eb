/**
 * Sends a case's signals (and its cancellation) to the run under test: at a virtual
 * time after the start, or as soon as the run starts waiting for that signal.
 * Whatever could not be sent (the run ended first, a payload the signal's schema
 * refuses) becomes a failure of the case, so a test never passes by accident.
 */
import type { HistoryEvent } from '../../interpreter/history.js';
import { formatDuration, parseDuration } from '../../interpreter/duration.js';
import type { Json } from '../../interpreter/model.js';
import type { Clock } from '../local/clock.js';
import type { LocalRun } from '../local/engine.js';
import type { Failure } from './report.js';
import type { SignalPlan } from './test-file.js';

interface Pending {
  plan: SignalPlan;
  /** Index in the case's `signals`. */
  index: number;
  sent: boolean;
}

export class SignalSchedule {
  private readonly pending: Pending[];
  private readonly failures: Failure[] = [];
  private readonly stopTimers = new AbortController();
  private run: LocalRun | undefined;
  private cancelled = false;

  constructor(
    plans: readonly SignalPlan[],
    private readonly cancelAt: string | undefined,
    /** Wait step id → the signal it waits for, in the workflow under test. */
    private readonly waits: ReadonlyMap<string, string>,
  ) {
    this.pending = plans.map((plan, index) => ({ plan, index, sent: false }));
  }

  /** Arms the timed signals and the cancellation; call right after the run started. */
  start(run: LocalRun, clock: Clock): void {
    this.run = run;
    for (const item of this.pending) {
      if (item.plan.at !== undefined) this.after(clock, item.plan.at, () => this.send(item));
    }
    if (this.cancelAt !== undefined) {
      const at = this.cancelAt;
      this.after(clock, at, () => {
        this.cancelled = true;
        run.cancel(`cancelled by the test at ${at}`);
      });
    }
  }

  /** Every history event of the engine: a `wait` of the run under test starting takes the next `when: waited` signal for it. */
  onEvent(run: LocalRun, event: HistoryEvent): void {
    // Only the run under test (not a child); its first steps may start before start() has been called.
    if (run.record.parent !== undefined || event.type !== 'step.started' || event.kind !== 'wait') return;
    this.run ??= run;
    const signal = this.waits.get(event.id);
    const next = this.pending.find((item) => !item.sent && item.plan.when === 'waited' && item.plan.name === signal);
    if (!next) return;
    next.sent = true; // taken now, so a second wait starting in the same turn gets the next one
    // After the event is written (not in the middle of recording it), before the clock can run the wait's timeout out.
    queueMicrotask(() => this.send(next));
  }

  /** Stops the timers that have not fired; returns what could not be done, as failures. */
  finish(runEndedAfterMs: number): Failure[] {
    this.stopTimers.abort();
    for (const item of this.pending) {
      if (item.sent) continue;
      const why = item.plan.at !== undefined ? `the run ended after ${formatDuration(runEndedAfterMs)}, before ${item.plan.at}` : `no \`wait\` for "${item.plan.name}" started`;
      this.failures.push({ path: ['signals', item.index], message: `signal "${item.plan.name}" was never sent: ${why}` });
    }
    if (this.cancelAt !== undefined && !this.cancelled) {
      this.failures.push({ path: ['cancel', 'at'], message: `the run was never cancelled: it ended after ${formatDuration(runEndedAfterMs)}, before ${this.cancelAt}` });
    }
    return this.failures;
  }

  private after(clock: Clock, duration: string, then: () => void): void {
    clock.sleep(parseDuration(duration) ?? 0, this.stopTimers.signal).then(then, () => {});
  }

  private send(item: Pending): void {
    item.sent = true;
    try {
      this.run!.signal(item.plan.name, (item.plan.payload ?? null) as Json);
    } catch (error) {
      this.failures.push({ path: ['signals', item.index], message: `signal "${item.plan.name}" was refused: ${(error as Error).message}` });
    }
  }
}
