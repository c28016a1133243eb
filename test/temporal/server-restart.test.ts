/**
 * A Temporal server that goes away under a following client (docs/reliability.md#temporal-server-restarts):
 * each test runs its own dev server on a SQLite file, SIGKILLs it while a `revo run`
 * follows a run, waits until the client says it is retrying, and starts it again on the
 * same port and file. The client rides it out and ends as it would have (exit 0, the
 * output, each progress line once, no stack trace) — on the Temporal engine, on the auto
 * engine after a hand-over — and one that waits past REVO_TEMPORAL_RETRY gives up with
 * exit 2 and says how to pick the run up again, which then works. A run that only waits
 * for a worker is not mistaken for an outage.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIVITIES, startRun, startWorkerProcess, until, workspace, type Workspace } from '../process-helpers.js';
import { restartableDevServer, type RestartableServer } from './harness.js';

const processes: ChildProcess[] = [];
const servers: RestartableServer[] = [];
afterAll(async () => {
  for (const child of processes.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A step, a durable sleep the server is killed in, a step after it. */
const NAP = `revo: 1
name: nap
steps:
  - { id: before, call: test.effect, with: { step: before } }
  - { id: nap, sleep: 6s }
  - { id: after, call: test.effect, with: { step: after }, result: last }
output: { last: { var: last } }
`;

async function restartableServer() {
  const server = await restartableDevServer();
  servers.push(server);
  return server;
}

async function startWorker(ws: Workspace, address: string) {
  const worker = await startWorkerProcess(ws, address);
  processes.push(worker.child);
  return worker;
}

const UNREACHABLE = /Temporal at 127\.0\.0\.1:\d+ is unreachable; retrying/;

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/internal error/);
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

/** How many lines of `text` mention step `id` as done (the progress view prints one per step). */
const doneLines = (text: string, id: string) => text.split('\n').filter((line) => new RegExp(`✓ ${id}\\b`).test(line)).length;

/** The nap run ended completed, each step done once and shown once (followed on from the last event seen), and no stack trace. */
function expectCompletedOnce(run: Awaited<ReturnType<typeof startRun>>, ws: Workspace): void {
  expect(run.stdout()).toContain(`run ${run.runId} completed`);
  expect(run.stdout()).toContain('"step": "after"');
  expect(ws.effects()).toEqual(['start before', 'done before', 'start after', 'done after']);
  expect(doneLines(run.stderr(), 'before')).toBe(1);
  expect(doneLines(run.stderr(), 'after')).toBe(1);
  expectNoStackTrace(run.stderr());
}

describe('a Temporal server restart under a following client', () => {
  it('revo run --engine temporal waits for the server, then follows the run to its end from where it was', async () => {
    const server = await restartableServer();
    await server.start();
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'nap.yaml': NAP });
    const worker = await startWorker(ws, server.address);
    const run = await startRun(ws, ['nap.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', '--address', server.address]);
    processes.push(run.child);
    await until(() => ws.effects().includes('done before') && doneLines(run.stderr(), 'before') === 1, 'the first step done and shown', 30_000);

    await server.kill();
    await until(() => UNREACHABLE.test(run.stderr()), 'the client to say it is retrying', 30_000);
    await until(() => UNREACHABLE.test(worker.stderr()), 'the worker to say it is retrying', 60_000);
    await server.start();

    expect(await run.exited).toBe(0);
    expect(run.stderr()).toMatch(/Temporal at 127\.0\.0\.1:\d+ answers again/);
    expectCompletedOnce(run, ws);
    // The worker rode it out too, saying so in one line rather than the SDK's warning per retried poll.
    expect(worker.child.exitCode).toBe(null);
    expect(worker.stderr()).toMatch(/Temporal at 127\.0\.0\.1:\d+ is unreachable; retrying until it is back/);
    await until(() => /Temporal at 127\.0\.0\.1:\d+ answers again/.test(worker.stderr()), 'the worker to see the server back', 30_000);
    expect(worker.stderr()).not.toMatch(/retried \d+ times/);
    expectNoStackTrace(worker.stderr());
  });

  it('revo run --engine auto rides out a restart after the hand-over', async () => {
    const server = await restartableServer();
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'nap.yaml': NAP });
    // Check often: the test should not wait out a 30 s backoff.
    Object.assign(ws.env, { REVO_AUTO_PROBE_MAX_MS: '300' });
    const run = await startRun(ws, ['nap.yaml', '--engine', 'auto', '--activities', 'activities.mjs', '--address', server.address]);
    processes.push(run.child);
    await until(() => ws.effects().includes('done before'), 'the first step done locally', 30_000);
    await server.start();
    const worker = await startWorker(ws, server.address);
    await until(() => run.stderr().includes(`run ${run.runId} moved to Temporal`), 'the hand-over', 30_000);

    await server.kill();
    await until(() => UNREACHABLE.test(run.stderr()), 'the client to say it is retrying', 30_000);
    await server.start();

    expect(await run.exited).toBe(0);
    expectCompletedOnce(run, ws);
    expect(worker.child.exitCode).toBe(null);
  });

  it('a run no worker has picked up yet is not taken for an outage: the client waits for the worker, not for the server', async () => {
    const server = await restartableServer();
    await server.start();
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'nap.yaml': NAP });
    Object.assign(ws.env, { REVO_TEMPORAL_RETRY: '2s' });
    const run = await startRun(ws, ['nap.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', '--address', server.address]);
    processes.push(run.child);
    // The follower's query, which no worker answers, ends in DEADLINE_EXCEEDED after 30 s: while the server answers, that is no outage.
    const window = Date.now() + 40_000;
    await until(() => Date.now() > window || run.child.exitCode !== null || UNREACHABLE.test(run.stderr()), 'the waiting window', 50_000);
    expect(run.stderr()).not.toMatch(UNREACHABLE);
    expect(run.child.exitCode).toBe(null);
    await startWorker(ws, server.address);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain(`run ${run.runId} completed`);
    expectNoStackTrace(run.stderr());
  });

  it('gives up after REVO_TEMPORAL_RETRY with exit 2 and the command that picks the run up again, which does', async () => {
    const server = await restartableServer();
    await server.start();
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'nap.yaml': NAP });
    await startWorker(ws, server.address);
    Object.assign(ws.env, { REVO_TEMPORAL_RETRY: '3s' });
    const run = await startRun(ws, ['nap.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', '--address', server.address]);
    processes.push(run.child);
    await until(() => ws.effects().includes('done before'), 'the first step done', 30_000);

    await server.kill();
    expect(await run.exited).toBe(2);
    const stderr = run.stderr();
    expect(stderr).toMatch(/Temporal at 127\.0\.0\.1:\d+ is unreachable; retrying for up to 3s \(REVO_TEMPORAL_RETRY\)/);
    expect(stderr).toMatch(/Temporal at 127\.0\.0\.1:\d+ has been unreachable for 3s; gave up waiting/);
    expect(stderr).toContain(`The run ${run.runId} itself is safe on Temporal`);
    expect(stderr).toContain(`Follow it again with: revo result ${run.runId}`);
    expectNoStackTrace(stderr);

    await server.start();
    const again = ws.revo(['result', run.runId, '--address', server.address]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`run ${run.runId} completed`);
    expect(ws.effects()).toEqual(['start before', 'done before', 'start after', 'done after']);
  });
});
