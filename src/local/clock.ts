/**
 * Time for the local engine. Real runs use the system clock; tests use a virtual
 * clock so a workflow that sleeps for a month finishes in milliseconds, with the
 * same timestamps in its record as if it had really waited.
 */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after ms; if `signal` aborts first, rejects with signal.reason and clears the timer. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Marks real work in flight (an activity attempt); returns a release function. A virtual clock never advances while anything is busy. */
  busy(): () => void;
}

/** setTimeout's limit: a longer delay would fire at once, so long sleeps wait in chunks. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** Date.now and setTimeout; sleeps longer than setTimeout allows (~24.8 days) are chained. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const due = Date.now() + ms;
      let timer: NodeJS.Timeout;
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const wait = (): void => {
        const left = due - Date.now();
        if (left > MAX_TIMEOUT) {
          timer = setTimeout(wait, MAX_TIMEOUT);
        } else {
          timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          }, Math.max(0, left));
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      wait();
    });
  },
  busy: () => noop,
};

function noop(): void {}

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** setImmediate turns with nothing new happening before the clock counts the process as idle. */
const SETTLE_TURNS = 3;

/**
 * Virtual time for tests: sleeps cost nothing. Time advances only when the process
 * is idle: when a sleep is pending and nothing is busy, after the event loop has
 * settled (a few setImmediate turns with no new sleep or busy change, so pending
 * promise chains and I/O callbacks run first), it jumps to the earliest pending
 * timer, sets now() to its due time and resolves it (timers due at the same time
 * resolve together, in registration order), then repeats. It keeps the process
 * alive only while a sleep is pending and nothing is busy.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private busyCount = 0;
  /** Bumped by every sleep, busy and release: a change seen while settling restarts the count. */
  private generation = 0;
  private settling = false;

  constructor(startMs: number = Date.parse('2026-01-01T00:00:00Z')) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = {
        due: this.current + (ms > 0 ? ms : 0),
        seq: this.seq++,
        resolve,
        signal,
        onAbort: () => {
          const index = this.timers.indexOf(timer);
          if (index >= 0) this.timers.splice(index, 1);
          this.generation++;
          reject(signal!.reason);
        },
      };
      signal?.addEventListener('abort', timer.onAbort, { once: true });
      this.timers.push(timer);
      this.generation++;
      this.schedule();
    });
  }

  busy(): () => void {
    this.busyCount++;
    this.generation++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busyCount--;
      this.generation++;
      this.schedule();
    };
  }

  /** Number of sleeps not yet resolved (for tests and diagnostics). */
  get pending(): number {
    return this.timers.length;
  }

  /** Starts settling towards the next advance, unless already doing so or there is nothing to advance to. */
  private schedule(): void {
    if (this.settling || this.busyCount > 0 || this.timers.length === 0) return;
    this.settling = true;
    let seen = this.generation;
    let quiet = 0;
    const turn = (): void => {
      if (this.busyCount > 0 || this.timers.length === 0) {
        this.settling = false; // release() or sleep() will schedule again
        return;
      }
      if (this.generation !== seen) {
        seen = this.generation;
        quiet = 0;
      } else if (++quiet >= SETTLE_TURNS) {
        this.settling = false;
        this.advance();
        return;
      }
      setImmediate(turn);
    };
    setImmediate(turn);
  }

  /** Jumps to the earliest due time and resolves every timer due then, in registration order. */
  private advance(): void {
    this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
    const due = this.timers[0]!.due;
    if (due === Infinity) return; // only endless sleeps left: nothing will ever fire
    let count = 0;
    while (count < this.timers.length && this.timers[count]!.due === due) count++;
    const fired = this.timers.splice(0, count);
    this.current = Math.max(this.current, due);
    this.generation++;
    for (const timer of fired) {
      timer.signal?.removeEventListener('abort', timer.onAbort);
      timer.resolve();
    }
    this.schedule();
  }
}
