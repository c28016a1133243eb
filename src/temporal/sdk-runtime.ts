/**
 * The Temporal SDK's process-wide runtime, installed once before any connection or
 * worker: Revo prints its own progress, so the SDK logs only warnings unless asked.
 * It takes no process signals: a library must not, and the commands handle Ctrl-C and
 * SIGTERM themselves (`revo worker` shuts its worker down gracefully).
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

export function installSdkRuntime(level: LogLevel = (process.env.REVO_TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'WARN'): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(level), shutdownSignals: [] });
}
