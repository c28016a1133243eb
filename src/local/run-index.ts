/**
 * The index of local runs (`$REVO_HOME/runs/index.json`, docs/running-locally.md#the-run-index):
 * one row per run with what `revo runs` shows and filters on, so that listing does not
 * read every journal. It is a cache and never the record: each row carries the size and
 * change time of the run's journal and state file as they were before the row was read
 * from them, and a row whose files have changed since (a run went on, ended, was resumed
 * or cut back) is read again from its journal. A missing, torn or unreadable index, or
 * one of another format, is rebuilt from the journals; a failure to write it only costs
 * the next listing the same reads. Several processes may refresh it at once: each writes
 * a whole new file and renames it into place, so a reader sees one writer's index or
 * another's, and either is checked row by row against the files.
 *
 * Whether a process still runs a run (its lock) is not in the index: the list asks the
 * lock of every run whose journal says it is running.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import type { RunStatus } from '../../interpreter/run.js';
import { UsageError } from '../errors.js';
import type { RunRecord } from '../history/record.js';
import { readLocalRun } from './stored-run.js';
import type { RunStore } from './store.js';

/** What a row keeps of the texts `--search` looks in (the input's JSON, the error message); a longer text is cut, and the run is read to search the rest. */
export const SEARCH_TEXT_LENGTH = 1_000;
/** Bumped when a row changes shape: an index of another format is rebuilt. */
const INDEX_FORMAT = 1;

/** One run as its record has it, for the list: no pid, which the list asks the run's lock for. */
export interface IndexedRun {
  runId: string;
  workflow: string;
  version?: string;
  /** As the journal (or, for a run handed over, Temporal) has it: a `running` run may have no process any more. */
  status: RunStatus;
  /** `local`, or the engines it moved through (`local→temporal`). */
  engine: string;
  /** The run went on on Temporal: its status there is Temporal's. */
  handedOver: boolean;
  startedAt?: string;
  endedAt?: string;
  /** Steps that completed (containers and compensated steps included, parallel branches not). */
  stepsDone: number;
  errorType?: string;
  /** The error message, cut at SEARCH_TEXT_LENGTH. */
  errorMessage?: string;
  parent?: string;
  /** The input as JSON, cut at SEARCH_TEXT_LENGTH. */
  input: string;
  /** The input or the error message was cut: a search that misses the cut texts reads the run. */
  cut?: true;
}

/** A run in the index: its row, or why its journal cannot be read. */
export type IndexEntry = { runId: string; run: IndexedRun; problem?: undefined } | { runId: string; run?: undefined; problem: string };

export interface StoredEntry {
  /** The run's files when the row was read from them (see fileKey). */
  key: string;
  run?: IndexedRun;
  problem?: string;
}

interface IndexFile {
  format: number;
  runs: Record<string, StoredEntry>;
}

/** A run's row from its record (a local one, or the one Temporal has for a run handed over to it). */
export function indexedRun(record: RunRecord, input: unknown): IndexedRun {
  const inputText = JSON.stringify(input ?? null);
  const message = record.error?.message;
  const cut = inputText.length > SEARCH_TEXT_LENGTH || (message !== undefined && message.length > SEARCH_TEXT_LENGTH);
  return {
    runId: record.runId,
    workflow: record.workflow,
    ...(record.version !== undefined && { version: record.version }),
    status: record.status,
    engine: [record.handovers[0]?.from ?? record.engine, ...record.handovers.map((h) => h.to)].join('→'),
    handedOver: record.handovers.length > 0,
    ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
    ...(record.endedAt !== undefined && { endedAt: record.endedAt }),
    stepsDone: record.steps.filter((s) => (s.status === 'completed' || s.status === 'compensated') && s.kind !== 'branch').length,
    ...(record.error && { errorType: record.error.type }),
    ...(message !== undefined && { errorMessage: message.slice(0, SEARCH_TEXT_LENGTH) }),
    ...(record.parent !== undefined && { parent: record.parent }),
    input: inputText.slice(0, SEARCH_TEXT_LENGTH),
    ...(cut && { cut: true as const }),
  };
}

/**
 * Every local run, newest first (by start, else by the time stamp in its id, else by its
 * journal's last change), from the index refreshed against the run files: rows whose
 * files changed, and runs the index does not have, are read from their journals, and the
 * index is written back when anything changed.
 */
