/** Starting a run on Temporal, for `revo run --engine temporal`, `revo start` and `revo rerun`. */
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Json } from '../../interpreter/model.js';
import { connectClient, temporalSettings, type TemporalFlags } from '../temporal/connection.js';
import { hasWorkers, startRun } from '../temporal/client.js';
import { prepareRun, type RunSource } from './prepare.js';

export interface StartedOnTemporal {
  client: Client;
  handle: WorkflowHandleWithFirstExecutionRunId;
  workflow: string;
}

/** What a new run is made of, once checked: the definition by value and its input. */
export interface RunPlan {
  bundle: WorkflowBundle;
  input: Json;
  /** The activity modules the run uses (absolute paths): named in the hint when no worker polls. */
  activityModules: string[];
  /** Who or what starts it: `cli`, `rerun:<runId>`… */
  by: string;
}

/**
 * Validates the file and its input (nothing starts when either is wrong), then starts
 * the `revo` workflow with the definition by value.
 */
export async function startOnTemporal(file: string, options: RunSource & TemporalFlags & { workflowId?: string }): Promise<StartedOnTemporal> {
  const prepared = await prepareRun(file, options);
  return startPlanOnTemporal({ ...prepared, by: 'cli' }, options);
}

/** Starts the plan on Temporal (connecting, unless a client is given). */
export async function startPlanOnTemporal(plan: RunPlan, options: TemporalFlags & { workflowId?: string }, connected?: Client): Promise<StartedOnTemporal> {
  const settings = temporalSettings(options);
  const client = connected ?? (await connectClient(settings));
  if (!(await hasWorkers(client, settings.taskQueue))) {
    process.stderr.write(
      `revo: no worker polls task queue "${settings.taskQueue}" yet; the run waits until one does. Start one with: revo worker${plan.activityModules.map((m) => ` --activities ${m}`).join('')}\n`,
    );
  }
  const handle = await startRun(client, settings, {
    bundle: plan.bundle,
    input: plan.input,
    trigger: { by: plan.by, input: plan.input },
    ...(options.workflowId && { workflowId: options.workflowId }),
  });
  return { client, handle, workflow: plan.bundle.definition.name };
}
