/**
 * Revo on Temporal as users run it: `revo worker` processes (killed, restarted, two
 * at once), `revo run --engine temporal`, the run-talking commands, and the real
 * `temporal` CLI signalling and querying a run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runOutcome, startRun } from '../../src/temporal/client.js';
import { connectClient, temporalSettings } from '../../src/temporal/connection.js';
import { testBundle } from '../engine/harness.js';
import { ACTIVITIES, APPROVAL_WORKFLOW, startWorkerProcess, until, workspace } from '../process-helpers.js';
import { completedActivitySteps, eventually, temporalCli } from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const address = inject('temporalAddress');
const cli = temporalCli();

const workers: ChildProcess[] = [];
afterAll(() => {
  for (const worker of workers.splice(0)) worker.kill('SIGKILL');
});

/** Starts `revo worker` in the workspace, killed after the tests. */
async function startWorker(ws: ReturnType<typeof workspace>, taskQueue: string): Promise<ChildProcess> {
  const { child } = await startWorkerProcess(ws, address, taskQueue);
  workers.push(child);
  return child;
}

const STEPS = ['a', 'b', 'c', 'd', 'e', 'f'];
const SIX_STEPS = `revo: 1
name: six-steps
defaults: { timeout: 3s, retry: { initialInterval: 100ms } }
steps:
${STEPS.map((s) => `  - { id: ${s}, call: test.effect, with: { step: ${s} } }`).join('\n')}
`;
const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

describe('revo worker', () => {
  it('a worker SIGKILLed mid-run is replaced and the run completes; every activity that completed ran exactly once', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'six.yaml': SIX_STEPS });
    const taskQueue = unique('kill');
    const first = await startWorker(ws, taskQueue);
    const client = await connectClient(temporalSettings({ address, taskQueue }, {}));
    const settings = temporalSettings({ address, taskQueue }, {});
    const bundle = testBundle(SIX_STEPS, { validate: false });
    const handle = await startRun(client, settings, { bundle, input: {}, trigger: { by: 'test', input: {} } });
    await until(() => ws.effects().filter((l) => l.startsWith('done')).length >= 2, 'two steps to finish their work');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // Completed means completed on Temporal: an activity that finished its work but was
    // killed before reporting it is (rightly) run again.
    const doneBeforeKill = await completedActivitySteps(client, handle.workflowId);
    expect(doneBeforeKill.length).toBeGreaterThanOrEqual(1);
    await startWorker(ws, taskQueue);
    expect(await runOutcome(handle)).toMatchObject({ status: 'completed' });
    const starts = ws.effects().filter((l) => l.startsWith('start')).map((l) => l.slice(6));
    for (const step of doneBeforeKill) expect(starts.filter((s) => s === step), `step ${step} ran once`).toHaveLength(1);
    // Only the one in flight at the kill may have started twice (at-least-once for an attempt that never reported).
    expect(STEPS.filter((s) => starts.filter((x) => x === s).length !== 1).length).toBeLessThanOrEqual(1);
    expect(new Set(starts)).toEqual(new Set(STEPS));
    await client.connection.close();
  });

  it('two workers on one task queue share 50 runs: both do work, all complete', async () => {
    const pidActivity = `export const pid = { name: 'test.pid', input: true, output: { type: 'integer' }, async run() { await new Promise((r) => setTimeout(r, 20)); return process.pid; } };\n`;
    const ws = workspace({ 'activities.mjs': pidActivity });
    const taskQueue = unique('share');
    const [one, two] = [await startWorker(ws, taskQueue), await startWorker(ws, taskQueue)];
    const settings = temporalSettings({ address, taskQueue }, {});
    const client = await connectClient(settings);
    const yaml = `revo: 1\nname: who\nsteps:\n${[1, 2, 3].map((i) => `  - { id: p${i}, call: test.pid, result: p${i} }`).join('\n')}\n`;
    const bundle = testBundle(yaml, { validate: false });
    const handles = await Promise.all(Array.from({ length: 50 }, () => startRun(client, settings, { bundle, input: null, trigger: { by: 'test', input: null } })));
    const outcomes = await Promise.all(handles.map((h) => runOutcome(h)));
    expect(outcomes.every((o) => o.status === 'completed')).toBe(true);
    const pids = new Set(outcomes.flatMap((o) => Object.values(o.output as Record<string, number>)));
    expect(pids).toEqual(new Set([one.pid, two.pid]));
    await client.connection.close();
  });
});

