/**
 * Running a checked plan to its end on the engine asked for, with progress in the
 * terminal: what `revo run` and `revo rerun` share.
 */
import { resolve } from 'node:path';
import type { ActivityDefinition } from '../activities/types.js';
import type { RunOrigin } from '../local/engine.js';
import type { TemporalFlags } from '../temporal/connection.js';
import type { RunPlan } from './start-temporal.js';

export type EngineName = 'local' | 'temporal' | 'auto';

export interface RunOnEngineOptions extends TemporalFlags {
  engine: EngineName;
  json?: boolean;
  quiet?: boolean;
}

export interface LocalPlan extends RunPlan {
  activities: Map<string, ActivityDefinition>;
  /** The workflow file, when the definition came from one (a resume and `rerun --current` read it). */
  file?: string;
}

/** Runs the plan and returns the exit code. */
export async function runOnEngine(plan: LocalPlan, options: RunOnEngineOptions): Promise<number> {
  const name = plan.bundle.definition.name;
  if (options.engine === 'temporal') {
    const [{ startPlanOnTemporal }, { watchTemporalRun }] = await Promise.all([import('./start-temporal.js'), import('./watch-temporal-run.js')]);
    const { client, handle } = await startPlanOnTemporal(plan, options);
    if (!options.quiet) process.stderr.write(`revo: run ${handle.workflowId} started (${name}, Temporal engine)\n`);
    return watchTemporalRun(client, handle, options);
  }
  if (options.engine === 'auto') {
    const { runAuto } = await import('./run-auto.js');
    return runAuto(plan, options);
  }
  const { terminalEngine, watchRun } = await import('./watch-run.js');
  const { engine, view } = terminalEngine(plan.activities, options);
  const run = engine.start({ bundle: plan.bundle, input: plan.input }, { origin: originOf(plan), trigger: plan.by });
  if (!options.quiet) process.stderr.write(`revo: run ${run.runId} started (${name}, local engine)\n`);
  return watchRun(run, view, options);
}

/** Where a local run's definition and activities came from, so a resume loads the same. */
export function originOf(plan: LocalPlan): RunOrigin {
  return { ...(plan.file !== undefined && { file: resolve(plan.file) }), activityModules: plan.activityModules };
}
