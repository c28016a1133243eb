/**
 * The list of runs (docs/api.md#listruns, `revo runs`): local runs, runs handed over to
 * Temporal (with their record and status as Temporal has them), and Temporal runs from
 * its visibility API, one list newest first. Temporal is asked only when it answers; when
 * it does not, the list says so instead of failing.
 */
import { statSync } from 'node:fs';
import { parseDuration } from '../../interpreter/duration.js';
import type { RunStatus } from '../../interpreter/run.js';
import { UsageError } from '../errors.js';
import type { RunRecord } from '../history/record.js';
import { readLocalRun } from '../local/stored-run.js';
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
  const all = [...local.rows, ...onTemporal.rows].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  const rows: RunList = all.slice(0, limit);
  const more = all.length - rows.length + local.more + onTemporal.more;
  if (more > 0) rows.more = more;
  if (skipped.length > 0) rows.skipped = skipped;
  if (temporal.unavailable !== undefined) rows.temporalUnavailable = temporal.unavailable;
  return rows;
}

/** The filters every row answers for itself (the local rows' input is searched while reading them). */
function matches(row: RunSummary & { input?: string }, filter: RunFilter): boolean {
  if (filter.workflow !== undefined && row.workflow !== filter.workflow) return false;
  if (filter.status !== undefined && row.status !== filter.status) return false;
  if (filter.engine !== undefined && !(filter.engine === 'local' ? row.engine === 'local' : row.engine.endsWith('temporal'))) return false;
  if (filter.errorType !== undefined && row.errorType !== filter.errorType) return false;
  if (filter.since !== undefined && (row.startedAt === undefined || row.startedAt < filter.since.toISOString())) return false;
  if (filter.until !== undefined && (row.startedAt === undefined || row.startedAt >= filter.until.toISOString())) return false;
  return true;
}

/** Filters that need a run's journal read to be answered (without any, the list can stop counting early). */
function filtered(filter: RunFilter): boolean {
  return Object.entries(filter).some(([key, value]) => key !== 'limit' && value !== undefined);
}

async function localRuns(revo: Revo, filter: RunFilter, limit: number, skipped: { runId: string; reason: string }[], temporal: { unavailable?: string }): Promise<{ rows: RunSummary[]; more: number }> {
  const { store } = revo;
  const now = new Date().toISOString();
  const rows: RunSummary[] = [];
  const ids = newestFirst(store.list(), (runId) => store.journalPath(runId));
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (rows.length >= limit) return { rows, more: filtered(filter) ? 1 : ids.length - i };
    let run: ReturnType<typeof readLocalRun>;
    try {
      run = readLocalRun(store, id);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      skipped.push({ runId: id, reason: error.message });
      continue;
    }
    if (filter.workflow !== undefined && run.record.workflow !== filter.workflow) continue;
    if (filter.search !== undefined && !searched(filter.search, [id, run.record.workflow, run.record.error?.message, JSON.stringify(run.head.request.input)])) continue;
    // A run handed over to Temporal goes on there: its record (the local part included) comes from Temporal.
    const handedOver = run.record.handovers.length > 0;
    let record: RunRecord = run.record;
    if (handedOver && temporal.unavailable === undefined) {
      try {
        record = await (await revo.temporalRun(id, run.record.workflow)).record();
      } catch (error) {
        temporal.unavailable = (error as Error).message.split('\n')[0];
      }
    }
    const status = handedOver && record === run.record ? 'handed over' : displayStatus(record.status as RunStatus, handedOver || run.holder !== undefined);
    const durationMs = between(record.startedAt, record.endedAt ?? (status === 'running' ? now : undefined));
    const row: RunSummary = {
      runId: record.runId || id,
      workflow: record.workflow,
      ...(record.version !== undefined && { version: record.version }),
      status,
      engine: [record.handovers[0]?.from ?? record.engine, ...record.handovers.map((h) => h.to)].join('→'),
      ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
      ...(record.endedAt !== undefined && { endedAt: record.endedAt }),
      ...(durationMs !== undefined && { durationMs }),
      stepsDone: record.steps.filter((s) => (s.status === 'completed' || s.status === 'compensated') && s.kind !== 'branch').length,
      ...(record.error && { errorType: record.error.type }),
      ...(record.parent !== undefined && { parent: record.parent }),
      ...(run.holder !== undefined && { pid: run.holder }),
    };
    if (matches(row, filter)) rows.push(row);
  }
  return { rows, more: 0 };
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

/**
 * Run ids sorted by when the run started, newest first. Ids made by the run store end in
 * their UTC start time (`<workflow>-YYYYMMDD-HHMMSS-xxxx`), so no journal has to be read
 * to sort; an id without one sorts by its journal's last change instead.
 */
function newestFirst(ids: string[], journalPath: (id: string) => string): string[] {
  const keyed = ids.map((id, position) => ({ id, position, at: startStamp(id) ?? modified(journalPath(id)) }));
  keyed.sort((a, b) => b.at - a.at || a.position - b.position);
  return keyed.map((k) => k.id);
}

function startStamp(id: string): number | undefined {
  const m = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-[a-z0-9]{4}$/.exec(id);
  if (!m) return undefined;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(at) ? at : undefined;
}

function modified(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
