/**
 * Seeing a run through in the terminal, whatever engine has it (`revo run`, `resume`,
 * `result`, `rerun`): the live view from the handle's events, Ctrl-C and SIGTERM, then
 * the output (or the run record with --json) on stdout and the exit code.
 *
 * Ctrl-C (or SIGTERM) once asks the run to cancel: its compensations and `finally`
 * blocks run first. Twice: leave at once — a local run stays resumable (`revo resume`),
 * a Temporal run goes on there (`revo result`). A Temporal run no worker has picked up
 * is left queued at the first one, its cancellation recorded on Temporal.
 */
import type { RunOutcome } from '../../interpreter/run.js';
import type { Revo } from '../api/revo.js';
import type { RunHandle } from '../api/run-handle.js';
import { RunRecorder } from '../history/record.js';
import type { Terminal } from './cli-revo.js';
import { EXIT_CODES } from './exit-codes.js';
import { useColor, write } from './output.js';
import { createProgressView } from './progress/index.js';
import { outcomeSummary } from './render/outcome.js';

export interface FollowOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Said once Ctrl-C and SIGTERM are handled, so that a user (or a script) who reacts to it finds them handled. */
export type Announcement = string | undefined;

/** Follows `handle` to its end and returns the exit code. */
export async function followRun(revo: Revo, handle: RunHandle, term: Terminal, options: FollowOptions, announce?: Announcement): Promise<number> {
  const view = options.quiet
    ? undefined
    : createProgressView(process.stderr, { tty: process.stderr.isTTY === true, color: useColor(process.stderr), columns: process.stderr.columns, rows: process.stderr.rows });
  term.view = view;
  const recorder = new RunRecorder();
  const stopFollowing = new AbortController();
  // Children have their own runs and records; the view follows the run the user started.
  const following = view
    ? (async () => {
        for await (const event of handle.events({ signal: stopFollowing.signal })) {
          recorder.apply(event);
          view.event(handle.runId, event, recorder.record);
        }
      })().catch((error: Error) => term.say(`could not follow the run's progress: ${error.message.split('\n')[0]}`))
    : Promise.resolve();

  // What Ctrl-C does is said even with --quiet: the user pressed it.
  const tell = (text: string) => (view ? view.note(`revo: ${text}`) : process.stderr.write(`\nrevo: ${text}\n`));
  let interrupts = 0;
  const leave = async (): Promise<never> => {
    view?.close();
    term.view = undefined;
    const local = handle.engine === 'local';
    if (local) await revo.close();
    process.stderr.write(
      local
        ? `revo: stopped. The run is kept as it was; continue it with: revo resume ${handle.runId}\n`
        : `revo: left run ${handle.runId}, which goes on on Temporal; wait for it with: revo result ${handle.runId}\n`,
    );
    process.exit(130);
  };
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) return void leave();
    const where = handle.engine === 'local' ? '' : ' on Temporal';
    const again = handle.engine === 'local' ? 'stop at once and keep the run resumable' : 'leave it running there';
    tell(`cancelling run ${handle.runId}${where} (compensations run first). Press Ctrl-C again to ${again}.`);
    void handle
      .cancel('cancelled from the terminal (Ctrl-C)')
      .then(async () => {
        if (handle.engine === 'temporal' && (await handle.waitingForWorker?.())) {
          tell(`no worker has picked up run ${handle.runId}: it stays queued on Temporal with its cancellation, which takes effect once a worker runs (revo worker)`);
          await leave();
        }
      })
      .catch((error: Error) => tell(`could not cancel: ${error.message.split('\n')[0]}`));
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  if (announce !== undefined) term.say(announce);
  let outcome: RunOutcome;
  try {
    outcome = await handle.outcome();
    await following;
  } finally {
    stopFollowing.abort();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    view?.close();
    term.view = undefined;
  }
  // Children started with `wait: false` finish before the process leaves (they stay on the local engine).
  await revo.idle();
  if (options.json) {
    await write(process.stdout, `${JSON.stringify(await handle.record(), null, 2)}\n`);
  } else {
    await write(process.stdout, outcomeSummary(handle.runId, outcome));
  }
  return outcome.status === 'completed' ? EXIT_CODES.ok : EXIT_CODES.failed;
}
