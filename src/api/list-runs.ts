/**
 * The list of runs (docs/api.md#listruns, `revo runs`): local runs, runs handed over to
 * Temporal (with their record and status as Temporal has them), and Temporal runs from
 * its visibility API, one list newest first. Temporal is asked only when it answers; when
 * it does not, the list says so instead of failing.
 */
import { parseDuration } from '../../interpreter/duration.js';
import { RunNotFoundError, UsageError } from '../errors.js';
import { indexedRun, indexedRuns, type IndexedRun } from '../local/run-index.js';
import { readLocalRun } from '../local/stored-run.js';
import type { RunStore } from '../local/store.js';
import { between, displayStatus, type DisplayStatus } from '../text.js';
import type { Revo } from './revo.js';

export interface RunFilter {
  /** Only runs of this workflow (its `name`). */
  workflow?: string;
  /** Only runs with this status (`interrupted` and `handed over` included). */
  status?: DisplayStatus;
  /** Only runs on this engine now (`local`, or `temporal`: on Temporal from the start or handed over). */
  engine?: 'local' | 'temporal';
  /** Only runs that failed with this DSL error type. */
  errorType?: string;
  /** Only runs started at or after / before this time. */
  since?: Date;
  until?: Date;
  /** Only runs whose id, workflow or error message contains this text (local runs: their input too). */
  search?: string;
  /** At most this many (default 20). */
  limit?: number;
}

/** One run in the list. */
export interface RunSummary {
  runId: string;
  workflow: string;
  version?: string;
  /** `running`, `completed`, `failed`, `cancelled`; `interrupted` (no process runs it); `handed over` (Temporal cannot be asked). */
  status: DisplayStatus;
  /** Where it ran: `local`, `temporal`, or `local→temporal` for a run handed over. */
  engine: string;
  startedAt?: string;
  endedAt?: string;
  /** Until the end, or until now while the run is running. */
  durationMs?: number;
  /** Steps that completed (containers and compensated steps included, parallel branches not), as the `state` query counts them; unknown for a Temporal run in a list. */
  stepsDone?: number;
  /** The DSL error type of a failed run. */
  errorType?: string;
  /** The run that started this one, for a child run. */
  parent?: string;
  /** The process running it now. */
  pid?: number;
}

export interface RunList extends Array<RunSummary> {
  /** Runs left out by `limit`: counted without a filter; with one, 1 when there is at least one more. */
  more?: number;
  /** Runs whose journal could not be read, with why. */
  skipped?: { runId: string; reason: string }[];
  /** Why Temporal could not be asked (its runs are then missing from the list), if it could not. */
  temporalUnavailable?: string;
}

export async function listRuns(revo: Revo, filter: RunFilter = {}): Promise<RunList> {
  const limit = filter.limit ?? 20;
  const skipped: { runId: string; reason: string }[] = [];
  const temporal: { unavailable?: string } = {};
  // At most `limit` of each side can make the merged first `limit`: neither reads further.
  // Local runs are read for `engine: 'temporal'` too: a handed-over run is on Temporal now.
  const local = await localRuns(revo, filter, limit, skipped, temporal);
  const onTemporal = filter.engine === 'local' ? { rows: [], more: 0 } : await temporalRuns(revo, filter, limit, new Set(local.rows.map((r) => r.runId)), temporal);
  // Archived runs that Temporal does not list (any more, or now): a run it lists is shown as it is there.
  const listed = new Set([...local.ids, ...onTemporal.rows.map((r) => r.runId)]);
  const archived = filter.engine === 'local' ? [] : archivedRuns(revo, filter, listed);
  const all = [...local.rows, ...onTemporal.rows, ...archived].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  const rows: RunList = all.slice(0, limit);
  const more = all.length - rows.length + local.more + onTemporal.more;
  if (more > 0) rows.more = more;
  if (skipped.length > 0) rows.skipped = skipped;
  if (temporal.unavailable !== undefined) rows.temporalUnavailable = temporal.unavailable;
  return rows;
}

/** The filters every row answers for itself (the local rows' texts are searched from the index). */
export function matches(row: RunSummary, filter: RunFilter): boolean {
  if (filter.workflow !== undefined && row.workflow !== filter.workflow) return false;
  if (filter.status !== undefined && row.status !== filter.status) return false;
  if (filter.engine !== undefined && !(filter.engine === 'local' ? row.engine === 'local' : row.engine.includes('temporal'))) return false;
  if (filter.errorType !== undefined && row.errorType !== filter.errorType) return false;
  if (filter.since !== undefined && (row.startedAt === undefined || row.startedAt < filter.since.toISOString())) return false;
  if (filter.until !== undefined && (row.startedAt === undefined || row.startedAt >= filter.until.toISOString())) return false;
  return true;
}

/** Whether any filter is given (without one, the runs left out can be counted). */
function filtered(filter: RunFilter): boolean {
  return Object.entries(filter).some(([key, value]) => key !== 'limit' && value !== undefined);
}

/**
 * The local runs, from the run index (src/local/run-index.ts): the rows are filtered
 * there, and only what can change without the journal changing is asked now: whether a
 * process still holds a running run, and a handed-over run's record on Temporal.
 */
