/**
 * Handing a local run over to Temporal (`--engine auto`). At a step boundary the local
 * run stops with nothing under way and journals the hand-over; a Temporal run with the
 * same id then gets the journal, answers from it for every operation already done (so
 * no completed step runs again) and carries on from the next step. Its history starts
 * with the local events, so one record covers both parts.
 */
import { statSync } from 'node:fs';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { LocalRun, StartEntry } from '../local/engine.js';
import { journalEvents } from '../sandboxed/facts.js';
import { InboxReader } from '../local/inbox.js';
import type { JournalEntry } from '../local/journal.js';
import { readRunJournal } from '../local/stored-run.js';
import type { RunStore } from '../local/store.js';
import { startRun } from '../temporal/client.js';
import type { TemporalSettings } from '../temporal/connection.js';

/** Temporal refuses a payload over 2 MB; the journal travels in the workflow argument with the definition. */
const MAX_HANDOVER_BYTES = 1_500_000;

export interface ContinuedOnTemporal {
  handle: WorkflowHandle;
  /** How many events of the run's history the local part wrote (the Temporal history starts with them). */
  localEvents: number;
}

/** Why this run cannot be handed over, or undefined. */
export function handOverProblem(run: LocalRun, store: RunStore): string | undefined {
  const bytes = statSync(store.journalPath(run.runId)).size + JSON.stringify(run.request.bundle).length;
  if (bytes > MAX_HANDOVER_BYTES) return `its journal is too large to hand over (${Math.round(bytes / 1024)} KB); it finishes on the local engine`;
  return undefined;
}

/**
 * Starts the Temporal run that continues a handed-over local run from its journal;
 * when it was started already (a crash came between), finds it instead.
 */
export async function continueOnTemporal(client: Client, settings: TemporalSettings, store: RunStore, runId: string): Promise<ContinuedOnTemporal> {
  const { entries } = readRunJournal(store, runId);
  const head = entries[0] as StartEntry;
  const { request: _request, origin: _origin, reuse, ...started } = head;
  const journal: JournalEntry[] = [started, ...entries.slice(1)];
  const localEvents = journalEvents(entries).length;
  try {
    const handle = await startRun(client, settings, {
      bundle: head.request.bundle,
      input: head.request.input,
      trigger: head.trigger,
      workflowId: runId,
      handedOver: { journal },
      // A re-run from a step goes on answering the steps before it from the recorded run.
      ...(reuse && { reuse }),
    });
    return { handle, localEvents };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return { handle: client.workflow.getHandle(runId), localEvents };
  }
}

/**
 * Sends on to the Temporal run what other processes put in the local run's inbox
 * after the hand-over (a `revo signal` that saw the run as local a moment before).
 * Returns the function that stops forwarding.
 */
export function forwardInbox(store: RunStore, runId: string, handle: WorkflowHandle, onProblem: (message: string) => void): () => void {
  const read = readRunJournal(store, runId).entries.reduce((end, e) => (typeof e.inboxEnd === 'number' ? Math.max(end, e.inboxEnd) : end), 0);
  const reader = new InboxReader(store.inboxPath(runId), read);
  const forward = () => {
    for (const { message } of reader.readNew()) {
      const sent = message.kind === 'cancel' ? handle.cancel() : handle.signal(message.name, message.payload);
      sent.catch((error: Error) => onProblem(`could not pass ${message.kind === 'cancel' ? 'a cancellation' : `signal "${message.name}"`} on to Temporal: ${error.message}`));
    }
  };
  const stop = reader.watch(forward);
  forward();
  return stop;
}
