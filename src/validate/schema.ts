import type { LoadedFile } from '../load/load.js';
import type { Diagnostic } from './diagnostic.js';

/** Schema errors of one loaded file, one clear positioned message per problem. */
export function schemaDiagnostics(_file: LoadedFile): Diagnostic[] {
  return [];
}
