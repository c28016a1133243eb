/**
 * Runs workflow texts on the shared real Temporal dev server (see global-setup.ts):
 * one in-process Revo worker per test file on its own task queue, the same test
 * activities as the local engine's harness, and the run record rebuilt from the
 * Temporal history exactly as `revo history` does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, WorkflowHandleWithFirstExecutionRunId as WorkflowHandle } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { defaultPayloadConverter } from '@temporalio/common';
import { inject } from 'vitest';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Json } from '../../interpreter/model.js';
import type { RunOutcome } from '../../interpreter/run.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import type { ActivityDefinition } from '../../src/activities/types.js';
import type { RunRecord } from '../../src/history/record.js';
import { runOutcome, startRun } from '../../src/temporal/client.js';
import { connectClient, connectWorker, temporalSettings, type TemporalSettings } from '../../src/temporal/connection.js';
import { temporalRecord } from '../../src/temporal/history.js';
import { createWorker } from '../../src/temporal/worker.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { testBundle } from '../engine/harness.js';
import { freePort } from '../process-helpers.js';

export interface TemporalRunOptions {
  input?: Json;
  /** Other workflow files (children), by file name. */
  files?: Record<string, string>;
  continueAfterEvents?: number;
  /** Called once the run has started (send signals, cancel…). */
  before?(handle: WorkflowHandle): void | Promise<void>;
}

export interface TemporalRunResult {
  outcome: RunOutcome;
  record: RunRecord;
  handle: WorkflowHandle;
}

export interface TemporalTestEnv {
  client: Client;
  settings: TemporalSettings;
  /** Bundles `yaml` against the built-ins and the env's activities, runs it to its end and rebuilds its record. */
  run(yaml: string, options?: TemporalRunOptions): Promise<TemporalRunResult>;
  /** Runs an already built bundle. */
  runBundle(bundle: WorkflowBundle, options?: TemporalRunOptions): Promise<TemporalRunResult>;
  close(): Promise<void>;
}

export function temporalAddress(): string {
  return inject('temporalAddress');
}

/** Starts a worker with `activities` (plus the built-ins) on a fresh task queue of the shared server. */
export async function temporalEnv(activities: ActivityDefinition[] = []): Promise<TemporalTestEnv> {
  const settings = temporalSettings({ address: temporalAddress(), taskQueue: `test-${randomUUID()}` }, {});
  const connection: NativeConnection = await connectWorker(settings);
  const worker: Worker = await createWorker({ connection, namespace: settings.namespace, taskQueue: settings.taskQueue, activities: [...BUILTIN_ACTIVITIES, ...activities] });
  const running = worker.run();
  const client = await connectClient(settings);
  const runBundle = async (bundle: WorkflowBundle, options: TemporalRunOptions = {}): Promise<TemporalRunResult> => {
    const input = options.input ?? {};
    const handle = await startRun(client, settings, {
      bundle,
      input,
      trigger: { by: 'test', input },
      ...(options.continueAfterEvents !== undefined && { continueAfterEvents: options.continueAfterEvents }),
    });
    await options.before?.(handle);
    const outcome = await runOutcome(handle);
    return { outcome, record: await temporalRecord(client, handle.workflowId), handle };
  };
  return {
    client,
    settings,
    runBundle,
    run: (yaml, options = {}) => runBundle(testBundle(yaml, { activities, ...(options.files && { files: options.files }) }), options),
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
    },
  };
}

/** Polls `condition` every 50 ms for up to `ms`; fails naming `what`. */
export interface RestartableServer {
  address: string;
  start(): Promise<void>;
  /** SIGKILL, as a crash: its SQLite file keeps what it had written. */
  kill(): Promise<void>;
  /** Stops it for good (after the test). */
  stop(): Promise<void>;
}

/** A dev server of its own that keeps its state in a SQLite file, on a port of its own: killed and started again, it is the same server. */
export async function restartableDevServer(): Promise<RestartableServer> {
  const port = await freePort();
  const dbFile = join(mkdtempSync(join(tmpdir(), 'revo-restart-')), 't.db');
  let server: DevServer | undefined;
  return {
    address: `127.0.0.1:${port}`,
    async start() {
      server = await startDevServer({ port, dbFile });
    },
    async kill() {
      await server?.kill();
    },
    async stop() {
      await server?.stop();
    },
  };
}

/** The `step` of every activity Temporal has recorded as completed in the run so far (the test activities return `{ step }`). */
export async function completedActivitySteps(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.flatMap((e) => {
    const payload = e.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
    return payload ? [defaultPayloadConverter.fromPayload<{ output: { step: string } }>(payload).output.step] : [];
  });
}

export async function eventually<T>(condition: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The `temporal` CLI binary running the shared server, for tests that drive it. Without
 * one (the SDK's download does not expose its binary) they fail, never skip.
 */
export function temporalCli(): string {
  const cli = inject('temporalCli');
  if (!cli) throw new Error('these tests drive the `temporal` CLI, but the dev server came from the SDK download, which does not expose it: set TEMPORAL_CLI, or install Go so the CLI is built');
  return cli;
}

/**
 * What two engines' records of one run must agree on: the outcome and, per step instance,
 * its status, attempts and error type. The run's own id (in child workflow ids) is
 * engine-made; compensations of concurrent branches unwind in each engine's completion
 * order, so they are compared as a set.
 */
export function comparableRecord(record: RunRecord) {
  const withoutRunId = (value: Json): Json => JSON.parse(JSON.stringify(value).replaceAll(record.workflowId, '<run>')) as Json;
  return {
    status: record.status,
    output: withoutRunId(record.output ?? null),
    error: record.error ? { type: record.error.type, step: record.error.step } : null,
    steps: record.steps.map((s) => `${s.key} ${s.status} ${s.attempts ?? '-'} ${s.error?.type ?? '-'}`).sort(),
    signals: record.signals.map((s) => s.name),
    compensations: [...record.compensations].sort(),
  };
}

/** The value of the first sample of metric `name` in a Prometheus text whose labels include `labels` (0 when none). */
export function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}
