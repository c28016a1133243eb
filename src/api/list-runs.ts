/**
 * The list of runs (docs/api.md#listruns, `revo runs`): local runs newest first, a run
 * handed over to Temporal with its record and status as Temporal has them.
 */
import { statSync } from 'node:fs';
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
  /** Steps that completed (containers and compensated steps included, parallel branches not), as the `state` query counts them. */
  stepsDone: number;
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
  /** Why Temporal could not be asked about handed-over runs, if it could not. */
  temporalUnavailable?: string;
}

export async function listRuns(revo: Revo, filter: RunFilter = {}): Promise<RunList> {
  const { store } = revo;
  const limit = filter.limit ?? 20;
  const filtered = filter.workflow !== undefined || filter.status !== undefined;
  const rows: RunList = [];
  const skipped: { runId: string; reason: string }[] = [];
  let temporalUnavailable: string | undefined;
  const now = new Date().toISOString();
  const ids = newestFirst(store.list(), (id) => store.journalPath(id));
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (rows.length >= limit && !filtered) {
      rows.more = ids.length - i;
      break;
    }
    let run: ReturnType<typeof readLocalRun>;
    try {
      run = readLocalRun(store, id);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      skipped.push({ runId: id, reason: error.message });
      continue;
    }
    if (filter.workflow !== undefined && run.record.workflow !== filter.workflow) continue;
    // A run handed over to Temporal goes on there: its record (the local part included) comes from Temporal.
    const handedOver = run.record.handovers.length > 0;
    let record: RunRecord = run.record;
    if (handedOver && temporalUnavailable === undefined) {
      try {
        record = await (await revo.temporalRun(id, run.record.workflow)).record();
      } catch (error) {
        temporalUnavailable = (error as Error).message.split('\n')[0];
      }
    }
    const status = handedOver && record === run.record ? 'handed over' : displayStatus(record.status as RunStatus, handedOver || run.holder !== undefined);
    if (filter.status !== undefined && status !== filter.status) continue;
    if (rows.length >= limit) {
      rows.more = 1;
      break;
    }
    const durationMs = between(record.startedAt, record.endedAt ?? (status === 'running' ? now : undefined));
    rows.push({
      runId: record.runId || id,
      workflow: record.workflow,
      ...(record.version !== undefined && { version: record.version }),
      status,
      engine: [record.handovers[0]?.from ?? record.engine, ...record.handovers.map((h) => h.to)].join('→'),
      ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
      ...(record.endedAt !== undefined && { endedAt: record.endedAt }),
      ...(durationMs !== undefined && { durationMs }),
      stepsDone: record.steps.filter((s) => (s.status === 'completed' || s.status === 'compensated') && s.kind !== 'branch').length,
      ...(record.parent !== undefined && { parent: record.parent }),
      ...(run.holder !== undefined && { pid: run.holder }),
    });
  }
  if (skipped.length > 0) rows.skipped = skipped;
  if (temporalUnavailable !== undefined) rows.temporalUnavailable = temporalUnavailable;
  return rows;
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
