/**
 * The definitions `revo replay` and `revo rerun` may use instead of the recorded one:
 * a given file, or the run's own file as it is now (`--current`).
 */
import { existsSync } from 'node:fs';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import { UsageError } from '../errors.js';
import { activityModules, loadActivityMap } from '../activities/modules.js';
import type { ActivityDefinition } from '../activities/types.js';
import { bundleWorkflow } from '../load/bundle-workflow.js';
import type { ReplaySource } from './source.js';

export interface DefinitionChoice {
  /** `--definition <file>`. */
  definition?: string;
  /** `--current`: the run's own file as it is now. */
  current?: boolean;
  activities?: string[];
  /** Activity definitions given by value (the API's `activities`): they count as loaded too. */
  given?: readonly ActivityDefinition[];
}

/** The definition file chosen with --definition or --current, validated and bundled; undefined: the recorded one. */
export async function alternativeDefinition(source: Pick<ReplaySource, 'origin' | 'runId'>, choice: DefinitionChoice): Promise<{ file: string; bundle: WorkflowBundle; activityModules: string[] } | undefined> {
  if (choice.definition !== undefined && choice.current) throw new UsageError('give either --definition or --current, not both');
  const file = choice.current ? currentFile(source) : choice.definition;
  if (file === undefined) return undefined;
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const modules = activityModules(file, choice.activities?.length ? choice.activities : source.origin?.activityModules);
  const activities = await loadActivityMap(modules);
  for (const definition of choice.given ?? []) activities.set(definition.name, definition);
  return { file, bundle: await bundleWorkflow(file, activities), activityModules: modules };
}

function currentFile(source: Pick<ReplaySource, 'origin' | 'runId'>): string {
  const file = source.origin?.file;
  if (file === undefined) {
    throw new UsageError(`run ${source.runId} does not record the file it was started from (only local runs and runs handed over from them do); name the file with --definition <file>`);
  }
  return file;
}

/** A hint when the run's file has changed since the run: replaying against it is then worth a try. */
export async function changedFileNote(source: Pick<ReplaySource, 'origin' | 'bundle'>, idOrFile: string): Promise<string | undefined> {
  const file = source.origin?.file;
  if (file === undefined || !existsSync(file)) return undefined;
  const { loadFile } = await import('../load/load.js');
  const now = await loadFile(file).then((f) => f.hash, () => undefined);
  if (now === undefined || now === source.bundle.hash) return undefined;
  return `${file} has changed since this run; \`revo replay ${idOrFile} --current\` checks the run against it as it is now`;
}
