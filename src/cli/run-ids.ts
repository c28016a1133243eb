/** Turning a run id (or a unique prefix) from the command line into a local run. */
import { UsageError } from '../errors.js';
import { AmbiguousRunError, RunStore, UnknownRunError } from '../local/store.js';

export function findRun(store: RunStore, idOrPrefix: string): string {
  try {
    return store.resolve(idOrPrefix);
  } catch (error) {
    if (error instanceof UnknownRunError || error instanceof AmbiguousRunError) throw new UsageError(error.message);
    throw error;
  }
}
