/**
 * Seeing a local run through in the terminal, for `revo run` and `revo resume`:
 * progress on stderr, Ctrl-C handling, the result (or the run record with --json)
 * on stdout, and the exit code.
 */
import type { HistoryEvent } from '../../interpreter/history.js';
import type { RunOutcome } from '../../interpreter/run.js';
import type { ActivityDefinition } from '../activities/types.js';
import { LocalEngine, type LocalRun } from '../local/engine.js';
import { RunStore } from '../local/store.js';
import { createProgressView, type ProgressView } from './progress/index.js';
import { EXIT_CODES } from './exit-codes.js';
import { useColor, write } from './output.js';
import { outcomeSummary } from './render/outcome.js';

export interface WatchOptions {
  json?: boolean;
  /** No progress output (the result is still printed). */
  quiet?: boolean;
}

/** An engine whose runs journal to the run store and report progress to stderr. */
export function terminalEngine(activities: Map<string, ActivityDefinition>, options: WatchOptions): { engine: LocalEngine; view: ProgressView | undefined } {
  const view = options.quiet
    ? undefined
    : createProgressView(process.stderr, { tty: process.stderr.isTTY === true, color: useColor(process.stderr), columns: process.stderr.columns, rows: process.stderr.rows });
  let root: string | undefined;
  const engine = new LocalEngine({
    activities,
    store: new RunStore(),
    onEvent: (run: LocalRun, event: HistoryEvent) => {
      root ??= run.runId;
      // Children have their own runs and records; the view follows the run the user started.
      if (run.runId === root) view?.event(run.runId, event, run.record);
    },
  });
  return { engine, view };
}

/** Follows `run` to its end and returns the exit code. */
export async function watchRun(run: LocalRun, view: ProgressView | undefined, options: WatchOptions): Promise<number> {
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      const message = `revo: cancelling run ${run.runId} (compensations run first). Press Ctrl-C again to stop at once and keep the run resumable.`;
      if (view) view.note(message);
      else process.stderr.write(`\n${message}\n`);
      run.cancel('cancelled from the terminal (Ctrl-C)');
      return;
    }
    view?.close();
    for (const r of run.engine.runs.values()) r.abandon();
    process.stderr.write(`revo: stopped. The run is kept as it was; continue it with: revo resume ${run.runId}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onInterrupt);
  let outcome: RunOutcome;
  try {
    outcome = await run.done;
    // Children started with `wait: false` finish before the process leaves.
    await Promise.allSettled([...run.engine.runs.values()].map((r) => r.done));
  } finally {
    process.off('SIGINT', onInterrupt);
    view?.close();
  }
  if (options.json) {
    await write(process.stdout, `${JSON.stringify(run.record, null, 2)}\n`);
  } else {
    await write(process.stdout, outcomeSummary(run.runId, outcome));
  }
  return outcome.status === 'completed' ? EXIT_CODES.ok : EXIT_CODES.failed;
}
