/**
 * The journal entries the local engine writes besides history events: the facts a
 * resume replays instead of redoing (activity outcomes, timers, signal consumption,
 * children). Each is keyed by the step instance key of the operation. Entries made
 * from an inbox message also carry `inboxEnd`: how far the inbox has been read.
 */
import type { ErrorInfo, HistoryEvent, StepKey } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';

export type Fact =
  | { type: 'activity.completed'; key: StepKey; activity: string; output: Json; attempts: number }
  | { type: 'activity.failed'; key: StepKey; activity: string; error: ErrorInfo; attempts: number }
  | { type: 'timer.started'; key: StepKey; firesAt: number }
  | { type: 'timer.fired'; key: StepKey }
  | { type: 'signal.consumed'; key: StepKey; seq: number }
  | { type: 'signal.timedout'; key: StepKey }
  | { type: 'child.started'; key: StepKey; runId: string; workflowId: string }
  | { type: 'child.completed'; key: StepKey; output: Json }
  | { type: 'child.failed'; key: StepKey; error: ErrorInfo };

export type FactType = Fact['type'];

/** One line of a local journal: a history event or a fact (plus journal-only fields). */
export type JournalEntry = { type: string; [field: string]: unknown };

export const FACT_TYPES: ReadonlySet<string> = new Set<FactType>([
  'activity.completed', 'activity.failed', 'timer.started', 'timer.fired', 'signal.consumed', 'signal.timedout',
  'child.started', 'child.completed', 'child.failed',
]);

/** The history events of a journal: every entry but the facts, without the fields only a resume needs. */
export function journalEvents(entries: readonly { type: string; [field: string]: unknown }[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const entry of entries) {
    if (FACT_TYPES.has(entry.type)) continue;
    const { request: _request, origin: _origin, inboxEnd: _inboxEnd, reuse: _reuse, ...event } = entry;
    events.push(event as unknown as HistoryEvent);
  }
  return events;
}
