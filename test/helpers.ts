import { loadActivities } from '../src/activities/catalog.js';
import type { Catalog } from '../src/activities/types.js';
import { loadText } from '../src/load/load.js';
import { WorkflowSet } from '../src/load/workflow-set.js';
import type { Check } from '../src/validate/check.js';
import type { Diagnostic } from '../src/validate/diagnostic.js';
import { validateSet } from '../src/validate/validate.js';

let builtins: Catalog | undefined;

/** The catalog of built-in activities, plus extra specs for a test. */
export async function testCatalog(extra: Catalog = new Map()): Promise<Catalog> {
  builtins ??= (await loadActivities()).catalog;
  return new Map([...builtins, ...extra]);
}

/**
 * Validates in-memory workflow texts (file name → YAML) as one set, with the
 * built-in catalog unless one is given, and all checks unless some are given.
 */
export async function validateSources(
  files: Record<string, string>,
  options: { checks?: readonly Check[]; catalog?: Catalog } = {},
): Promise<Diagnostic[]> {
  const set = new WorkflowSet(Object.entries(files).map(([name, text]) => loadText(name, text)));
  return validateSet(set, { catalog: options.catalog ?? (await testCatalog()), checks: options.checks });
}

/** `line:col rule` of each diagnostic: compact to assert on. */
export function positions(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.rule}`);
}
