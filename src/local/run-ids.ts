/** Turning a run id (or a unique prefix, like git) into a local run. */
import { RunNotFoundError, UsageError } from '../errors.js';
import { readRunJournal } from './stored-run.js';
import { AmbiguousRunError, InvalidRunIdError, RunStore, UnknownRunError } from './store.js';

export function findRun(store: RunStore, idOrPrefix: string): string {
  try {
    return store.resolve(idOrPrefix);
  } catch (error) {
    if (error instanceof UnknownRunError) throw new RunNotFoundError(idOrPrefix, error.message);
    if (error instanceof AmbiguousRunError) throw new UsageError(error.message);
    throw error;
  }
}

/** The local run `idOrPrefix` names, or undefined when there is none (then it may be a Temporal run id). */
export function localRunId(store: RunStore, idOrPrefix: string): string | undefined {
  try {
    return store.resolve(idOrPrefix);
  } catch (error) {
    if (error instanceof UnknownRunError && !(error instanceof InvalidRunIdError)) return undefined;
    if (error instanceof AmbiguousRunError || error instanceof InvalidRunIdError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Which engine has the run `idOrPrefix` names now: the local engine (by the run's full
 * id), or Temporal — for an id no local run has, and for a local run handed over to
 * Temporal (`--engine auto`), which goes on there under the same id.
 */
export function whereRunIs(store: RunStore, idOrPrefix: string): { engine: 'local' | 'temporal'; runId: string } {
  const runId = localRunId(store, idOrPrefix);
  if (runId === undefined) return { engine: 'temporal', runId: idOrPrefix };
  return { engine: handedOver(store, runId) ? 'temporal' : 'local', runId };
}

function handedOver(store: RunStore, runId: string): boolean {
  try {
    return readRunJournal(store, runId).entries.some((e) => e.type === 'engine.handover');
  } catch {
    return false; // an unreadable journal is reported by the command reading it
  }
}
