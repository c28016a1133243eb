/**
 * `revo dev`: a Temporal dev server (with its Web UI and a SQLite file) and a Revo
 * worker in one process tree, stopped together. The server's settings are built here,
 * not from TEMPORAL_* variables: those point at some other server, and their TLS or API
 * key would not fit a local one.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { UsageError } from '../../errors.js';
import { DEFAULT_TASK_QUEUE } from '../../sandboxed/workflow/contract.js';
import { connectWorker, temporalSettings, type TemporalSettings } from '../../temporal/connection.js';
import { startDevServer, type DevServer } from '../../temporal/dev-server.js';
import { createWorker } from '../../temporal/worker.js';
import { currentTracing } from '../../telemetry/tracing.js';
import { DEFAULT_PORT, DEFAULT_UI_PORT } from './dev.js';
import { defaultActivityModules } from './worker.js';
import { EXIT_CODES } from '../exit-codes.js';
import { loadActivityMap } from '../../activities/modules.js';

export interface DevSessionOptions {
  port?: number;
  uiPort?: number;
  dbFile?: string;
  inMemory?: boolean;
  namespace?: string;
  taskQueue?: string;
  activities?: string[];
}

const HOST = '127.0.0.1';
/** How long the worker may take to finish after Ctrl-C before the server is stopped anyway. */
const WORKER_STOP_TIMEOUT_MS = 10_000;

const say = (line: string): void => void process.stderr.write(`revo dev: ${line}\n`);

export async function runDev(options: DevSessionOptions): Promise<number> {
  if (options.inMemory && options.dbFile !== undefined) throw new UsageError('give either --db-file or --in-memory, not both');
  const modules = options.activities?.length ? options.activities.map((m) => resolve(m)) : defaultActivityModules();
  // Activities first: a broken module is reported before anything starts.
  const activities = await loadActivityMap(modules);
  const dbFile = options.inMemory ? undefined : resolve(options.dbFile ?? join(process.env.REVO_HOME || '.revo', 'temporal.db'));
  if (dbFile) mkdirSync(dirname(dbFile), { recursive: true });

  const stop = new StopRequest();
  const server = await startDevServer({
    port: await choosePort('--port', options.port, DEFAULT_PORT),
    uiPort: await choosePort('--ui-port', options.uiPort, DEFAULT_UI_PORT),
    ui: true,
    ...(dbFile && { dbFile }),
    ...(options.namespace && { namespace: options.namespace }),
    log: say,
  });
  let worker: Worker | undefined;
  try {
    if (stop.requested) return EXIT_CODES.ok;
    const settings = temporalSettings(
      { address: server.address, namespace: server.namespace, ...(options.taskQueue && { taskQueue: options.taskQueue }) },
      { REVO_TASK_QUEUE: process.env.REVO_TASK_QUEUE },
    );
    const connection = await connectWorker(settings);
    // OTEL_* set (the CLI installed tracing): the dev worker traces too (docs/temporal.md#tracing).
    const tracing = currentTracing();
    worker = await createWorker({ connection, namespace: settings.namespace, taskQueue: settings.taskQueue, activities: activities.values(), ...(tracing && { tracing }) });
    const running = worker.run();
    process.stdout.write(banner(server, settings, dbFile, modules, activities.size));
    stop.onRequest(() => {
      say('stopping the worker, then the server (Ctrl-C again stops at once)');
      if (worker?.getState() === 'RUNNING') worker.shutdown();
    });
    try {
      await Promise.race([running, stop.requestedPromise.then(() => deadline(running, WORKER_STOP_TIMEOUT_MS))]);
    } catch (error) {
      // After Ctrl-C a worker may end with an error (e.g. the server got the signal too and went first).
      if (!stop.requested) throw new UsageError(`the worker stopped: ${(error as Error).message.split('\n')[0]}`);
    }
    await connection.close().catch(() => {});
    if (!stop.requested) throw new UsageError('the worker stopped unexpectedly');
    return EXIT_CODES.ok;
  } finally {
    await server.stop();
    stop.dispose();
    say('stopped');
  }
}

/** Ctrl-C (or SIGTERM) once: stop gracefully; twice: exit now (the server child is killed on exit). */
class StopRequest {
  requested = false;
  readonly requestedPromise: Promise<void>;
  private resolve!: () => void;
  private readonly listener = (): void => {
    if (this.requested) {
      say('stopping at once');
      process.exit(130);
    }
    this.requested = true;
    this.resolve();
  };

  constructor() {
    this.requestedPromise = new Promise((resolve) => (this.resolve = resolve));
    process.on('SIGINT', this.listener);
    process.on('SIGTERM', this.listener);
  }

  onRequest(callback: () => void): void {
    void this.requestedPromise.then(callback);
  }

  dispose(): void {
    process.off('SIGINT', this.listener);
    process.off('SIGTERM', this.listener);
  }
}

/** Resolves when `promise` settles or after `ms`, whichever is first (rejections pass through). */
function deadline(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The port asked for (refused when taken), else the default, else (taken) undefined: the server picks a free one. */
async function choosePort(flag: string, asked: number | undefined, preferred: number): Promise<number | undefined> {
  if (asked !== undefined) {
    if (!(await isFree(asked))) throw new UsageError(`${flag} ${asked}: the port is taken (another \`revo dev\` or Temporal server?)`);
    return asked;
  }
  if (await isFree(preferred)) return preferred;
  say(`port ${preferred} is taken (another \`revo dev\` or Temporal server?); using a free one`);
  return undefined;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

function banner(server: DevServer, settings: TemporalSettings, dbFile: string | undefined, modules: string[], activityCount: number): string {
  // Flags `revo run` needs to find this server and worker: none when everything is a default.
  const flags = [
    ...(server.address === `${HOST}:${DEFAULT_PORT}` ? [] : [`--address ${server.address}`]),
    ...(settings.namespace === 'default' ? [] : [`--namespace ${settings.namespace}`]),
    ...(settings.taskQueue === DEFAULT_TASK_QUEUE ? [] : [`--task-queue ${settings.taskQueue}`]),
  ].join(' ');
  const suffix = flags ? ` ${flags}` : '';
  const from = modules.length ? ` (built-ins + ${modules.join(', ')})` : ' (built-ins only; --activities adds yours)';
  return [
    `Temporal server  ${server.address}  (namespace ${settings.namespace})`,
    `Web UI           ${server.uiUrl ?? '(none)'}`,
    `Worker           task queue ${settings.taskQueue}, ${activityCount} activities${from}`,
    `Data             ${dbFile ?? 'in memory (gone when this stops)'}`,
    '',
    'Start a run from another terminal:',
    `  revo run <file.yaml> --engine temporal${suffix}`,
    `  revo start <file.yaml>${suffix}`,
    '',
    'revo dev: ready; Ctrl-C stops the worker and the server',
    '',
  ].join('\n');
}
