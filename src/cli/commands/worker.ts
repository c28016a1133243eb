import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parseDuration } from '../../../interpreter/duration.js';
import type { TemporalFlags } from '../../temporal/connection.js';
import { UsageError } from '../../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import { addTemporalOptions } from '../temporal-options.js';

interface WorkerOptions extends TemporalFlags {
  activities?: string[];
  metrics?: string;
  shutdownGrace: string;
}

/** Without --activities: an activities module in the usual places, if there is one. */
export const DEFAULT_ACTIVITY_MODULES = ['activities/index.ts', 'activities/index.js', 'definitions/activities/index.ts', 'definitions/activities/index.js'];

export function defaultActivityModules(): string[] {
  const found = DEFAULT_ACTIVITY_MODULES.find((path) => existsSync(path));
  return found ? [resolve(found)] : [];
}

export function workerCommand(): Command {
  const command = new Command('worker')
    .description('Run a Temporal worker: the one Revo workflow plus your typed activities, on one task queue. Start more to scale.')
    .option('--activities <module>', `a TypeScript or JavaScript module exporting activity definitions (repeatable; default: the first of ${DEFAULT_ACTIVITY_MODULES.join(', ')} that exists)`, repeatable)
    .option('--metrics <address>', 'serve Prometheus /metrics, /healthz and /readyz on host:port (a bare port binds 127.0.0.1; see docs/temporal.md#metrics)')
    .option('--shutdown-grace <duration>', 'on SIGTERM, how long activities in flight may finish before they are cancelled (docs/temporal.md#running-workers)', '30s')
    .addHelpText(
      'after',
      `
The built-in activities (core.echo, core.log, http.request) are always registered. Each
activity is registered under its own name, so Temporal's UI shows e.g. payments.charge.
Ctrl-C or SIGTERM stops the worker gracefully: it stops polling, activities in flight
get --shutdown-grace to finish (then they are cancelled), and it exits ${EXIT_CODES.ok}; a second
signal stops it at once. Runs are not affected (another worker, or this one restarted,
carries on with them). When the Temporal server goes away, the worker says so once and
waits for it as long as it takes, then carries on (docs/reliability.md#temporal-server-restarts).
Tracing: set OTEL_EXPORTER_OTLP_ENDPOINT (docs/temporal.md#tracing).

Exit codes: ${EXIT_CODES.ok} stopped; ${EXIT_CODES.failed} stopped by a second signal; ${EXIT_CODES.usage} bad module or flags, the
metrics address in use, or Temporal unreachable.

Examples:
  revo worker --activities definitions/activities/index.ts
  TEMPORAL_ADDRESS=temporal.internal:7233 revo worker --task-queue payments --activities dist/activities.js
  revo worker --metrics 0.0.0.0:9464 --shutdown-grace 2m`,
    )
    .action(async (options: WorkerOptions) => {
      const [{ createWorker }, { temporalOptionsOf }] = await Promise.all([import('../../api/worker.js'), import('../cli-revo.js')]);
      const modules = options.activities?.length ? options.activities.map((m) => resolve(m)) : defaultActivityModules();
      const shutdownGraceMs = parseDuration(options.shutdownGrace);
      if (shutdownGraceMs === undefined) throw new UsageError(`--shutdown-grace "${options.shutdownGrace}" is not a duration (e.g. 30s, 2m)`);
      const worker = await createWorker({
        activities: modules,
        temporal: temporalOptionsOf(options),
        shutdownGraceMs,
        ...(options.metrics !== undefined && { metrics: options.metrics }),
        onStatus: (text) => process.stderr.write(`revo: ${text}\n`),
      });
      const registration = worker.searchAttributes;
      if ('created' in registration && registration.created.length > 0) process.stderr.write(`revo: registered the search attributes ${registration.created.join(', ')} on namespace ${worker.namespace}\n`);
      if ('problem' in registration) {
        process.stderr.write(`revo: runs are not searchable by workflow, version or error type: the namespace lacks Revo's search attributes and the worker could not add them (${registration.problem}); an operator can with: ${registration.command}\n`);
      }
      process.stderr.write(
        `revo: worker ready on task queue "${worker.taskQueue}" at ${worker.address} (namespace ${worker.namespace}) with ${worker.activities.length} activities: ${worker.activities.join(', ')}\n`,
      );
      if (worker.metricsAddress) process.stderr.write(`revo: metrics on http://${worker.metricsAddress}/metrics (health /healthz, readiness /readyz)\n`);
      // Ctrl-C or SIGTERM: stop polling, let activities in flight finish within the grace, then exit 0.
      // A second signal does not wait.
      let stopping = false;
      const stop = () => {
        if (stopping) {
          process.stderr.write('revo: stopped at once (a second signal); activities in flight are abandoned and Temporal retries them\n');
          process.exit(EXIT_CODES.failed);
        }
        stopping = true;
        process.stderr.write(`revo: stopping the worker (activities in flight get ${options.shutdownGrace} to finish)…\n`);
        worker.shutdown();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await worker.run().finally(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      });
      process.stderr.write('revo: worker stopped\n');
    });
  return addTemporalOptions(command, { waitsOutRestarts: false });
}
