/**
 * `revo runs --archive` (Revo.archiveRuns, docs/history.md#retention-and-the-archive):
 * saves the records of closed Temporal runs into `$REVO_HOME/archive/`, so they stay
 * listed, viewable, replayable and re-runnable after the namespace's retention has
 * deleted them on Temporal. A run archived already is not fetched again.
 */
import { TemporalUnavailableError } from '../errors.js';
import { matches, type RunFilter } from './list-runs.js';
import type { Revo } from './revo.js';

export interface ArchiveReport {
  /** Runs archived now. */
  archived: string[];
  /** Closed runs that were in the archive already. */
  already: string[];
  /** Runs that could not be archived, with why (they are tried again next time). */
  failed: { runId: string; reason: string }[];
  /** Where the archive is. */
  dir: string;
}

/** Archives every closed Temporal run that matches `filter` (its `limit` is ignored: all of them). */
export async function archiveRuns(revo: Revo, filter: Omit<RunFilter, 'limit'> = {}): Promise<ArchiveReport> {
  const report: ArchiveReport = { archived: [], already: [], failed: [], dir: revo.archive.dir };
  const client = await revo.temporal.connect().catch((error: unknown) => {
    throw error instanceof TemporalUnavailableError ? new TemporalUnavailableError(`nothing was archived: ${error.message}`) : error;
  });
  const [{ listTemporalRuns }, { archivedRunOf }] = await Promise.all([import('../temporal/list.js'), import('../temporal/archive.js')]);
  const closed = await listTemporalRuns(client, filter, Number.MAX_SAFE_INTEGER, (row) => row.status !== 'running' && matches(row, filter), Number.POSITIVE_INFINITY);
  for (const { runId } of closed.rows) {
    if (revo.archive.has(runId)) {
      report.already.push(runId);
      continue;
    }
    try {
      revo.archive.write(await archivedRunOf(client, runId));
      report.archived.push(runId);
    } catch (error) {
      report.failed.push({ runId, reason: (error as Error).message.split('\n')[0]! });
    }
  }
  return report;
}
