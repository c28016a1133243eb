/** Reading a local run from its journal, for whatever shows runs or talks to them (the API, `revo runs`). */
import type { HistoryEvent } from '../../interpreter/history.js';
import { UsageError } from '../errors.js';
import { RunRecorder, type RunRecord } from '../history/record.js';
import type { StartEntry } from './engine.js';
import { journalEvents } from '../sandboxed/facts.js';
import { JournalCorruptError, readJournal, type JournalContents, type JournalWitness, type ReadJournalOptions } from './journal.js';
import type { RunStore } from './store.js';

/**
 * A run's journal, checked line by line and against the witness its writer left in the
 * run's state file (so a journal cut at a line boundary is caught too). Every reader of
 * a stored run goes through here.
 */
/** The first entry of a run's journal: how it started. */
export function journalHead(store: RunStore, runId: string, options: Pick<ReadJournalOptions, 'acceptDamage'> = {}): StartEntry {
  const first = readRunJournal(store, runId, options).entries[0] as StartEntry | undefined;
  if (!first || first.type !== 'run.started' || !first.request) throw new Error(`the journal of run ${runId} does not start with the run's definition`);
  return first;
}

export function readRunJournal(store: RunStore, runId: string, options: Pick<ReadJournalOptions, 'acceptDamage'> = {}): JournalContents {
  const witness = witnessOf(store.readState(runId));
  return readJournal(store.journalPath(runId), { ...options, ...(witness && { witness }) });
}

function witnessOf(state: unknown): JournalWitness | undefined {
  const journal = (state as { journal?: Partial<JournalWitness> } | undefined)?.journal;
  return typeof journal?.lines === 'number' && typeof journal.crc === 'string' ? { lines: journal.lines, crc: journal.crc } : undefined;
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
  /** The history events in the journal (the record is their fold). */
  events: HistoryEvent[];
  /** The pid of the live process running it now, if any. */
  holder: number | undefined;
  /** The journal ended in a partial line (a crash mid-write), which was ignored. */
  cutOff: boolean;
  /** False for a journal written before Revo checked its journals (format 1): read as it is. */
  checked: boolean;
}

/** Reads and folds a local run's journal; an unusable journal is a UsageError naming the file. */
export function readLocalRun(store: RunStore, runId: string): LocalRunInfo {
  const path = store.journalPath(runId);
  let contents: ReturnType<typeof readJournal>;
  try {
    contents = readRunJournal(store, runId);
  } catch (error) {
    if (error instanceof JournalCorruptError) throw new UsageError(`${error.message}; the record of run ${runId} cannot be read`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`run ${runId} has no journal any more (${path} was removed)`);
    throw error;
  }
  const head = contents.entries[0] as StartEntry | undefined;
  if (!head || head.type !== 'run.started' || !head.request) {
    throw new UsageError(`${path} does not start with the run's definition; it is not a Revo run journal`);
  }
  const events = journalEvents(contents.entries);
  const record = RunRecorder.fold(events);
  return { runId, head, record, events, holder: store.holder(runId), cutOff: contents.cutOff, checked: contents.format === 2 };
}

/** Why a run takes no more signals or cancellation, or undefined while it has not ended. */
export function endedProblem(run: LocalRunInfo): string | undefined {
  const { status } = run.record;
  if (status === 'running') return undefined;
  return `run ${run.runId} has already ${status === 'cancelled' ? 'been cancelled' : status} (see it with: revo history ${run.runId})`;
}
