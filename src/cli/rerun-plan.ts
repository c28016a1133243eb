/** What `revo rerun` runs: the earlier run's input, with its recorded definition or the file as it is now. */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import { UsageError } from '../errors.js';
import { schemaProblem } from '../sandboxed/payload-check.js';
import { activitiesBeside, loadActivityMap } from '../activities/modules.js';
import type { ReplaySource } from './replay-source.js';
import type { LocalPlan } from './run-on-engine.js';

export async function rerunPlan(
  source: ReplaySource,
  current: { file: string; bundle: WorkflowBundle; activityModules: string[] } | undefined,
  activities: string[] | undefined,
): Promise<LocalPlan> {
  const bundle = current?.bundle ?? source.bundle;
  const problem = schemaProblem(bundle.definition.input, source.input);
  if (problem) {
    throw new UsageError(`the input of run ${source.runId} does not match the input schema of ${current?.file ?? 'its definition'} any more: ${problem}; nothing was run`);
  }
  const file = current?.file ?? source.origin?.file;
  const modules = current?.activityModules ?? (activities?.length ? activities : (source.origin?.activityModules ?? (file ? activitiesBeside(file) : [])));
  return { bundle, input: source.input, activities: await loadActivityMap(modules), activityModules: modules, ...(file !== undefined && { file }), by: `rerun:${source.runId}` };
}
