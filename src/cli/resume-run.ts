/** `revo resume`: continue a local run from its journal. */
import { loadFile } from '../load/load.js';
import { UsageError } from '../errors.js';
import { journalHead } from '../local/engine.js';
import { JournalCorruptError, readJournal } from '../local/journal.js';
import type { TemporalFlags } from '../temporal/connection.js';
import { ReplayDivergence } from '../local/runtime.js';
import { RunLockedError, RunStore } from '../local/store.js';
import { loadActivityMap } from '../activities/modules.js';
import { terminalEngine, watchRun, type WatchOptions } from './watch-run.js';
import { findRun } from '../local/run-ids.js';

export async function resumeLocal(idOrPrefix: string, options: WatchOptions & TemporalFlags & { activities?: string[] }): Promise<number> {
  const store = new RunStore();
  const runId = findRun(store, idOrPrefix);
  const head = usable(() => journalHead(store, runId));
  if (readJournal(store.journalPath(runId)).entries.some((e) => e.type === 'engine.handover')) return followHandedOver(store, runId, options);
  const origin = head.origin ?? {};
  const modules = options.activities?.length ? options.activities : (origin.activityModules ?? []);
  const activities = await loadActivityMap(modules);
  if (origin.file) {
    const now = await loadFile(origin.file).then((f) => f.hash, () => undefined);
    if (now !== undefined && now !== head.request.bundle.hash) {
      process.stderr.write(`revo: ${origin.file} has changed since run ${runId} started; it continues with the definition recorded when it started.\n`);
    }
  }
  const { engine, view } = terminalEngine(activities, options);
  const run = usable(() => engine.resume(runId));
  if (run.cutOff) process.stderr.write(`revo: the journal of ${runId} ended in a partial line (the process was killed while writing it); that line was discarded.\n`);
  if (run.record.status !== 'running') {
    view?.close();
    throw new UsageError(`run ${runId} has already ${run.record.status}; nothing to resume (see it with: revo history ${runId})`);
  }
  if (!options.quiet) process.stderr.write(`revo: resuming run ${runId} (${head.workflow})\n`);
  try {
    return await watchRun(run, view, options);
  } catch (error) {
    if (error instanceof ReplayDivergence) {
      throw new UsageError(`run ${runId} cannot be resumed: its journal does not match what the interpreter does now (${error.message}). Nothing was changed; \`revo rerun ${runId}\` starts it afresh.`);
    }
    throw error;
  }
}

/**
 * A run handed over to Temporal goes on there: follow it, first starting its Temporal
 * part if the process handing it over stopped before it could.
 */
async function followHandedOver(store: RunStore, runId: string, options: WatchOptions & TemporalFlags): Promise<number> {
  const [{ connectClient, temporalSettings }, { startHandedOver }, { watchTemporalRun }] = await Promise.all([
    import('../temporal/connection.js'),
    import('./run-auto.js'),
    import('./watch-temporal-run.js'),
  ]);
  const settings = temporalSettings(options);
  const client = await connectClient(settings);
  const say = (text: string) => options.quiet || process.stderr.write(`revo: ${text}\n`);
  say(`run ${runId} was handed over to Temporal; following it there`);
  const { handle, stopForwarding } = await startHandedOver(client, settings, store, runId, say);
  return watchTemporalRun(client, handle, options).finally(stopForwarding);
}

/** Store and journal problems are the user's to act on: no stack trace. */
function usable<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof RunLockedError) throw new UsageError(`${error.message}; wait for it to end, or stop that process first`);
    if (error instanceof JournalCorruptError) throw new UsageError(`${error.message}; the run cannot be resumed safely`);
    if (error instanceof Error && !(error instanceof UsageError) && (error as NodeJS.ErrnoException).code === undefined) throw new UsageError(error.message);
    throw error;
  }
}
