/** Turning a run id (or a unique prefix) from the command line into a local run. */
import { UsageError } from '../errors.js';
import { AmbiguousRunError, InvalidRunIdError, RunStore, UnknownRunError } from '../local/store.js';

export function findRun(store: RunStore, idOrPrefix: string): string {
  try {
    return store.resolve(idOrPrefix);
  } catch (error) {
    if (error instanceof UnknownRunError || error instanceof AmbiguousRunError) throw new UsageError(error.message);
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
