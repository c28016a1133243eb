/**
 * Runs a bundle to its end inside this process with nothing on disk: journals in
 * memory and, unless told otherwise, a virtual clock, so a workflow that sleeps for
 * a month finishes in milliseconds. `revo test` and the engine's own test harness
 * both run workflows this way.
 */
import type { RunRequest } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { RunOutcome } from '../../interpreter/run.js';
import type { ActivityDefinition } from '../activities/types.js';
import { VirtualClock, type Clock } from './clock.js';
import { LocalEngine, type LocalRun } from './engine.js';

export interface InMemoryRunOptions extends RunRequest {
  /** Every activity the run may call, built-ins included; a later name replaces an earlier one. */
  activities: Iterable<ActivityDefinition>;
  /** Default: a fresh VirtualClock. */
  clock?: Clock;
  /** Every history event of every run of the engine (children included), as it is written. */
  onEvent?(run: LocalRun, event: HistoryEvent): void;
  /** Called right after the run started, before waiting for its end (send signals, cancel…). */
  started?(run: LocalRun): void | Promise<void>;
}

export interface InMemoryRun {
  outcome: RunOutcome;
  run: LocalRun;
  engine: LocalEngine;
  clock: Clock;
  /** Time on the run's clock from its start to its end, in ms. */
  elapsedMs: number;
}

/** Starts the run (the input is checked first: InvalidRunInput) and resolves when it has ended. */
export async function runInMemory(options: InMemoryRunOptions): Promise<InMemoryRun> {
  const clock = options.clock ?? new VirtualClock();
  const engine = new LocalEngine({
    activities: new Map([...options.activities].map((d) => [d.name, d])),
    store: null,
    clock,
    ...(options.onEvent && { onEvent: options.onEvent }),
  });
  const startedAt = clock.now();
  const run = engine.start({ bundle: options.bundle, input: options.input });
  await options.started?.(run);
  const outcome = await run.done;
  return { outcome, run, engine, clock, elapsedMs: clock.now() - startedAt };
}
