/**
 * The Temporal SDK's process-wide runtime, installed once before any connection or
 * worker: Revo prints its own progress, so the SDK logs only warnings unless asked.
 * It takes no process signals: a library must not, and the commands handle Ctrl-C and
 * SIGTERM themselves (`revo worker` shuts its worker down gracefully).
 *
 * The SDK core's own log lines come through here too: while the server is gone its
 * worker retries every poll (forever) and warns about each retry, several lines a
 * second. Those warnings go to whoever listens (`revo worker` turns them into one status
 * line, docs/reliability.md#temporal-server-restarts) instead of the terminal.
 *
 * A worker that serves metrics installs it first with the core's Prometheus exporter on
 * an internal loopback port, whose text the worker's own `/metrics` serves together with
 * Revo's (docs/temporal.md#metrics).
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel, type LogMetadata, type Logger } from '@temporalio/worker';
import { freePort } from './reachable.js';

let installed = false;
let sdkMetricsUrl: string | undefined;
const SEVERITY: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** What the core says when the server does not answer. */
const UNREACHABLE_WARNING = /code: Unavailable|tcp connect error|Connection refused|service is currently unavailable/i;
const unreachableListeners = new Set<() => void>();

/** Calls `listener` whenever the SDK core warns that the server does not answer (the warning is then not printed). */
export function onCoreUnreachable(listener: () => void): () => void {
  unreachableListeners.add(listener);
  return () => unreachableListeners.delete(listener);
}

class RevoSdkLogger implements Logger {
  private readonly printed: DefaultLogger;

  constructor(level: LogLevel) {
    this.printed = new DefaultLogger(level);
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (unreachableListeners.size > 0 && (level === 'WARN' || level === 'ERROR') && UNREACHABLE_WARNING.test(`${message} ${meta ? JSON.stringify(meta) : ''}`)) {
      for (const listener of unreachableListeners) listener();
      return;
    }
    this.printed.log(level, message, meta);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * Installs the runtime (the first call wins). `forwardCoreLogs`: for a process that runs
 * a worker — the core's lines come to the logger above rather than being printed by the
 * core itself (its warnings at least, whatever is printed, so that an unreachable server
 * is noticed). Only then: a forwarding runtime would keep a client's process alive.
 * `prometheusPort`: the core exports its metrics there (on 127.0.0.1).
 */
export function installSdkRuntime(options: { forwardCoreLogs?: boolean; prometheusPort?: number } = {}, level: LogLevel = (process.env.REVO_TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'WARN'): void {
  if (installed) return;
  installed = true;
  const coreLevel = SEVERITY.indexOf(level) < SEVERITY.indexOf('WARN') ? level : 'WARN';
  const { prometheusPort } = options;
  const telemetryOptions = {
    ...(options.forwardCoreLogs && { logging: { forward: {}, filter: makeTelemetryFilterString({ core: coreLevel, other: 'ERROR' }) } }),
    ...(prometheusPort !== undefined && { metrics: { prometheus: { bindAddress: `127.0.0.1:${prometheusPort}`, countersTotalSuffix: true } } }),
  };
  Runtime.install({
    logger: new RevoSdkLogger(level),
    ...(Object.keys(telemetryOptions).length > 0 && { telemetryOptions }),
    shutdownSignals: [],
  });
  if (prometheusPort !== undefined) sdkMetricsUrl = `http://127.0.0.1:${prometheusPort}/metrics`;
}

/**
 * Installs the runtime with its Prometheus exporter on a free loopback port (and the
 * worker's log forwarding). False when the runtime was installed already (this process
 * connected before): the SDK's metrics are then not available.
 */
export async function installSdkRuntimeWithMetrics(options: { forwardCoreLogs?: boolean } = {}): Promise<boolean> {
  if (installed) return sdkMetricsUrl !== undefined;
  installSdkRuntime({ ...options, prometheusPort: await freePort() });
  return true;
}

/** The SDK's own worker metrics in Prometheus text ('' when the runtime exports none). */
export async function sdkMetricsText(): Promise<string> {
  if (!sdkMetricsUrl) return '';
  const response = await fetch(sdkMetricsUrl);
  if (!response.ok) throw new Error(`the SDK's metrics exporter answered ${response.status}`);
  return response.text();
}

