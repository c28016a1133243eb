/** Starting a workflow file on Temporal, for `revo run --engine temporal` and `revo start`. */
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { connectClient, temporalSettings, type TemporalFlags } from '../temporal/connection.js';
import { hasWorkers, startRun } from '../temporal/client.js';
import { prepareRun, type RunSource } from './prepare.js';

export interface StartedOnTemporal {
  client: Client;
  handle: WorkflowHandleWithFirstExecutionRunId;
  workflow: string;
}

/**
 * Validates the file and its input (nothing starts when either is wrong), then starts
 * the `revo` workflow with the definition by value.
 */
export async function startOnTemporal(file: string, options: RunSource & TemporalFlags & { workflowId?: string }): Promise<StartedOnTemporal> {
  const prepared = await prepareRun(file, options);
  const settings = temporalSettings(options);
  const client = await connectClient(settings);
  if (!(await hasWorkers(client, settings.taskQueue))) {
    process.stderr.write(
      `revo: no worker polls task queue "${settings.taskQueue}" yet; the run waits until one does. Start one with: revo worker${prepared.activityModules.map((m) => ` --activities ${m}`).join('')}\n`,
    );
  }
  const handle = await startRun(client, settings, {
    bundle: prepared.bundle,
    input: prepared.input,
    trigger: { by: 'cli', input: prepared.input },
    ...(options.workflowId && { workflowId: options.workflowId }),
  });
  return { client, handle, workflow: prepared.bundle.definition.name };
}
