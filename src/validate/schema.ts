import type { LoadedFile } from '../load/load.js';
import type { Diagnostic } from './diagnostic.js';
import { explainDefinition } from './schema-errors.js';
import { quickValidator } from './schema-validator.js';

/** The rule name of every schema diagnostic. */
export const SCHEMA_RULE = 'schema';

/**
 * Schema errors of one loaded file, one clear positioned message per problem.
 * A valid definition costs one call of the compiled validator; only an invalid one
 * is looked at again to explain what is wrong (see schema-errors.ts).
 */
export function schemaDiagnostics(file: LoadedFile): Diagnostic[] {
  if (file.definition === undefined || quickValidator()(file.definition)) return [];
  const problems = explainDefinition(file.definition);
  if (problems.length === 0) {
    // The two validators disagree, which would be a bug here, not in the file; say so rather than pass it.
    return [{ file: file.file, ...file.source.rangeOf([]), severity: 'error', rule: SCHEMA_RULE, message: 'the definition does not match the workflow schema' }];
  }
  return problems.map(({ path, key, message }) => ({
    file: file.file,
    ...file.source.rangeOf(path, { key }),
    severity: 'error',
    rule: SCHEMA_RULE,
    message,
  }));
}
