/**
 * `revo worker` as operations run it (docs/temporal.md#running-workers): its telemetry
 * endpoint (`/healthz`, `/readyz`, `/metrics` with the SDK's metrics and Revo's own),
 * graceful shutdown on SIGTERM, and the refusals of a bad or busy --metrics address.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runOutcome, startRun } from '../../src/temporal/client.js';
import { connectClient, temporalSettings } from '../../src/temporal/connection.js';
import { testBundle } from '../engine/harness.js';
import { until, workspace, type Workspace } from '../process-helpers.js';
import { sample } from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const address = inject('temporalAddress');
const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

const ACTIVITIES = `import { appendFileSync } from 'node:fs';
export const slow = {
  name: 'test.slow',
  input: { type: 'object', properties: { ms: { type: 'integer' } } },
  output: true,
  async run(input, context) {
    appendFileSync(process.env.EFFECTS, 'start ' + context.step + '\\n');
    await new Promise((resolve) => setTimeout(resolve, input.ms ?? 10));
    appendFileSync(process.env.EFFECTS, 'done ' + context.step + '\\n');
    return { ok: true };
  },
};
export const flaky = {
  name: 'test.flaky',
  input: true,
  output: true,
  async run(input, context) {
    if (context.attempt < 2) throw Object.assign(new Error('not yet'), { type: 'Flaky' });
    return { attempt: context.attempt };
  },
};
export const patient = {
  name: 'test.patient',
  input: true,
  output: true,
  async run(input, context) {
    appendFileSync(process.env.EFFECTS, 'start ' + context.step + '\\n');
    await new Promise((resolve) => { const timer = setTimeout(resolve, 60000); context.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }); });
    appendFileSync(process.env.EFFECTS, (context.signal.aborted ? 'aborted ' : 'done ') + context.step + '\\n');
    return { ok: true };
  },
};
export const broken = {
  name: 'test.broken',
  input: true,
  output: true,
  async run() { throw Object.assign(new Error('broken for good'), { type: 'Broken', nonRetryable: true }); },
};
`;

interface WorkerProcess {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
  /** http://host:port of its telemetry endpoint. */
  endpoint: string;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function spawnWorker(ws: Workspace, taskQueue: string, extra: string[]) {
  const child = spawn(process.execPath, [BIN, 'worker', '--activities', 'activities.mjs', '--address', address, '--task-queue', taskQueue, ...extra], { cwd: ws.dir, env: ws.env });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function startWorker(ws: Workspace, taskQueue: string, extra: string[] = []): Promise<WorkerProcess> {
  const worker = spawnWorker(ws, taskQueue, ['--metrics', '127.0.0.1:0', ...extra]);
  await until(() => /metrics on (http:\/\/\S+)\/metrics/.test(worker.stderr()), `the worker's metrics address (stderr: ${worker.stderr()})`, 30_000);
  return { ...worker, endpoint: /metrics on (http:\/\/\S+)\/metrics/.exec(worker.stderr())![1]! };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function client(taskQueue: string) {
  const settings = temporalSettings({ address, taskQueue }, {});
  return { settings, client: await connectClient(settings) };
}

describe('revo worker: health, readiness and graceful shutdown', () => {
  it('answers /healthz and /readyz; on SIGTERM an activity in flight finishes, the worker exits 0, and the run goes on elsewhere without running it again', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES });
    const taskQueue = unique('drain');
    const worker = await startWorker(ws, taskQueue, ['--shutdown-grace', '20s']);
    expect(await get(`${worker.endpoint}/healthz`)).toEqual({ status: 200, text: 'ok\n' });
    await eventually(() => get(`${worker.endpoint}/readyz`), (r) => r.status === 200, 'readiness');

    const { settings, client: c } = await client(taskQueue);
    const yaml = `revo: 1\nname: drain\nsteps:\n  - { id: long, call: test.slow, with: { ms: 2500 }, timeout: 30s }\n  - { id: after, call: test.slow, with: { ms: 10 } }\n`;
    const handle = await startRun(c, settings, { bundle: testBundle(yaml, { validate: false }), input: null, trigger: { by: 'test', input: null } });
    await until(() => ws.effects().includes('start long'), 'the long activity to start');
    worker.child.kill('SIGTERM');
    // Draining: not ready any more, though still alive and still finishing the activity.
    const draining = await eventually(() => get(`${worker.endpoint}/readyz`), (r) => r.status !== 200, 'readiness to drop');
    expect(draining.status).toBe(503);
    expect(await worker.exited).toBe(0);
    expect(ws.effects()).toEqual(['start long', 'done long']);
    expect(worker.stderr()).toContain('worker stopped');

    // Another worker finishes the run: the step that finished during the drain is not run again.
    const next = await startWorker(ws, taskQueue);
    expect((await runOutcome(handle)).status).toBe('completed');
    expect(ws.effects()).toEqual(['start long', 'done long', 'start after', 'done after']);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    await c.connection.close();
  });
});

