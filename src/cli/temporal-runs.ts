/**
 * The Temporal side of the commands that talk to a run (signal, query, cancel,
 * history): a run id that no local run has is taken as a Temporal workflow id.
 */
import type { Client } from '@temporalio/client';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { UsageError } from '../errors.js';
import type { RunRecord } from '../history/record.js';
import { signalProblem } from '../sandboxed/signals.js';
import { RunStore } from '../local/store.js';
import { hasWorkers, startArgument } from '../temporal/client.js';
import { connectClient, temporalSettings, type TemporalFlags } from '../temporal/connection.js';
import { describe, temporalEvents, temporalRecord } from '../temporal/history.js';

/** Temporal, for a run id no local run has: when it cannot be reached, the error says both. */
export async function clientFor(runId: string, flags: TemporalFlags): Promise<Client> {
  try {
    return await connectClient(temporalSettings(flags));
  } catch (err) {
    if (err instanceof UsageError) {
      const settings = temporalSettings(flags);
      throw new UsageError(`no run "${runId}" in ${new RunStore().runsDir} (see the runs with \`revo runs\`), and Temporal at ${settings.address} could not be asked about it: ${err.message.split(': ').slice(1).join(': ')}`);
    }
    throw err;
  }
}

/** A running Temporal run: connected, known, and not ended (else a UsageError saying so). */
async function runningRun(runId: string, flags: TemporalFlags, refusal: string): Promise<Client> {
  const client = await clientFor(runId, flags);
  const { status } = await describe(client, runId);
  if (status.name !== 'RUNNING') {
    throw new UsageError(`run ${runId} has already ended on Temporal (${status.name.toLowerCase().replace(/_/g, ' ')}); ${refusal} (see it with: revo history ${runId})`);
  }
  return client;
}

export async function signalTemporalRun(runId: string, name: string, payload: Json, flags: TemporalFlags): Promise<string> {
  const client = await runningRun(runId, flags, `signal "${name}" was not sent`);
  const { bundle } = await startArgument(client, runId);
  const problem = signalProblem(bundle.definition, name, payload);
  if (problem) throw new UsageError(`run ${runId} refuses signal "${name}": ${problem}; nothing was sent`);
  await client.workflow.getHandle(runId).signal(name, payload);
  return `sent signal "${name}" to run ${runId} on Temporal\n`;
}

export async function queryTemporalRun(runId: string, name: string, flags: TemporalFlags): Promise<Json> {
  const client = await clientFor(runId, flags);
  const { taskQueue } = await describe(client, runId);
  const { bundle } = await startArgument(client, runId);
  const declared = Object.keys(bundle.definition.queries ?? {});
  if (name !== 'state' && !declared.includes(name)) {
    throw new UsageError(`run ${runId} (workflow "${bundle.definition.name}") has no query "${name}"; available: ${['state', ...declared].join(', ')}`);
  }
  // A query is answered by a worker: without one Temporal would only time out, much later.
  if (!(await hasWorkers(client, taskQueue))) {
    throw new UsageError(`run ${runId} cannot answer queries now: no worker polls its task queue "${taskQueue}"; start one with \`revo worker\` (\`revo history ${runId}\` needs none)`);
  }
  try {
    return await client.workflow.getHandle(runId).query<Json>(name);
  } catch (err) {
    throw new UsageError(`query "${name}" of run ${runId} got no answer: ${(err as Error).message.split('\n')[0]} (a query needs a running \`revo worker\` on the run's task queue)`);
  }
}

export async function cancelTemporalRun(runId: string, flags: TemporalFlags): Promise<string> {
  const client = await runningRun(runId, flags, 'nothing to cancel');
  await client.workflow.getHandle(runId).cancel();
  return `cancellation of run ${runId} requested on Temporal; it stops its running steps, runs its finally blocks and compensations, then ends cancelled (follow it with: revo result ${runId})\n`;
}

/** A Temporal run's record, with the definition it ran and its events (the export of `revo history --json`). */
export async function temporalRunHistory(runId: string, flags: TemporalFlags): Promise<{ record: RunRecord; bundle: WorkflowBundle; events: HistoryEvent[] }> {
  const client = await clientFor(runId, flags);
  const events = await temporalEvents(client, runId);
  const [record, { bundle }] = await Promise.all([temporalRecord(client, runId, events), startArgument(client, runId)]);
  return { record, bundle, events };
}