export function indexedRuns(store: RunStore): IndexEntry[] {
  const items: { id: string; key: string; changed: number }[] = [];
  for (const runId of store.ids()) {
    // Stat before reading: a row read from files newer than its key is read again next time, never the reverse.
    const journal = statOrUndefined(store.journalPath(runId));
    if (!journal) continue; // removed meanwhile
    items.push({ id: runId, key: fileKey(journal, statOrUndefined(store.statePath(runId))), changed: journal.mtimeMs });
  }
  const rows = cachedRows(store.indexPath(), items, (runId) => read(store, runId));
  const sorted = items.map(({ id, changed }) => {
    const entry = rows.get(id)!;
    const at = (entry.run?.startedAt !== undefined ? Date.parse(entry.run.startedAt) : undefined) ?? idStamp(id) ?? changed;
    return { entry: entry.run ? { runId: id, run: entry.run } : { runId: id, problem: entry.problem! }, at, changed };
  });
  // Runs started in the same millisecond: the one whose journal changed last first.
  sorted.sort((a, b) => b.at - a.at || b.changed - a.changed || (a.entry.runId < b.entry.runId ? 1 : a.entry.runId > b.entry.runId ? -1 : 0));
  return sorted.map((s) => s.entry);
}

/**
 * The rows of `items` from the cache file at `path`: an item whose key differs from its
 * cached row's (or that has none) is read with `read`; the file is written back when
 * anything changed. Shared by the run index and the archive's (src/local/archive.ts).
 */
export function cachedRows(path: string, items: readonly { id: string; key: string }[], read: (id: string) => Omit<StoredEntry, 'key'>): Map<string, StoredEntry> {
  const stored = readIndex(path);
  const fresh = new Map<string, StoredEntry>();
  let changed = stored === undefined;
  for (const { id, key } of items) {
    let entry = stored?.runs[id];
    if (entry?.key !== key || !usable(entry)) {
      entry = { key, ...read(id) };
      changed = true;
    }
    fresh.set(id, entry);
  }
  if (stored && Object.keys(stored.runs).some((id) => !fresh.has(id))) changed = true;
  if (changed) writeIndex(path, { format: INDEX_FORMAT, runs: Object.fromEntries(fresh) });
  return fresh;
}

function read(store: RunStore, runId: string): Omit<StoredEntry, 'key'> {
  try {
    const run = readLocalRun(store, runId);
    return { run: indexedRun({ ...run.record, runId: run.record.runId || runId }, run.head.request.input) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { problem: error.message };
  }
}

/**
 * What a row was read from: the journal's size and change time, and the state file's
 * (its inode too: it is replaced by a rename), whose witness the journal is checked against.
 */
function fileKey(journal: Stats, state: Stats | undefined): string {
  return `${journal.size}:${journal.mtimeMs}:${journal.ctimeMs}/${state ? `${state.ino}:${state.size}:${state.mtimeMs}` : '-'}`;
}

export function statOrUndefined(path: string): Stats | undefined {
  return statSync(path, { throwIfNoEntry: false });
}

/** The index, or undefined when it is missing, torn, unreadable or of another format (it is then rebuilt). */
function readIndex(path: string): IndexFile | undefined {
  try {
    const index = JSON.parse(readFileSync(path, 'utf8')) as Partial<IndexFile> | null;
    if (index?.format !== INDEX_FORMAT || typeof index.runs !== 'object' || index.runs === null) return undefined;
    return index as IndexFile;
  } catch {
    return undefined;
  }
}

/** An entry as JSON.parse made it: one a hand (or a bug) changed is read again. */
function usable(entry: StoredEntry): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  if (entry.run === undefined) return typeof entry.problem === 'string';
  const run = entry.run as Partial<IndexedRun>;
  return typeof run.runId === 'string' && typeof run.workflow === 'string' && typeof run.status === 'string' && typeof run.engine === 'string' && typeof run.input === 'string' && typeof run.stepsDone === 'number';
}

/** Replaces the index atomically; not synced, and a failure is ignored: it is a cache of the journals. */
function writeIndex(path: string, index: IndexFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(index));
    renameSync(tmp, path);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // a disk that refused the index may refuse this too; the next writer replaces the file
    }
  }
}

/** The UTC start time in an id the store made (`<workflow>-YYYYMMDD-HHMMSS-xxxx`), as epoch ms. */
function idStamp(id: string): number | undefined {
  const m = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-[a-z0-9]{4}$/.exec(id);
  if (!m) return undefined;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(at) ? at : undefined;
}
