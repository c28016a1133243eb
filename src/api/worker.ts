/**
 * `createWorker` of the API (docs/api.md#createworker): a Temporal worker with the one
 * Revo workflow and your typed activities (plus the built-ins) on one task queue. Run as
 * many as you like, anywhere: they share the work.
 */
import { resolve } from 'node:path';
import { loadActivityMap } from '../activities/modules.js';
import type { ActivityDefinition } from '../activities/types.js';
import type { Registration } from '../temporal/search-attributes.js';
import { TemporalConnection, type TemporalOptions } from './temporal-connection.js';

export interface WorkerOptions {
  /** Activity definitions, or paths of modules exporting them. */
  activities?: (ActivityDefinition | string)[];
  temporal?: TemporalOptions;
  /** How the worker names itself to Temporal (default: the SDK's `pid@host`). */
  identity?: string;
  /**
   * The one-line status while Temporal is unreachable, and when it is back. The worker
   * itself waits for the server as long as it takes and carries on where it was
   * (docs/reliability.md#temporal-server-restarts).
   */
  onStatus?: (text: string) => void;
}

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
  /** Polls until `shutdown()`; then activities in flight finish, and the connection closes. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createWorker(options: WorkerOptions = {}): Promise<RevoWorker> {
  const settings = await new TemporalConnection(options.temporal).settings();
  const modules = (options.activities ?? []).filter((a): a is string => typeof a === 'string').map((m) => resolve(m));
  const activities = await loadActivityMap(modules);
  for (const d of options.activities ?? []) if (typeof d !== 'string') activities.set(d.name, d);
  const [{ connectWorker, reachable }, { createWorker: create }, { registerSearchAttributes }, { installSdkRuntime, onCoreUnreachable }, { TemporalRetry }, { unreachable }] = await Promise.all([
    import('../temporal/connection.js'),
    import('../temporal/worker.js'),
    import('../temporal/search-attributes.js'),
    import('../temporal/sdk-runtime.js'),
    import('../temporal/retry-unavailable.js'),
    import('../temporal/reachable.js'),
  ]);
  // Before the connection installs it plainly: the core's warnings of an unreachable server come to onCoreUnreachable.
  installSdkRuntime({ forwardCoreLogs: true });
  const connection = await connectWorker(settings);
  let worker;
  try {
    worker = await create({ connection, namespace: settings.namespace, taskQueue: settings.taskQueue, activities: activities.values(), ...(options.identity && { identity: options.identity }) });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const made = worker;
  // The SDK retries its polls while the server is gone; here the user hears of it once, then when it is back.
  const outage = new TemporalRetry({ address: settings.address, retryForMs: Infinity, ...(options.onStatus && { onStatus: options.onStatus }) });
  const stopped = new AbortController();
  let watching = false;
  const stopListening = onCoreUnreachable(() => {
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
    async run() {
      try {
        await made.run();
      } finally {
        stopListening();
        stopped.abort();
        await connection.close();
      }
    },
    shutdown() {
      if (made.getState() === 'RUNNING') made.shutdown();
    },
  };
}