describe('revo run --engine temporal and the commands that talk to a run', () => {
  const ws = workspace({
    'activities.mjs': ACTIVITIES,
    'approval.yaml': APPROVAL_WORKFLOW,
    'bad.yaml': `revo: 1\nname: bad\nsteps:\n  - { id: a, call: test.efect, with: { step: a } }\n`,
  });
  const taskQueue = unique('cli');
  const flags = ['--address', address, '--task-queue', taskQueue];
  const revo = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ws.dir, env: ws.env, encoding: 'utf8' });
  beforeAll(async () => {
    await startWorker(ws, taskQueue);
  });

  it('refuses a bad definition or input before any workflow starts', async () => {
    const bad = revo(['run', 'bad.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', ...flags]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:4:\d+.*test\.efect/s);
    const badInput = revo(['start', 'approval.yaml', '--input', '{"x": }', '--activities', 'activities.mjs', ...flags]);
    expect(badInput.status).toBe(2);
    const client = await connectClient(temporalSettings({ address }, {}));
    const started = [];
    for await (const run of client.workflow.list({ query: `TaskQueue="${taskQueue}"` })) started.push(run);
    expect(started).toEqual([]);
    await client.connection.close();
  });

  it('starts, signals and queries with revo and with the temporal CLI, and shows the history', async () => {
    const start = revo(['start', 'approval.yaml', '--activities', 'activities.mjs', ...flags]);
    expect(start.stderr).toBe('');
    expect(start.status).toBe(0);
    const runId = start.stdout.trim();
    const state = await eventually(async () => {
      const q = revo(['query', runId, 'state', ...flags]);
      const answer = q.status === 0 ? (JSON.parse(q.stdout) as { currentSteps: string[] }) : undefined;
      return answer?.currentSteps.includes('w') && answer;
    }, 'the run to wait');
    expect(state).toMatchObject({ status: 'running', completedSteps: 1 });

    // A bad payload is refused by revo before sending.
    const refused = revo(['signal', runId, 'approve', '{"by": 7}', ...flags]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/does not match its schema/);

    // The real temporal CLI: query, then signal.
    const query = spawnSync(cli, ['workflow', 'query', '--workflow-id', runId, '--type', 'state', '--address', address, '--output', 'json'], { encoding: 'utf8' });
    expect(query.status, query.stderr).toBe(0);
    expect(query.stdout).toContain('"currentSteps"');
    const signal = spawnSync(cli, ['workflow', 'signal', '--workflow-id', runId, '--name', 'approve', '--input', '{"by": "ann"}', '--address', address], { encoding: 'utf8' });
    expect(signal.status, signal.stderr).toBe(0);

    const result = revo(['result', runId, '--quiet', ...flags]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('"by": "ann"');
    const answer = revo(['query', runId, 'approver', ...flags]);
    expect(JSON.parse(answer.stdout)).toBe('ann');
    const history = revo(['history', runId, '--json', ...flags]);
    expect(history.status).toBe(0);
    const record = JSON.parse(history.stdout) as { status: string; engine: string; steps: { id: string; status: string }[]; signals: { name: string }[] };
    expect(record).toMatchObject({ status: 'completed', engine: 'temporal', signals: [{ name: 'approve' }] });
    expect(record.steps.map((s) => `${s.id} ${s.status}`)).toEqual(['a completed', 'w completed', 'b completed']);
    const text = revo(['history', runId, ...flags]);
    expect(text.stdout).toContain('approval');
    const again = revo(['cancel', runId, ...flags]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already ended/);
  });

  it('revo run --engine temporal follows the run to its end; revo cancel from another terminal cancels it', async () => {
    const child = spawn(process.execPath, [BIN, 'run', 'approval.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', '--json', ...flags], { cwd: ws.dir, env: ws.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await until(() => /run (\S+) started/.test(stderr), 'the run id', 30_000);
    const runId = /run (\S+) started/.exec(stderr)![1]!;
    // The progress shows each step as it ends (plain lines: stderr is not a terminal).
    await until(() => /✓ a\s+test\.effect/.test(stderr), `progress of step a (stderr: ${stderr})`, 30_000);
    await eventually(async () => JSON.parse(revo(['query', runId, ...flags]).stdout || '{}').currentSteps?.includes('w'), 'the run to wait');
    const cancel = revo(['cancel', runId, ...flags]);
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(await exited).toBe(1);
    const record = JSON.parse(stdout) as { status: string; steps: { id: string; status: string }[] };
    expect(record.status).toBe('cancelled');
    expect(record.steps.map((s) => `${s.id} ${s.status}`)).toEqual(['a completed', 'w failed']);
  });

  it('revo run --engine temporal with no worker says so while it waits, and ends on SIGTERM leaving the run queued with its cancellation', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'six.yaml': SIX_STEPS });
    const taskQueue = unique('nobody');
    const child = spawn(process.execPath, [BIN, 'run', 'six.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', '--address', address, '--task-queue', taskQueue], { cwd: ws.dir, env: ws.env });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => /run (\S+) started/.test(stderr), 'the run to start');
    expect(stderr).toContain(`no worker polls task queue "${taskQueue}"`);
    const runId = /run (\S+) started/.exec(stderr)![1]!;
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(stderr).toContain(`no worker has picked up run ${runId}: it stays queued on Temporal with its cancellation`);
    // The cancellation was recorded: the first worker to come ends the run cancelled, running nothing.
    const worker = await startWorker(ws, taskQueue);
    const client = await connectClient(temporalSettings({ address, taskQueue }, {}));
    expect(await runOutcome(client.workflow.getHandle(runId))).toMatchObject({ status: 'cancelled' });
    expect(ws.effects()).toEqual([]);
    // A worker ends gracefully on SIGTERM.
    const workerExit = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await workerExit).toBe(0);
    await client.connection.close();
  });
});
