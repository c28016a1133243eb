/**
 * Re-running a recorded run (docs/replay.md): a new run with the earlier run's input and
 * its recorded definition (by value), or a definition chosen instead — the run's file as
 * it is now, or another file — against which the input is checked again.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Json } from '../../interpreter/model.js';
import type { Revo, Workflow } from '../api/revo.js';
import { InvalidInputError } from '../errors.js';
import { schemaProblem } from '../sandboxed/payload-check.js';
import type { ReplaySource } from './source.js';

export interface RerunPlan {
  workflow: Workflow;
  input: Json;
  /** `rerun:<runId>`. */
  trigger: string;
  /** The engine the earlier run ran on: the default for the new one. */
  engine: 'local' | 'temporal';
}

export async function rerunPlan(revo: Revo, source: ReplaySource, chosen: { file: string; bundle: WorkflowBundle; activityModules: string[] } | undefined): Promise<RerunPlan> {
  const bundle = chosen?.bundle ?? source.bundle;
  const problem = schemaProblem(bundle.definition.input, source.input);
  if (problem) {
    throw new InvalidInputError(`the input of run ${source.runId} does not match the input schema of ${chosen?.file ?? 'its definition'} any more: ${problem}; nothing was run`);
  }
  const file = chosen?.file ?? source.origin?.file;
  const activityModules = chosen?.activityModules ?? source.origin?.activityModules;
  const workflow = await revo.workflowOf(bundle, { ...(file !== undefined && { file }), ...(activityModules && { activityModules }) });
  return { workflow, input: source.input, trigger: `rerun:${source.runId}`, engine: source.engine };
}
