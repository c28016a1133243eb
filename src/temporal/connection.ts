/**
 * Where Temporal is and how to reach it: flags, then the environment variables the
 * `temporal` CLI also reads, then the documented defaults (docs/temporal.md#connecting-to-a-cluster).
 */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ClientOptions, type ConnectionOptions } from '@temporalio/client';
import type { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';
import { UsageError } from '../errors.js';
import { currentTracing } from '../telemetry/tracing.js';
import { reachable, unreachable } from './reachable.js';
import type { TemporalSettings } from './settings.js';
import { readTlsFiles } from './tls-files.js';

export { reachable } from './reachable.js';
export { temporalSettings, type TemporalFlags, type TemporalSettings } from './settings.js';

/** The TLS and API-key part of a connection, with certificate files read. */
function secureOptions(settings: TemporalSettings): Pick<ConnectionOptions & NativeConnectionOptions, 'tls' | 'apiKey'> {
  const { tls } = settings;
  const files = typeof tls === 'object' ? readTlsFiles(settings) : {};
  return {
    ...(tls === true && { tls: true }),
    ...(typeof tls === 'object' && {
      tls: {
        ...(files.serverName && { serverNameOverride: files.serverName }),
        ...(files.ca && { serverRootCACertificate: files.ca }),
        ...(files.cert && files.key && { clientCertPair: { crt: files.cert, key: files.key } }),
      },
    }),
    ...(settings.apiKey && { apiKey: settings.apiKey }),
  };
}

/**
 * The SDK's own retries of a failed call are cut short (it would keep a call waiting
 * ~15 s, silently): a server that is gone is waited out, with a word to the user, by
 * TemporalRetry (retry-unavailable.ts). The channel tries to reconnect every 2 s at
 * most, so a server that is back is found at once.
 */
const CLIENT_GRPC: Pick<ConnectionOptions, 'interceptors' | 'channelArgs'> = {
  interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))],
  channelArgs: { 'grpc.max_reconnect_backoff_ms': 2_000, 'grpc.initial_reconnect_backoff_ms': 250 },
};

/**
 * A client connection (pure JavaScript gRPC): it needs neither the SDK's native runtime nor
 * @temporalio/worker, whose loading would cost every `revo signal`, `revo start`… a quarter second.
 */
export async function connectClient(settings: TemporalSettings): Promise<Client> {
  if (!(await reachable(settings.address))) throw unreachable(settings, new Error('nothing answers at that address'));
  try {
    const connection = await Connection.connect({ address: settings.address, connectTimeout: 5_000, ...CLIENT_GRPC, ...secureOptions(settings) });
    return new Client({ connection, namespace: settings.namespace, ...(await tracingClientInterceptors()) });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unreachable(settings, err);
  }
}

/** OTEL_* set (src/telemetry/tracing.ts): starting a run makes the trace's root span, StartWorkflow:revo, and passes it to the worker. */
async function tracingClientInterceptors(): Promise<Pick<ClientOptions, 'interceptors'>> {
  if (!currentTracing()) return {};
  const { OpenTelemetryWorkflowClientInterceptor } = await import('@temporalio/interceptors-opentelemetry');
  return { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } };
}

export async function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  const [{ NativeConnection }, { installSdkRuntime }] = await Promise.all([import('@temporalio/worker'), import('./sdk-runtime.js')]);
  installSdkRuntime();
  try {
    return await NativeConnection.connect({ address: settings.address, ...secureOptions(settings) });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unreachable(settings, err);
  }
}
