/**
 * Archiving a closed Temporal run (Revo.archiveRuns, `revo runs --archive`): its histories,
 * fetched and replayed through the workflow code as `revo history` does, made into the
 * file the run archive keeps (src/local/archive.ts).
 */
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { historyExport } from '../history/export.js';
import { ARCHIVE_FORMAT, type ArchivedRun } from '../local/archive.js';
import type { RevoWorkflowInput } from '../sandboxed/workflow/contract.js';
import { fetchHistories, replayEvents, temporalRecord } from './history.js';

/** The archive of the closed run `workflowId`, as Temporal has it now. */
export async function archivedRunOf(client: Client, workflowId: string, now: Date = new Date()): Promise<ArchivedRun> {
  const histories = await fetchHistories(client, workflowId);
  const events = await replayEvents(workflowId, histories);
  // A run Temporal ended itself (terminated, timed out) has a record that says so.
  const record = await temporalRecord(client, workflowId, events);
  const last = histories[histories.length - 1]?.history;
  const payload = last?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`the history of ${workflowId} does not start with its argument`);
  const argument = client.options.loadedDataConverter.payloadConverter.fromPayload<RevoWorkflowInput>(payload);
  return {
    ...historyExport(record, argument.bundle, events),
    archive: {
      format: ARCHIVE_FORMAT,
      at: now.toISOString(),
      namespace: client.options.namespace,
      input: argument.input,
      histories: histories.map(({ runId, history }) => ({ runId, history: JSON.parse(historyToJSON(history)) as unknown })),
    },
  };
}
