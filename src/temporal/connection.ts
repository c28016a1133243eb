/**
 * Where Temporal is and how to reach it: flags, then the environment variables the
 * `temporal` CLI also reads, then the documented defaults (docs/temporal.md#connecting-to-a-cluster).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { TemporalUnavailableError, UsageError } from '../errors.js';
import { DEFAULT_TASK_QUEUE } from '../sandboxed/workflow/contract.js';
import { installSdkRuntime } from './sdk-runtime.js';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Client certificate and key (mTLS), CA and server name; `tls: true` with none of them uses the system's CAs. */
  tls?: { cert?: string; key?: string; ca?: string; serverName?: string } | true;
  apiKey?: string;
}

/** The flags every Temporal command accepts (see addTemporalOptions). */
export interface TemporalFlags {
  address?: string;
  namespace?: string;
  taskQueue?: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  tlsServerName?: string;
  apiKey?: string;
}

export function temporalSettings(flags: TemporalFlags = {}, env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const cert = flags.tlsCert ?? env.TEMPORAL_TLS_CERT;
  const key = flags.tlsKey ?? env.TEMPORAL_TLS_KEY;
  const ca = flags.tlsCa ?? env.TEMPORAL_TLS_CA;
  const serverName = flags.tlsServerName ?? env.TEMPORAL_TLS_SERVER_NAME;
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('mTLS needs both a client certificate and its key (--tls-cert and --tls-key, or TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY)');
  const apiKey = flags.apiKey ?? env.TEMPORAL_API_KEY;
  const wantsTls = flags.tls === true || env.TEMPORAL_TLS === 'true' || cert !== undefined || ca !== undefined || apiKey !== undefined;
  const tlsFiles = { ...(cert && { cert }), ...(key && { key }), ...(ca && { ca }), ...(serverName && { serverName }) };
  return {
    address: flags.address ?? env.TEMPORAL_ADDRESS ?? 'localhost:7233',
    namespace: flags.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: flags.taskQueue ?? env.REVO_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    ...(wantsTls && { tls: Object.keys(tlsFiles).length > 0 ? tlsFiles : true }),
    ...(apiKey && { apiKey }),
  };
}

/** The TLS and API-key part of a connection, with certificate files read. */
function secureOptions(settings: TemporalSettings): Pick<ConnectionOptions & NativeConnectionOptions, 'tls' | 'apiKey'> {
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UsageError(`cannot read the ${what} ${path}: ${(err as Error).message}`);
    }
  };
  const { tls } = settings;
  return {
    ...(tls === true && { tls: true }),
    ...(typeof tls === 'object' && {
      tls: {
        ...(tls.serverName && { serverNameOverride: tls.serverName }),
        ...(tls.ca && { serverRootCACertificate: read(tls.ca, 'CA certificate') }),
        ...(tls.cert && tls.key && { clientCertPair: { crt: read(tls.cert, 'client certificate'), key: read(tls.key, 'client key') } }),
      },
    }),
    ...(settings.apiKey && { apiKey: settings.apiKey }),
  };
}

function unreachable(settings: TemporalSettings, err: unknown): TemporalUnavailableError {
  const reason = (err as Error)?.message?.split('\n')[0] ?? String(err);
  return new TemporalUnavailableError(
    `cannot reach Temporal at ${settings.address} (namespace ${settings.namespace}): ${reason}. ` +
      'Start a local server with `revo dev`, or point TEMPORAL_ADDRESS (or --address) at yours.',
  );
}

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

export async function connectClient(settings: TemporalSettings): Promise<Client> {
  installSdkRuntime();
  if (!(await reachable(settings.address))) throw unreachable(settings, new Error('nothing answers at that address'));
  try {
    const connection = await Connection.connect({ address: settings.address, connectTimeout: 5_000, ...secureOptions(settings) });
    return new Client({ connection, namespace: settings.namespace });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unreachable(settings, err);
  }
}

export async function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  installSdkRuntime();
  try {
    return await NativeConnection.connect({ address: settings.address, ...secureOptions(settings) });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unreachable(settings, err);
  }
}
