import { Command, InvalidArgumentError } from 'commander';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import type { DevSessionOptions } from './dev-session.js';
import { DEFAULT_ACTIVITY_MODULES } from './worker.js';

/** Temporal's own defaults, so `revo run --engine temporal` and the `temporal` CLI find the server with no flags. */
export const DEFAULT_PORT = 7233;
export const DEFAULT_UI_PORT = 8233;

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('not a port number (1-65535)');
  return n;
};

export function devCommand(): Command {
  return new Command('dev')
    .description('Local development: a Temporal dev server with its Web UI, plus a Revo worker, in one command.')
    .option('--port <port>', `gRPC port of the server (default ${DEFAULT_PORT}, or a free one when that is taken)`, port)
    .option('--ui-port <port>', `port of the Web UI (default ${DEFAULT_UI_PORT}, or a free one when that is taken)`, port)
    .option('--db-file <file>', 'SQLite file that keeps runs and schedules across restarts (default $REVO_HOME/temporal.db, i.e. .revo/temporal.db)')
    .option('--in-memory', 'keep nothing: the server forgets everything when it stops')
    .option('--namespace <name>', 'namespace to create besides `default` and run the worker in (default default)')
    .option('--task-queue <name>', 'task queue of the worker (env REVO_TASK_QUEUE, default revo)')
    .option('--activities <module>', `a TypeScript or JavaScript module exporting activity definitions (repeatable; default: the first of ${DEFAULT_ACTIVITY_MODULES.join(', ')} that exists)`, repeatable)
    .addHelpText(
      'after',
      `
Starts \`temporal server start-dev\` (the temporal CLI is found through TEMPORAL_CLI,
PATH or ~/.cache/revo, and built once with Go if missing) and a worker with the
built-in activities plus yours. Then, from another terminal:
  revo run order.yaml --engine temporal     # run and follow it
  revo start order.yaml                     # start it and return
  revo deploy workflows/                    # schedules, started by this worker
and watch the runs in the Web UI. Ctrl-C stops the worker, then the server; a second
Ctrl-C stops at once. Runs and schedules live on in the --db-file for the next \`revo dev\`.

Exit codes: ${EXIT_CODES.ok} stopped with Ctrl-C; ${EXIT_CODES.usage} bad flags or module, a port taken, or the server or worker failed.

Examples:
  revo dev
  revo dev --activities src/activities.ts --task-queue orders
  revo dev --port 7300 --ui-port 8300 --in-memory`,
    )
    .action(async (options: DevSessionOptions) => {
      const { runDev } = await import('./dev-session.js');
      process.exitCode = await runDev(options);
    });
}
