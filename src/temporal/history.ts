/**
 * The run record of a Temporal run (docs/history.md#the-run-record), rebuilt by replaying its history
 * through the workflow code: the workflow reports each interpreter event to a sink,
 * and a replay calls it again, so the record comes out exactly as the run made it —
 * no worker needs to be running, and the run may have ended long ago.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { HistoryEvent } from '../../interpreter/history.js';
import { UsageError } from '../errors.js';
import { RunRecorder, type RunRecord } from '../history/record.js';
import { HISTORY_SINK, METRICS_SINK } from '../sandboxed/workflow/contract.js';
import { errorInfoOf } from '../sandboxed/failures.js';
import { workflowBundle } from './workflow-code.js';

type History = temporal.api.history.v1.IHistory;

/** The histories of every run of a workflow id, first to last (continue-as-new makes several). */
export async function fetchHistories(client: Client, workflowId: string): Promise<{ runId: string; history: History }[]> {
  const latest = await describe(client, workflowId);
  const runs: { runId: string; history: History }[] = [];
  let runId: string | undefined = latest.raw.workflowExecutionInfo?.firstRunId || latest.runId;
  while (runId) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history });
    const last: temporal.api.history.v1.IHistoryEvent | undefined = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

export async function describe(client: Client, workflowId: string) {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') throw new UsageError(`no run "${workflowId}" on Temporal (namespace ${client.options.namespace}), nor a local run by that id; \`revo runs\` lists them`);
    throw err;
  }
}

/** Replays histories (without running any activity) and collects the events the workflow reported, per run. */
export async function replayEvents(workflowId: string, runs: { runId: string; history: History }[]): Promise<HistoryEvent[]> {
  // Loaded here, not at the top: the handles' other calls (describe, signal…) need only the client.
  const [{ Worker }, { installSdkRuntime }] = await Promise.all([import('@temporalio/worker'), import('./sdk-runtime.js')]);
  installSdkRuntime();
  const byRun = new Map<string, HistoryEvent[]>(runs.map((r) => [r.runId, []]));
  const replays = Worker.runReplayHistories(
    {
      workflowBundle: workflowBundle(),
      // The metrics sink is never called on replay, but the SDK wants every sink the workflow names registered.
      sinks: { [HISTORY_SINK]: { event: { fn: (info, event) => void byRun.get(info.runId)?.push(event as HistoryEvent), callDuringReplay: true } }, [METRICS_SINK]: { fact: { fn: () => {} } } },
    },
    runs.map((r) => ({ workflowId, history: r.history })),
  );
  for await (const result of replays) {
    if (result.error) throw new Error(`replaying run ${result.runId} of ${workflowId} failed: ${result.error.message}`);
  }
  return runs.flatMap((r) => byRun.get(r.runId)!);
}

/** Every event the run has reported so far, across continue-as-new, rebuilt from its histories. */
export async function temporalEvents(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  return replayEvents(workflowId, await fetchHistories(client, workflowId));
}

/** The run record of a Temporal run, whatever its state (`events`: already fetched with temporalEvents). */
export async function temporalRecord(client: Client, workflowId: string, events?: HistoryEvent[]): Promise<RunRecord> {
  const record = RunRecorder.fold(events ?? (await temporalEvents(client, workflowId)));
  // Ended on Temporal's side (terminated, timed out) without the interpreter seeing it.
  if (record.status === 'running') {
    const handle = client.workflow.getHandle(workflowId);
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING' && status.name !== 'CONTINUED_AS_NEW') {
      const error = await handle.result().then(() => undefined, (err: { cause?: unknown }) => errorInfoOf(err.cause ?? err));
      record.status = 'failed';
      if (error) record.error = error;
    }
  }
  return record;
}
