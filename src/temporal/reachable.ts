/** Is anything listening at a Temporal address? Without loading the SDK. And a port nothing listens on. */
import { connect, createServer } from 'node:net';
import { TemporalUnavailableError } from '../errors.js';
import type { TemporalSettings } from './settings.js';

/**
 * Whether anything listens at `address`: a plain TCP connect, answered at once when
 * nothing does (gRPC would keep retrying until its deadline).
 */
export function reachable(address: string, timeoutMs = 2_000): Promise<boolean> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '') || 'localhost';
  const port = Number(address.slice(at + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Temporal cannot be reached: what to do about it. */
export function unreachable(settings: TemporalSettings, err: unknown): TemporalUnavailableError {
  const reason = (err as Error)?.message?.split('\n')[0] ?? String(err);
  return new TemporalUnavailableError(
    `cannot reach Temporal at ${settings.address} (namespace ${settings.namespace}): ${reason}. ` +
      'Start a local server with `revo dev`, or point TEMPORAL_ADDRESS (or --address) at yours.',
  );
}

/** A loopback port that was free a moment ago (the OS picks it), for a server started next. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
