/**
 * Seeing a local run through in the terminal, for `revo run` and `revo resume`:
 * progress on stderr, Ctrl-C handling, the result (or the run record with --json)
 * on stdout, and the exit code.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
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

/** An engine whose runs journal to the run store and report progress to stderr (and each event to `onEvent`). */
export function terminalEngine(
  activities: Map<string, ActivityDefinition>,
  options: WatchOptions,
  onEvent?: (run: LocalRun, event: HistoryEvent) => void,
): { engine: LocalEngine; view: ProgressView | undefined } {
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
      onEvent?.(run, event);
    },
  });
  return { engine, view };
}

/** A local run that went on on Temporal (`--engine auto`). */
export interface HandedOver {
  client: Client;
  handle: WorkflowHandle;
  /** Events of the run's history written locally: the Temporal history starts with them. */
  localEvents: number;
  /** Stops passing on to Temporal what arrives in the local inbox. */
  stopForwarding: () => void;
}

/**
 * Follows `run` to its end and returns the exit code. When `handedOver` settles first,
 * the run has moved to Temporal and is followed there, in the same view.
 */
export async function watchRun(run: LocalRun, view: ProgressView | undefined, options: WatchOptions, handedOver?: Promise<HandedOver>): Promise<number> {
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
  let ended: { outcome: RunOutcome } | { to: HandedOver } | undefined;
  try {
    ended = await Promise.race([run.done.then((outcome) => ({ outcome })), ...(handedOver ? [handedOver.then((to) => ({ to }))] : [])]);
  } finally {
    process.off('SIGINT', onInterrupt);
    if (!ended || 'outcome' in ended) view?.close();
  }
  // Children started with `wait: false` finish before the process leaves (they stay on the local engine).
  const children = Promise.allSettled([...run.engine.runs.values()].filter((r) => r !== run).map((r) => r.done));
  if ('to' in ended) {
    view?.note(`revo: run ${run.runId} moved to Temporal; it goes on there`);
    const { watchTemporalRun } = await import('./watch-temporal-run.js');
    const code = await watchTemporalRun(ended.to.client, ended.to.handle, options, { view, recorder: run.recorder, shown: ended.to.localEvents }).finally(ended.to.stopForwarding);
    await children;
    return code;
  }
  await children;
  const { outcome } = ended;
  if (options.json) {
    await write(process.stdout, `${JSON.stringify(run.record, null, 2)}\n`);
  } else {
    await write(process.stdout, outcomeSummary(run.runId, outcome));
  }
  return outcome.status === 'completed' ? EXIT_CODES.ok : EXIT_CODES.failed;
}
