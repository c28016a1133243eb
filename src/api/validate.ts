/**
 * `validate` of the API and `revo validate`: schema and semantic checks of workflow
 * files, with positioned diagnostics (docs/api.md#validate). Loads no engine.
 */
import { loadActivities } from '../activities/catalog.js';
import type { ActivityDefinition } from '../activities/types.js';
import { catalogsBeside, workflowFiles } from '../load/files.js';
import { WorkflowSet } from '../load/workflow-set.js';
import type { Diagnostic } from '../validate/diagnostic.js';
import { validateSet } from '../validate/validate.js';

export interface ValidateOptions {
  /** JSON catalogs (from `revo catalog`) to check calls against. */
  catalog?: string | string[];
  /** Activity definitions, or modules exporting them, to check calls against. */
  activities?: (ActivityDefinition | string)[];
}

export interface Validation {
  diagnostics: Diagnostic[];
  /** The text of every file checked, by path (for code frames). */
  sources: Map<string, string>;
  filesChecked: number;
}

/**
 * Checks files, directories (searched for workflow YAML) or globs. Without a catalog or
 * activities, a `catalog.json` written by `revo catalog` beside the files is used.
 */
export async function validateFiles(paths: readonly string[], options: ValidateOptions = {}): Promise<Validation> {
  const files = await workflowFiles(paths);
  const catalogs = options.catalog === undefined ? [] : [options.catalog].flat();
  const modules = (options.activities ?? []).filter((a): a is string => typeof a === 'string');
  const definitions = (options.activities ?? []).filter((a): a is ActivityDefinition => typeof a !== 'string');
  const explicit = catalogs.length > 0 || (options.activities?.length ?? 0) > 0;
  const [{ catalog }, set] = await Promise.all([
    loadActivities({ activities: modules, catalogs: explicit ? catalogs : await catalogsBeside(files) }),
    WorkflowSet.load(files),
  ]);
  const withDefinitions = new Map([...catalog, ...definitions.map((d) => [d.name, d] as const)]);
  return { diagnostics: validateSet(set, { catalog: withDefinitions }), sources: new Map(set.files().map((f) => [f.file, f.text])), filesChecked: set.files().length };
}

/** The diagnostics of `paths`: errors and warnings, each with file, line, col, rule and message. */
export async function validate(paths: string | readonly string[], options: ValidateOptions = {}): Promise<Diagnostic[]> {
  return (await validateFiles(typeof paths === 'string' ? [paths] : paths, options)).diagnostics;
}
