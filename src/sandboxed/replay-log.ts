/**
 * What a resume knows from the journal: facts by key (with their journal position,
 * which orders them against the cancellation), the signals received, the history
 * events already written (so they are not written twice).
 */
import type { HistoryEvent } from '../../interpreter/history.js';
import type { BufferedSignal } from '../../interpreter/signals.js';
import type { Fact } from './facts.js';
import { FACT_TYPES } from './facts.js';
import type { JournalEntry } from './facts.js';

export interface Positioned<T> {
  fact: T;
  /** Index of the entry in the journal. */
  position: number;
}

type FactOf<T extends Fact['type']> = Extract<Fact, { type: T }>;

export class ReplayLog {
  private readonly facts = new Map<string, Positioned<Fact>>();
  readonly signals: BufferedSignal[] = [];
  /** Failed attempts of activities still retrying: how many, when the first began, when the next is due. */
  readonly attemptsFailed = new Map<string, { count: number; firstAt: number; nextAt: number }>();
  /** Position of `cancel.requested`, if the run was asked to stop. */
  cancelAt: { position: number; reason: string } | undefined;
  inboxOffset = 0;
  private readonly written = new Set<string>();
  /** Entries in the journal (the next entry's position). */
  readonly length: number;

  constructor(entries: readonly JournalEntry[] = []) {
    entries.forEach((entry, position) => {
      if (typeof entry.inboxEnd === 'number') this.inboxOffset = Math.max(this.inboxOffset, entry.inboxEnd);
      if (FACT_TYPES.has(entry.type)) {
        const fact = entry as unknown as Fact;
        this.facts.set(`${fact.type}|${fact.key}`, { fact, position });
        return;
      }
      const event = entry as unknown as HistoryEvent;
      this.written.add(eventIdentity(event));
      if (event.type === 'signal.received') this.signals.push({ seq: event.seq, name: event.name, payload: event.payload });
      if (event.type === 'cancel.requested') this.cancelAt ??= { position, reason: event.reason };
      if (event.type === 'attempt.failed') {
        const seen = this.attemptsFailed.get(event.key);
        const at = event.at ?? 0;
        this.attemptsFailed.set(event.key, { count: event.attempt, firstAt: seen?.firstAt ?? at, nextAt: at + (event.retryInMs ?? 0) });
      }
    });
    this.length = entries.length;
  }

  get<T extends Fact['type']>(type: T, key: string): Positioned<FactOf<T>> | undefined {
    // A fresh run has nothing recorded: no key to build.
    if (this.facts.size === 0) return undefined;
    return this.facts.get(`${type}|${key}`) as Positioned<FactOf<T>> | undefined;
  }

  /** True when this history event is already in the journal (a replay re-emits it). */
  wasWritten(event: HistoryEvent): boolean {
    return this.written.size > 0 && this.written.has(eventIdentity(event));
  }
}

/** What makes a history event unique within a run. */
export function eventIdentity(event: HistoryEvent): string {
  switch (event.type) {
    case 'attempt.failed':
      return `${event.type}|${event.key}|${event.attempt}`;
    case 'signal.received':
      return `${event.type}|${event.seq}`;
    case 'signal.rejected':
    case 'cancel.requested':
      return `${event.type}|${event.at}`;
    default:
      return 'key' in event ? `${event.type}|${event.key}` : event.type;
  }
}
