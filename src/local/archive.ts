/**
 * The archive of closed Temporal runs (`$REVO_HOME/archive/`, docs/history.md#retention-and-the-archive):
 * one file per run, `<run id>.history.json`, written by `revo runs --archive` so that a
 * run's record outlives the namespace's retention. A file is a `revo history --json`
 * export (the record, the definition and the events: `revo replay <file>` reads it as it
 * is) plus the run's Temporal histories, so a replay of an archived run goes through
 * Temporal's own determinism check as a live one does. Files are written whole (a new
 * file renamed into place) and never changed: a closed run does not change.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { HISTORY_FORMAT, type HistoryExport } from '../history/export.js';
import type { RunRecord } from '../history/record.js';
import { cachedRows, indexedRun, statOrUndefined, type IndexedRun } from './run-index.js';

export const ARCHIVE_FORMAT = 'revo.archive/1';
const SUFFIX = '.history.json';
/** What the list shows as the engine of an archived run that Temporal no longer lists. */
export const ARCHIVED_ENGINE = 'temporal (archived)';

export interface ArchivedRun extends HistoryExport {
  archive: {
    format: typeof ARCHIVE_FORMAT;
    /** When it was archived. */
    at: string;
    namespace: string;
    /** The input of the run's last execution (after continue-as-new, the one it went on with), as a replay takes it. */
    input: Json;
    /** The run's Temporal histories, first to last (continue-as-new makes several), as Temporal's JSON. */
    histories: { runId: string; history: unknown }[];
  };
}

export class RunArchive {
  readonly dir: string;

  /** `home` defaults to REVO_HOME, else `.revo`, as the run store's. */
  constructor(home: string = process.env.REVO_HOME || '.revo') {
    this.dir = resolve(home, 'archive');
  }

  /**
   * The file of a run: its id made safe for a file name (Temporal's workflow ids may hold
   * any character); an id too long for one is named by its hash.
   */
  path(runId: string): string {
    const safe = encodeURIComponent(runId);
    return join(this.dir, (safe.length <= 180 ? safe : `#${createHash('sha256').update(runId).digest('hex')}`) + SUFFIX);
  }

  has(runId: string): boolean {
    return statOrUndefined(this.path(runId)) !== undefined;
  }

  /** The archived run, or undefined when there is none; an unreadable file is a UsageError naming it. */
  read(runId: string): ArchivedRun | undefined {
    const path = this.path(runId);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parse(path, text);
  }

  /** Writes a run's archive whole: a reader sees no file or all of it. */
  write(run: ArchivedRun): void {
    const path = this.path(run.runId);
    const tmp = `${path}.${process.pid}.tmp`;
    mkdirSync(this.dir, { recursive: true });
    try {
      writeFileSync(tmp, JSON.stringify(run));
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  }

  /** Every archived run's row for the list (engine `temporal (archived)`), from the archive's own index; unreadable files are left out. */
  rows(): IndexedRun[] {
    const items: { id: string; key: string }[] = [];
    for (const name of names(this.dir)) {
      const stats = statOrUndefined(join(this.dir, name));
      if (stats) items.push({ id: name, key: `${stats.size}:${stats.mtimeMs}` });
    }
    const rows = cachedRows(join(this.dir, 'index.json'), items, (name) => {
      try {
        const run = parse(join(this.dir, name), readFileSync(join(this.dir, name), 'utf8'));
        return { run: { ...indexedRun(run, run.trigger?.input ?? null), engine: ARCHIVED_ENGINE } };
      } catch (error) {
        return { problem: (error as Error).message };
      }
    });
    return [...rows.values()].flatMap((entry) => (entry.run ? [entry.run] : []));
  }
}

/** An archived run as `revo history` shows it: the record, the definition it ran, its events. */
export function archivedHistory(run: ArchivedRun): { record: RunRecord; bundle: WorkflowBundle; events: HistoryEvent[] } {
  const { format: _format, bundle, events, archive: _archive, ...record } = run;
  return { record, bundle, events };
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith(SUFFIX));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function parse(path: string, text: string): ArchivedRun {
  let run: Partial<ArchivedRun>;
  try {
    run = JSON.parse(text) as Partial<ArchivedRun>;
  } catch {
    throw new UsageError(`${path} is not JSON; archive the run again with \`revo runs --archive\` while Temporal still has it`);
  }
  if (run?.format !== HISTORY_FORMAT || run.archive?.format !== ARCHIVE_FORMAT || !run.bundle?.definition || !Array.isArray(run.events) || !Array.isArray(run.archive.histories)) {
    throw new UsageError(`${path} is not a Revo run archive (${ARCHIVE_FORMAT})`);
  }
  return run as ArchivedRun;
}
