/**
 * Signals buffered from the start of the run (docs/dsl.md#signals-and-queries): a `wait` takes the oldest
 * unconsumed signal of its name. Both engines keep one of these; payload checks happen
 * before delivery, in the engine, which has the schema validator.
 */
import type { Json } from './model.js';

export interface BufferedSignal {
  seq: number;
  name: string;
  payload: Json;
}

export class SignalInbox {
  private readonly pending: BufferedSignal[] = [];
  private nextSeq = 1;

  /** Buffers a signal; returns its sequence number (its order of arrival). */
  deliver(name: string, payload: Json, seq: number = this.nextSeq): number {
    this.pending.push({ seq, name, payload });
    this.nextSeq = Math.max(this.nextSeq, seq + 1);
    return seq;
  }

  has(name: string): boolean {
    return this.pending.some((s) => s.name === name);
  }

  /** Removes and returns the oldest buffered signal of this name. */
  take(name: string): BufferedSignal | undefined {
    const index = this.pending.findIndex((s) => s.name === name);
    return index < 0 ? undefined : this.pending.splice(index, 1)[0];
  }

  /** Removes a signal by sequence number (replaying a recorded consumption). */
  remove(seq: number): BufferedSignal | undefined {
    const index = this.pending.findIndex((s) => s.seq === seq);
    return index < 0 ? undefined : this.pending.splice(index, 1)[0];
  }

  /** The buffered signals, oldest first. */
  list(): readonly BufferedSignal[] {
    return this.pending;
  }
}
