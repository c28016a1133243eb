/**
 * The Temporal SDK's process-wide runtime, installed once before any connection or
 * worker: Revo prints its own progress, so the SDK logs only warnings unless asked.
 * It takes no process signals: a library must not, and the commands handle Ctrl-C and
 * SIGTERM themselves (`revo worker` shuts its worker down gracefully).
 *
 * A worker that serves metrics installs it first with the core's Prometheus exporter on
 * an internal loopback port, whose text the worker's own `/metrics` serves together with
 * Revo's (docs/temporal.md#metrics).
 */
import { createServer } from 'node:net';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;
let sdkMetricsUrl: string | undefined;

export function installSdkRuntime(options: { prometheusPort?: number } = {}): void {
  if (installed) return;
  installed = true;
  const level = (process.env.REVO_TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'WARN';
  const { prometheusPort } = options;
  Runtime.install({
    logger: new DefaultLogger(level),
    shutdownSignals: [],
    ...(prometheusPort !== undefined && { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${prometheusPort}`, countersTotalSuffix: true } } } }),
  });
  if (prometheusPort !== undefined) sdkMetricsUrl = `http://127.0.0.1:${prometheusPort}/metrics`;
}

/**
 * Installs the runtime with its Prometheus exporter on a free loopback port. False when
 * the runtime was installed already (this process connected before): the SDK's metrics
 * are then not available.
 */
export async function installSdkRuntimeWithMetrics(): Promise<boolean> {
  if (installed) return sdkMetricsUrl !== undefined;
  installSdkRuntime({ prometheusPort: await freeLoopbackPort() });
  return true;
}

/** The SDK's own worker metrics in Prometheus text ('' when the runtime exports none). */
export async function sdkMetricsText(): Promise<string> {
  if (!sdkMetricsUrl) return '';
  const response = await fetch(sdkMetricsUrl);
  if (!response.ok) throw new Error(`the SDK's metrics exporter answered ${response.status}`);
  return response.text();
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