describe('revo worker: the grace runs out', () => {
  it('an activity still running when --shutdown-grace passes is cancelled (its context.signal aborts), and the worker exits 0', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES });
    const taskQueue = unique('grace');
    const worker = await startWorker(ws, taskQueue, ['--shutdown-grace', '1s']);
    const { settings, client: c } = await client(taskQueue);
    const yaml = `revo: 1\nname: grace\nsteps:\n  - { id: forever, call: test.patient, timeout: 2m }\n`;
    await startRun(c, settings, { bundle: testBundle(yaml, { validate: false }), input: null, trigger: { by: 'test', input: null } });
    await until(() => ws.effects().includes('start forever'), 'the activity to start');
    const stoppedAt = Date.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(ws.effects()).toEqual(['start forever', 'aborted forever']);
    // Well before the activity's own minute: the grace ended it.
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    await c.connection.close();
  });
});

describe('revo worker: a bad --metrics address', () => {
  it('a metrics port in use: exit 2, naming the address, no stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const ws = workspace({ 'activities.mjs': ACTIVITIES });
      const worker = spawnWorker(ws, unique('busy'), ['--metrics', `127.0.0.1:${port}`]);
      expect(await worker.exited).toBe(2);
      expect(worker.stderr()).toContain(`cannot serve metrics on 127.0.0.1:${port}: the address is in use`);
      expect(worker.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      busy.close();
    }
  });

  it('a malformed --metrics address or --shutdown-grace: exit 2 with what to give', () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES });
    for (const [flag, value, says] of [
      ['--metrics', 'localhost:http', '--metrics "localhost:http" is not an address to listen on'],
      ['--metrics', '127.0.0.1:70000', '--metrics "127.0.0.1:70000" is not an address to listen on'],
      ['--shutdown-grace', 'soon', '--shutdown-grace "soon" is not a duration'],
    ]) {
      const result = spawnSync(process.execPath, [BIN, 'worker', '--activities', 'activities.mjs', '--address', address, flag!, value!], { cwd: ws.dir, env: ws.env, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(says);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('revo worker --metrics: /metrics', () => {
  it("serves the SDK's worker metrics and Revo's counters and histograms, which move with the runs", async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES });
    const taskQueue = unique('metrics');
    const worker = await startWorker(ws, taskQueue);
    await eventually(() => get(`${worker.endpoint}/readyz`), (r) => r.status === 200, 'readiness');
    const before = await get(`${worker.endpoint}/metrics`);
    expect(before.status).toBe(200);
    expect(sample(before.text, 'revo_steps_completed_total', { workflow: 'counted' })).toBe(0);

    const { settings, client: c } = await client(taskQueue);
    const counted = `revo: 1\nname: counted\ndefaults: { retry: { initialInterval: 100ms } }\nsteps:\n  - { id: first, call: test.slow, with: { ms: 10 } }\n  - { id: retried, call: test.flaky }\n  - { id: pause, sleep: 10ms }\n`;
    const saga = `revo: 1\nname: saga\nsteps:\n  - id: book\n    call: test.slow\n    with: { ms: 10 }\n    compensate:\n      - { id: unbook, call: test.slow, with: { ms: 10 } }\n  - { id: boom, call: test.broken }\n`;
    const start = (yaml: string) => startRun(c, settings, { bundle: testBundle(yaml, { validate: false }), input: null, trigger: { by: 'test', input: null } });
    const outcomes = await Promise.all([start(counted), start(counted), start(saga)].map(async (h) => runOutcome(await h)));
    expect(outcomes.map((o) => o.status)).toEqual(['completed', 'completed', 'failed']);

    // Sinks reach the worker's process after the workflow task: wait for the last count to land.
    const { text } = await eventually(() => get(`${worker.endpoint}/metrics`), (r) => sample(r.text, 'revo_runs_finished_total', { workflow: 'saga', outcome: 'failed' }) === 1, 'the counts');
    // The SDK core's own metrics, from its Prometheus exporter.
    expect(text).toMatch(/^temporal_\w+/m);
    expect(text).toContain(`task_queue="${taskQueue}"`);
    // Revo's, by workflow, step kind and activity.
    expect(sample(text, 'revo_steps_completed_total', { workflow: 'counted', kind: 'call', activity: 'test.slow' })).toBe(2);
    expect(sample(text, 'revo_steps_completed_total', { workflow: 'counted', kind: 'call', activity: 'test.flaky' })).toBe(2);
    expect(sample(text, 'revo_steps_completed_total', { workflow: 'counted', kind: 'sleep', activity: '' })).toBe(2);
    expect(sample(text, 'revo_activity_attempts_total', { workflow: 'counted', activity: 'test.flaky' })).toBe(4);
    expect(sample(text, 'revo_activity_attempts_total', { workflow: 'counted', activity: 'test.slow' })).toBe(2);
    expect(sample(text, 'revo_step_duration_seconds_count', { workflow: 'counted', kind: 'call' })).toBe(4);
    expect(sample(text, 'revo_step_duration_seconds_bucket', { workflow: 'counted', kind: 'call', le: '+Inf' })).toBe(4);
    expect(sample(text, 'revo_steps_failed_total', { workflow: 'saga', kind: 'call', activity: 'test.broken' })).toBe(1);
    expect(sample(text, 'revo_compensations_total', { workflow: 'saga', outcome: 'completed' })).toBe(1);
    expect(sample(text, 'revo_runs_finished_total', { workflow: 'counted', outcome: 'completed' })).toBe(2);
    expect(text).toContain('# TYPE revo_step_duration_seconds histogram');

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await c.connection.close();
  });
});
