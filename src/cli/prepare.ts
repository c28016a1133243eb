/**
 * What `revo run` (and friends) do before a run exists: load the file and the
 * activities, validate, bundle the definitions, read and check the input. Every
 * problem here is the user's to fix, reported with file and line, and no run is created.
 */
import { existsSync } from 'node:fs';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Json } from '../../interpreter/model.js';
import { activityModules, loadActivityMap } from '../activities/modules.js';
import type { ActivityDefinition } from '../activities/types.js';
import { UsageError } from '../errors.js';
import { bundleWorkflow } from '../load/bundle-workflow.js';
import { checkInput, readInput, type InputSource } from '../load/input.js';

export interface RunSource extends InputSource {
  /** `--activities` modules; default: `activities/index.(ts|js)` beside the workflow file, if there is one. */
  activities?: string[];
}

export interface PreparedRun {
  file: string;
  bundle: WorkflowBundle;
  input: Json;
  activities: Map<string, ActivityDefinition>;
  /** The activity modules loaded, as absolute paths (recorded so a resume loads the same). */
  activityModules: string[];
}

export async function prepareRun(file: string, source: RunSource): Promise<PreparedRun> {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const modules = activityModules(file, source.activities);
  const activities = await loadActivityMap(modules);
  const bundle = await bundleWorkflow(file, new Map([...activities.values()].map((d) => [d.name, d])));
  const input = await readInput(source);
  checkInput(bundle, input, file);
  return { file, bundle, input, activities, activityModules: modules };
}
