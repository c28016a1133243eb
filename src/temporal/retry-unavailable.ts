/**
 * Riding out a Temporal server that goes away (docs/reliability.md#temporal-server-restarts):
 * every call a client makes to Temporal goes through one TemporalRetry, which waits out
 * connection failures with a capped backoff, tells the user once per outage (and now
 * and then while it lasts), and gives up with TemporalGoneError after the deadline.
 * Written without the SDK, so the API can hold one before the SDK is loaded.
 */
import { formatDuration } from '../../interpreter/duration.js';
import { TemporalGoneError, TemporalUnavailableError } from '../errors.js';
import { reachable } from './reachable.js';

/** How long an unreachable Temporal is waited for by default (REVO_TEMPORAL_RETRY, `temporalRetry`). */
export const DEFAULT_TEMPORAL_RETRY_MS = 5 * 60_000;

const FIRST_PAUSE_MS = 500;
/** Short enough that a server back on its feet is noticed within a few seconds. */
const MAX_PAUSE_MS = 4_000;
/** How often a long outage is mentioned again. */
const REMIND_EVERY_MS = 15_000;

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
/** Socket errors of a server that is not there. */
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether `error` may say Temporal could not be reached (rather than that it refused the
 * request), at any depth of `cause`: `unreachable` for a gRPC UNAVAILABLE, a refused or
 * reset socket, the SDK's ConnectionError or Revo's own TemporalUnavailableError;
 * `deadline` for a gRPC DEADLINE_EXCEEDED, which is an outage only if nothing listens
 * at the address (a query no worker answers ends so too); undefined otherwise.
 */
export function transientTemporalError(error: unknown): 'unreachable' | 'deadline' | undefined {
  for (let e = error as { name?: unknown; code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e !== 'object') return undefined;
    if (e instanceof TemporalGoneError) return undefined; // already waited out
    if (e instanceof TemporalUnavailableError || e.name === 'ConnectionError') return 'unreachable';
    if (e.code === UNAVAILABLE || (typeof e.code === 'string' && TRANSIENT_SOCKET_CODES.has(e.code))) return 'unreachable';
    if (e.code === DEADLINE_EXCEEDED) return 'deadline';
  }
  return undefined;
}

export interface TemporalRetryOptions {
  /** Where Temporal is, for the messages. */
  address: string;
  /** How long one outage is waited out before giving up (ms); Infinity: as long as it takes (the worker). */
  retryForMs?: number;
  /** The one-line status while Temporal is away, and when it is back. */
  onStatus?: (text: string) => void;
}

export interface RetryCall {
  /** The run the call is about: the give-up message says it is safe and how to pick it up again. */
  runId?: string;
  signal?: AbortSignal;
}

/** One outage at a time, shared by every call of a connection: one notice, one deadline. */
export class TemporalRetry {
  readonly retryForMs: number;
  private downSince: number | undefined;
  private remindedAt = 0;

  constructor(private readonly options: TemporalRetryOptions) {
    this.retryForMs = options.retryForMs ?? DEFAULT_TEMPORAL_RETRY_MS;
  }

  get address(): string {
    return this.options.address;
  }

  /** Runs `action` until it succeeds or fails for another reason than an unreachable Temporal, or the deadline passes. */
  async call<T>(action: () => Promise<T>, call: RetryCall = {}): Promise<T> {
    for (let pauseMs = FIRST_PAUSE_MS; ; pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS)) {
      let value: T;
      try {
        value = await action();
      } catch (error) {
        const transient = transientTemporalError(error);
        if (transient === undefined || (transient === 'deadline' && (await reachable(this.address)))) throw error;
        const downForMs = this.failed();
        if (downForMs >= this.retryForMs) throw new TemporalGoneError(this.address, this.retryForMs, call.runId);
        await pause(Math.min(pauseMs, this.retryForMs - downForMs), call.signal);
        continue;
      }
      this.answered();
      return value;
    }
  }

  /** Notes a failed call; returns how long Temporal has been away. */
  private failed(): number {
    const now = Date.now();
    if (this.downSince === undefined) {
      this.downSince = now;
      this.remindedAt = now;
      const until = Number.isFinite(this.retryForMs) ? `for up to ${formatDuration(this.retryForMs)} (REVO_TEMPORAL_RETRY)` : 'until it is back';
      this.say(`Temporal at ${this.address} is unreachable; retrying ${until}`);
    } else if (now - this.remindedAt >= REMIND_EVERY_MS) {
      this.remindedAt = now;
      this.say(`Temporal at ${this.address} is unreachable; retrying (${Math.round((now - this.downSince) / 1000)} s)`);
    }
    return now - this.downSince;
  }

  private answered(): void {
    if (this.downSince === undefined) return;
    const seconds = Math.round((Date.now() - this.downSince) / 1000);
    this.downSince = undefined;
    this.say(`Temporal at ${this.address} answers again (after ${seconds} s); carrying on`);
  }

  private say(text: string): void {
    this.options.onStatus?.(text);
  }
}

/** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
