import type { WorkflowDefinition } from '../../interpreter/model.js';
import type { Catalog } from '../activities/types.js';
import type { LoadedFile } from '../load/load.js';
import type { WorkflowSet } from '../load/workflow-set.js';
import type { Check, CheckContext } from './check.js';
import { CHECKS } from './checks/index.js';
import { byPosition, type Diagnostic } from './diagnostic.js';
import { schemaDiagnostics } from './schema.js';

export interface ValidateOptions {
  catalog: Catalog;
  /** The semantic checks to run (all by default). */
  checks?: readonly Check[];
}

/**
 * Validates every file of a set: load problems, then the JSON Schema, then (for
 * files that pass the schema) every semantic check. Returns the diagnostics sorted
 * by file and position.
 */
export function validateSet(set: WorkflowSet, options: ValidateOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const file of set.files()) diagnostics.push(...validateFile(file, set, options));
  return diagnostics.sort(byPosition);
}

export function validateFile(file: LoadedFile, workflows: WorkflowSet, options: ValidateOptions): Diagnostic[] {
  if (file.definition === undefined) return file.diagnostics;
  const schemaProblems = schemaDiagnostics(file);
  const diagnostics = [...file.diagnostics, ...schemaProblems];
  // Semantic checks assume the shape the schema guarantees.
  if (schemaProblems.some((d) => d.severity === 'error')) return diagnostics;
  for (const check of options.checks ?? CHECKS) {
    const context: CheckContext = {
      file,
      definition: file.definition as WorkflowDefinition,
      catalog: options.catalog,
      workflows,
      report(path, message, { severity = 'error', key = false } = {}) {
        diagnostics.push({ file: file.file, ...file.source.rangeOf(path, { key }), severity, rule: check.rule, message });
      },
    };
    check.run(context);
  }
  return diagnostics;
}
