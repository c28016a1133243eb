/**
 * Where Temporal is: flags, then the environment variables the `temporal` CLI also
 * reads, then the documented defaults (docs/temporal.md#connecting-to-a-cluster).
 * No SDK import: reading settings must not load Temporal.
 */
import { UsageError } from '../errors.js';
import { DEFAULT_TASK_QUEUE } from '../sandboxed/workflow/contract.js';

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
