/**
 * `createWorker` of the API (docs/api.md#createworker): a Temporal worker with the one
 * Revo workflow and your typed activities (plus the built-ins) on one task queue. Run as
 * many as you like, anywhere: they share the work.
 */
import { resolve } from 'node:path';
import { loadActivityMap } from '../activities/modules.js';
import type { ActivityDefinition } from '../activities/types.js';
import type { Registration } from '../temporal/search-attributes.js';
import { parseListenAddress } from '../telemetry/address.js';
import type { Worker } from '@temporalio/worker';
import { revoMetrics } from '../telemetry/metrics.js';
import { startTelemetryServer } from '../telemetry/server.js';
import { TemporalConnection, type TemporalOptions } from './temporal-connection.js';

export interface WorkerOptions {
  /** Activity definitions, or paths of modules exporting them. */
  activities?: (ActivityDefinition | string)[];
  temporal?: TemporalOptions;
  /** How the worker names itself to Temporal (default: the SDK's `pid@host`). */
  identity?: string;
  /**
   * After `shutdown()`, how long activities in flight may run on before they are cancelled
   * (they see it as `context.signal`; docs/temporal.md#running-workers). Default 30 s.
   */
  shutdownGraceMs?: number;
  /**
   * Serve `/metrics`, `/healthz` and `/readyz` on this address (`host:port`, or a port on
   * 127.0.0.1; port 0 takes a free one) while the worker runs (docs/temporal.md#metrics).
   */
  metrics?: string;
  /**
   * The one-line status while Temporal is unreachable, and when it is back. The worker
   * itself waits for the server as long as it takes and carries on where it was
   * (docs/reliability.md#temporal-server-restarts).
   */
  onStatus?: (text: string) => void;
}

/** The default of `shutdownGraceMs`. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

export interface RevoWorker {
  readonly taskQueue: string;
  readonly namespace: string;
  readonly address: string;
  /** The activities it serves, by name. */
  readonly activities: string[];
  /**
   * Revo's search attributes on the namespace: those the worker registered, or why it
   * could not and the command that does it (runs work either way, unsearchable).
   */
  readonly searchAttributes: Registration;
  /** Where `/metrics`, `/healthz` and `/readyz` are served (with the port it got), when asked for. */
  readonly metricsAddress?: string;
  /** The SDK worker's state: `RUNNING` while it polls, then `STOPPING`, `DRAINING`… */
  readonly state: string;
  /** Polls until `shutdown()`; then activities in flight finish (within the grace), and the connection and the metrics endpoint close. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createWorker(options: WorkerOptions = {}): Promise<RevoWorker> {
  // A bad --metrics address is refused before anything connects.
  const metricsAt = options.metrics === undefined ? undefined : parseListenAddress(options.metrics);
  const settings = await new TemporalConnection(options.temporal).settings();
  const modules = (options.activities ?? []).filter((a): a is string => typeof a === 'string').map((m) => resolve(m));
  const activities = await loadActivityMap(modules);
  for (const d of options.activities ?? []) if (typeof d !== 'string') activities.set(d.name, d);
  const [{ connectWorker, reachable }, { createWorker: create }, { registerSearchAttributes }, sdkRuntime, { installTracing }, { TemporalRetry }, { unreachable }] = await Promise.all([
    import('../temporal/connection.js'),
    import('../temporal/worker.js'),
    import('../temporal/search-attributes.js'),
    import('../temporal/sdk-runtime.js'),
    import('../telemetry/tracing.js'),
    import('../temporal/retry-unavailable.js'),
    import('../temporal/reachable.js'),
  ]);
  // OTEL_* set: the worker traces (docs/temporal.md#tracing).
  const tracing = await installTracing();
  // The endpoint listens first, so a busy address is refused before anything else starts;
  // it is not ready until the worker polls.
  let made: Worker | undefined;
  const endpoint = metricsAt
    ? await startTelemetryServer({
        address: metricsAt,
        readiness: () => ({ ready: made?.getState() === 'RUNNING', state: made?.getState() ?? 'STARTING' }),
        // The SDK's worker metrics, then Revo's (src/telemetry/metrics.ts).
        metrics: async () => {
          const sdk = await sdkRuntime.sdkMetricsText();
          return (sdk && !sdk.endsWith('\n') ? `${sdk}\n` : sdk) + revoMetrics.text();
        },
      })
    : undefined;
  // Before the connection installs it plainly: the core's warnings of an unreachable server come to
  // onCoreUnreachable, and the SDK's own metrics need the runtime installed with an exporter. After
  // the endpoint: a runtime that forwards the core's logs keeps the process alive, even one that failed.
  if (metricsAt) await sdkRuntime.installSdkRuntimeWithMetrics({ forwardCoreLogs: true });
  else sdkRuntime.installSdkRuntime({ forwardCoreLogs: true });
  const connection = await connectWorker(settings).catch(async (error: unknown) => {
    await endpoint?.close();
    throw error;
  });
  try {
    made = await create({
      connection,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      activities: activities.values(),
      shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      ...(tracing && { tracing }),
      ...(options.identity && { identity: options.identity }),
    });
  } catch (error) {
    await connection.close();
    await endpoint?.close();
    throw error;
  }
  const worker = made;
  // The SDK retries its polls while the server is gone; here the user hears of it once, then when it is back.
  const outage = new TemporalRetry({ address: settings.address, retryForMs: Infinity, ...(options.onStatus && { onStatus: options.onStatus }) });
  const stopped = new AbortController();
  let watching = false;
  const stopListening = sdkRuntime.onCoreUnreachable(() => {
    if (watching || stopped.signal.aborted) return;
    watching = true;
    const answers = async () => {
      if (!(await reachable(settings.address))) throw unreachable(settings, new Error('nothing answers at that address'));
    };
    void outage
      .call(answers, { signal: stopped.signal })
      .catch(() => {})
      .finally(() => (watching = false));
  });
  const searchAttributes = await registerSearchAttributes(connection.operatorService, settings.namespace).catch(
    (error: Error): Registration => ({ problem: error.message.split('\n')[0]!, command: 'temporal operator search-attribute create --help' }),
  );
  return {
    searchAttributes,
    taskQueue: settings.taskQueue,
    namespace: settings.namespace,
    address: settings.address,
    activities: [...activities.keys()].sort(),
    ...(endpoint && { metricsAddress: endpoint.address }),
    get state() {
      return worker.getState();
    },
    async run() {
      try {
        await worker.run();
      } finally {
        await endpoint?.close();
        stopListening();
        stopped.abort();
        await connection.close();
      }
    },
    shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