async function localRuns(revo: Revo, filter: RunFilter, limit: number, skipped: { runId: string; reason: string }[], temporal: { unavailable?: string }): Promise<{ rows: RunSummary[]; more: number; ids: string[] }> {
  const { store } = revo;
  const now = new Date().toISOString();
  const rows: RunSummary[] = [];
  const entries = indexedRuns(store);
  // Every local run, listed or not: the archive's copy of a run handed over is never a row of its own.
  const ids = entries.map((e) => e.runId);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (rows.length >= limit && !filtered(filter)) return { rows, more: entries.length - i, ids };
    if (entry.problem !== undefined) {
      if (rows.length < limit) skipped.push({ runId: entry.runId, reason: entry.problem });
      continue;
    }
    let run = entry.run;
    if (filter.workflow !== undefined && run.workflow !== filter.workflow) continue;
    if (filter.search !== undefined && !searched(filter.search, [entry.runId, run.workflow, run.errorMessage, run.input]) && !(run.cut && searchedInFull(store, entry.runId, filter.search))) continue;
    // A run handed over to Temporal goes on there: its record (the local part included) comes from Temporal.
    let onTemporal = false;
    if (run.handedOver && temporal.unavailable === undefined) {
      try {
        run = indexedRun(await (await revo.temporalRun(entry.runId, run.workflow)).record(), null);
        onTemporal = true;
      } catch (error) {
        const archived = error instanceof RunNotFoundError ? revo.archive.read(entry.runId) : undefined;
        if (archived) {
          run = { ...indexedRun(archived, null), engine: `${run.engine} (archived)` };
          onTemporal = true;
        } else temporal.unavailable = (error as Error).message.split('\n')[0];
      }
    }
    const holder = !run.handedOver && run.status === 'running' ? store.holder(entry.runId) : undefined;
    const status = run.handedOver && !onTemporal ? 'handed over' : displayStatus(run.status, run.handedOver || holder !== undefined);
    const durationMs = between(run.startedAt, run.endedAt ?? (status === 'running' ? now : undefined));
    const row = summaryOf({ ...run, runId: run.runId || entry.runId }, status, durationMs, holder);
    if (!matches(row, filter)) continue;
    if (rows.length >= limit) return { rows, more: 1, ids };
    rows.push(row);
  }
  return { rows, more: 0, ids };
}

/** A row of the list from a run's index row (local or archived), with what the index cannot know. */
function summaryOf(run: IndexedRun, status: DisplayStatus, durationMs: number | undefined, pid: number | undefined): RunSummary {
  return {
    runId: run.runId,
    workflow: run.workflow,
    ...(run.version !== undefined && { version: run.version }),
    status,
    engine: run.engine,
    ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
    ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
    ...(durationMs !== undefined && { durationMs }),
    stepsDone: run.stepsDone,
    ...(run.errorType !== undefined && { errorType: run.errorType }),
    ...(run.parent !== undefined && { parent: run.parent }),
    ...(pid !== undefined && { pid }),
  };
}

/** The archived runs (src/local/archive.ts) that match and are not listed already. */
function archivedRuns(revo: Revo, filter: RunFilter, listed: Set<string>): RunSummary[] {
  const rows: RunSummary[] = [];
  for (const run of revo.archive.rows()) {
    if (listed.has(run.runId)) continue;
    if (filter.search !== undefined && !searched(filter.search, [run.runId, run.workflow, run.errorMessage, run.input])) continue;
    const durationMs = between(run.startedAt, run.endedAt);
    const row = summaryOf(run, run.status, durationMs, undefined);
    if (matches(row, filter)) rows.push(row);
  }
  return rows;
}

/** A search the index's cut texts missed, in the run's whole input and error message. */
function searchedInFull(store: RunStore, runId: string, needle: string): boolean {
  try {
    const run = readLocalRun(store, runId);
    return searched(needle, [run.record.error?.message, JSON.stringify(run.head.request.input)]);
  } catch (error) {
    if (error instanceof UsageError) return false; // removed or damaged since it was indexed
    throw error;
  }
}

/** Temporal's runs of the `revo` workflow type, by its visibility API; `known` are listed already (handed over). */
async function temporalRuns(revo: Revo, filter: RunFilter, limit: number, known: Set<string>, temporal: { unavailable?: string }): Promise<{ rows: RunSummary[]; more: number }> {
  const none = { rows: [], more: 0 };
  if (temporal.unavailable !== undefined) return none;
  let client;
  try {
    client = await revo.temporal.connect();
  } catch (error) {
    temporal.unavailable = (error as Error).message.split('\n')[0];
    return none;
  }
  const { listTemporalRuns } = await import('../temporal/list.js');
  try {
    const listed = await revo.temporal.retry.call(() => listTemporalRuns(client, filter, limit + known.size, (row) => !known.has(row.runId) && matches(row, filter)));
    return { rows: listed.rows, more: listed.more };
  } catch (error) {
    temporal.unavailable = `Temporal could not list its runs: ${(error as Error).message.split('\n')[0]}`;
    return none;
  }
}

/**
 * A point in time as `--since` / `--until` take it: a duration back from now (`30m`,
 * `2h`, `7d`) or a date or ISO time; undefined when it is neither.
 */
export function pointInTime(text: string, now: number = Date.now()): Date | undefined {
  const ms = parseDuration(text.trim());
  if (ms !== undefined) return new Date(now - ms);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at);
}

/** Whether any of the texts contains `needle` (case-insensitive). */
export function searched(needle: string, texts: (string | undefined)[]): boolean {
  const lower = needle.toLowerCase();
  return texts.some((text) => text !== undefined && text.toLowerCase().includes(lower));
}
