import { Command } from 'commander';
import type { HistoryEvent } from '../../../interpreter/history.js';
import { UsageError } from '../../errors.js';
import { RunRecorder, type RunRecord } from '../../history/record.js';
import type { StartEntry } from '../../local/engine.js';
import { JournalCorruptError, readJournal } from '../../local/journal.js';
import { RunStore } from '../../local/store.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';
import { findRun } from '../run-ids.js';

interface HistoryOptions {
  json?: boolean;
  full?: boolean;
}

export function historyCommand(): Command {
  return new Command('history')
    .description('Show the record of a run: every step with its input, output, attempts and errors, the decisions taken, signals, compensations and the result.')
    .argument('<runId>', 'the run id (or a unique prefix of it)')
    .option('--json', 'print the run record (DSL.md §8) as JSON')
    .option('--full', 'print inputs, outputs and payloads whole instead of cut to one line')
    .addHelpText(
      'after',
      `
Works while the run is going on too: it shows the journal as written so far. A run the
journal says is running but no process holds shows as interrupted (continue it with
\`revo resume <runId>\`).

Exit codes: ${EXIT_CODES.ok} shown (whatever the run's status); ${EXIT_CODES.usage} unknown run id or unreadable journal.

Examples:
  revo history order-20260101-120000-k3f9
  revo history order-2026 --full
  revo history order-20260101-120000-k3f9 --json | jq '.steps[] | select(.status == "failed")'`,
    )
    .action(async (idOrPrefix: string, options: HistoryOptions) => {
      const store = new RunStore();
      const run = readLocalRun(store, findRun(store, idOrPrefix));
      if (options.json) {
        await write(process.stdout, `${JSON.stringify(run.record, null, 2)}\n`);
      } else {
        const { renderHistoryText } = await import('../render/history-text.js');
        await write(process.stdout, renderHistoryText(run.record, { color: useColor(process.stdout), held: run.holder !== undefined, full: options.full === true }));
      }
      if (run.cutOff) process.stderr.write(`revo: the journal of ${run.runId} ends in a partial line (its process was killed while writing); that line is not shown.\n`);
    });
}

/**
 * A local run as its journal has it. Shared by the commands that read runs or talk to
 * them (history, runs, signal, cancel); a run on Temporal will be read by its client.
 */
export interface LocalRunInfo {
  runId: string;
  /** The journal's first entry: the definition and input the run started with. */
  head: StartEntry;
  record: RunRecord;
  /** The pid of the live process running it now, if any. */
  holder: number | undefined;
  /** The journal ended in a partial line (a crash mid-write), which was ignored. */
  cutOff: boolean;
}

/** Reads and folds a local run's journal; an unusable journal is a UsageError naming the file. */
export function readLocalRun(store: RunStore, runId: string): LocalRunInfo {
  const path = store.journalPath(runId);
  let contents: ReturnType<typeof readJournal>;
  try {
    contents = readJournal(path);
  } catch (error) {
    if (error instanceof JournalCorruptError) throw new UsageError(`${error.message}; the record of run ${runId} cannot be read`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`run ${runId} has no journal any more (${path} was removed)`);
    throw error;
  }
  const head = contents.entries[0] as StartEntry | undefined;
  if (!head || head.type !== 'run.started' || !head.request) {
    throw new UsageError(`${path} does not start with the run's definition; it is not a Revo run journal`);
  }
  const record = RunRecorder.fold(contents.entries as unknown as HistoryEvent[]);
  return { runId, head, record, holder: store.holder(runId), cutOff: contents.cutOff };
}

/** Why a run takes no more signals or cancellation, or undefined while it has not ended. */
export function endedProblem(run: LocalRunInfo): string | undefined {
  const { status } = run.record;
  if (status === 'running') return undefined;
  return `run ${run.runId} has already ${status === 'cancelled' ? 'been cancelled' : status} (see it with: revo history ${run.runId})`;
}
