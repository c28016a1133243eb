/**
 * `revo run --engine auto` as a user meets it: Temporal down before the start (the run
 * is local), Temporal started mid-run (the run moves there at the next step boundary
 * and completes there, every activity once), a hand-over while the run waits for a
 * signal (then signal, query, history and runs follow it to Temporal), and a hand-over
 * whose Temporal part a crash kept from starting (`revo resume` starts it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import type { HistoryExport } from '../../src/history/export.js';
import { FileJournal, readJournal } from '../../src/local/journal.js';
import { connectClient, temporalSettings } from '../../src/temporal/connection.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { ACTIVITIES, APPROVAL_WORKFLOW, freePort, startRun, until, workspace, type Workspace } from '../process-helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const sharedAddress = inject('temporalAddress');

const processes: ChildProcess[] = [];
const servers: DevServer[] = [];
afterAll(async () => {
  for (const child of processes.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const STEPS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10'];
const TEN_STEPS = `revo: 1
name: ten-steps
steps:
${STEPS.map((s) => `  - { id: ${s}, call: test.effect, with: { step: ${s} } }`).join('\n')}
output: { last: { var: last } }
`.replace('  - { id: s10, call: test.effect, with: { step: s10 } }', '  - { id: s10, call: test.effect, with: { step: s10 }, result: last }');

/** A dev server of its own on a port chosen before it runs (so a run can be pointed at it while it is down). */
async function laterServer() {
  const port = await freePort();
  return {
    address: `127.0.0.1:${port}`,
    async start(): Promise<DevServer> {
      const server = await startDevServer({ port });
      servers.push(server);
      return server;
    },
  };
}

async function startWorker(ws: Workspace, address: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--activities', 'activities.mjs', '--address', address], { cwd: ws.dir, env: ws.env });
  processes.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await until(() => stderr.includes('worker ready'), `the worker to be ready (stderr: ${stderr})`, 30_000);
  return child;
}

/** ACTIVITIES, but the step named by $HOLD_AT also waits while the file $HOLD exists: the test decides when it ends. */
const HOLDING_ACTIVITIES = ACTIVITIES.replace(
  "appendFileSync(process.env.EFFECTS, 'done '",
  "while (input.step === process.env.HOLD_AT && existsSync(process.env.HOLD)) await new Promise((resolve) => setTimeout(resolve, 50));\n    appendFileSync(process.env.EFFECTS, 'done '",
).replace("import { appendFileSync } from 'node:fs';", "import { appendFileSync, existsSync } from 'node:fs';");

function autoWorkspace(files: Record<string, string>): Workspace {
  const ws = workspace({ 'activities.mjs': HOLDING_ACTIVITIES, ...files });
  // Check often: the test should not wait out a 30 s backoff.
  Object.assign(ws.env, { REVO_AUTO_PROBE_MAX_MS: '300' });
  return ws;
}

const started = (ws: Workspace) => ws.effects().filter((l) => l.startsWith('start ')).map((l) => l.slice(6));

/** Activity names and step keys Temporal scheduled for a run. */
async function scheduledOnTemporal(address: string, workflowId: string): Promise<string[]> {
  const client = await connectClient(temporalSettings({ address }, {}));
  try {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return history.events!.flatMap((e) => {
      const payloads = e.activityTaskScheduledEventAttributes?.input?.payloads;
      return payloads ? [defaultPayloadConverter.fromPayload<{ key: string }>(payloads[1]!).key] : [];
    });
  } finally {
    await client.connection.close();
  }
}

describe('revo run --engine auto', () => {
  it('runs on the local engine when Temporal is down before the start, or has no worker', async () => {
    const ws = autoWorkspace({ 'ten.yaml': TEN_STEPS });
    const down = await freePort();
    const run = ws.revo(['run', 'ten.yaml', '--engine', 'auto', '--activities', 'activities.mjs', '--address', `127.0.0.1:${down}`, '--json']);
    expect(run.stderr).toContain(`nothing answers at 127.0.0.1:${down}`);
    expect(run.stderr).toMatch(/started on the local engine/);
    expect(run.status).toBe(0);
    const record = JSON.parse(run.stdout) as HistoryExport;
    expect(record).toMatchObject({ status: 'completed', engine: 'local', handovers: [], output: { last: { step: 's10' } } });
    expect(record.steps.every((s) => s.engine === 'local')).toBe(true);
    expect(started(ws)).toEqual(STEPS);

    // Temporal answers, but nobody polls the task queue: a run there would only wait.
    const noWorker = ws.revo(['run', 'ten.yaml', '--engine', 'auto', '--activities', 'activities.mjs', '--address', sharedAddress, '--task-queue', `nobody-${Date.now()}`, '-q']);
    expect(noWorker.status).toBe(0);
    const runs = ws.revo(['runs', '--json']);
    expect((JSON.parse(runs.stdout) as { engine: string; status: string }[]).map((r) => `${r.engine} ${r.status}`)).toEqual(['local completed', 'local completed']);
  });

  it('goes to Temporal when it answers and a worker polls', async () => {
    const ws = autoWorkspace({ 'ten.yaml': TEN_STEPS });
    await startWorker(ws, sharedAddress);
    const run = ws.revo(['run', 'ten.yaml', '--engine', 'auto', '--activities', 'activities.mjs', '--address', sharedAddress, '--json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/started \(ten-steps, Temporal engine at /);
    const record = JSON.parse(run.stdout) as HistoryExport;
    expect(record).toMatchObject({ status: 'completed', engine: 'temporal', handovers: [] });
    expect(await scheduledOnTemporal(sharedAddress, record.runId)).toEqual(STEPS);
  });

  it('moves a local run to Temporal started mid-run, at the next step boundary; it completes there and every activity runs once', async () => {
    const ws = autoWorkspace({ 'ten.yaml': TEN_STEPS, hold: '' });
    Object.assign(ws.env, { HOLD_AT: 's3', HOLD: join(ws.dir, 'hold') });
    const later = await laterServer();
    const run = await startRun(ws, ['ten.yaml', '--engine', 'auto', '--activities', 'activities.mjs', '--address', later.address]);
    await until(() => ws.effects().includes('start s3'), 'two steps done locally and the third under way', 20_000);
    await later.start();
    await startWorker(ws, later.address);
    unlinkSync(join(ws.dir, 'hold'));
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain(`run ${run.runId} moved to Temporal`);
    expect(run.stdout()).toContain(`run ${run.runId} completed`);

    // Each step's activity ran exactly once, across both engines.
    expect(started(ws)).toEqual(STEPS);
    const history = JSON.parse(ws.revo(['history', run.runId, '--json', '--address', later.address]).stdout) as HistoryExport;
    expect(history).toMatchObject({ runId: run.runId, status: 'completed', engine: 'temporal', output: { last: { step: 's10' } } });
    expect(history.handovers).toHaveLength(1);
    const local = history.steps.filter((s) => s.engine === 'local').map((s) => s.id);
    const onTemporal = history.steps.filter((s) => s.engine === 'temporal').map((s) => s.id);
    expect(local.length).toBeGreaterThanOrEqual(3);
    expect(onTemporal.length).toBeGreaterThanOrEqual(1);
    expect([...local, ...onTemporal]).toEqual(STEPS);
    // Temporal scheduled only the steps after the hand-over.
    expect(await scheduledOnTemporal(later.address, run.runId)).toEqual(onTemporal);
    // The local journal ends with the hand-over.
    const journal = readFileSync(join(ws.env.REVO_HOME, 'runs', `${run.runId}.jsonl`), 'utf8').trim().split('\n');
    expect(JSON.parse(journal.at(-1)!)).toMatchObject({ type: 'engine.handover', from: 'local', to: 'temporal' });

    const runs = ws.revo(['runs', '--json', '--address', later.address]);
    expect(JSON.parse(runs.stdout)).toEqual([expect.objectContaining({ runId: run.runId, engine: 'local→temporal', status: 'completed', stepsDone: 10 })]);
    const text = ws.revo(['history', run.runId, '--address', later.address]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('local → temporal');
  });

  it('hands over a run waiting for a signal; signal, query, history and runs then reach it on Temporal', async () => {
    const ws = autoWorkspace({ 'approval.yaml': APPROVAL_WORKFLOW });
    const later = await laterServer();
    const flags = ['--address', later.address];
    const run = await startRun(ws, ['approval.yaml', '--engine', 'auto', '--activities', 'activities.mjs', ...flags]);
    await until(() => ws.effects().includes('done a'), 'step a done locally', 20_000);
    const localState = JSON.parse(ws.revo(['query', run.runId, 'state', ...flags]).stdout) as { currentSteps: string[] };
    expect(localState.currentSteps).toContain('w');
    await later.start();
    await startWorker(ws, later.address);
    // No step ends while the run waits: the check runs on a timer too.
    await until(() => run.stderr().includes('moved to Temporal'), 'the hand-over', 30_000);

    const refused = ws.revo(['signal', run.runId, 'approve', '{"by": 1}', ...flags]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/does not match its schema/);
    const state = JSON.parse(ws.revo(['query', run.runId, 'state', ...flags]).stdout) as { status: string; currentSteps: string[] };
    expect(state).toMatchObject({ status: 'running', currentSteps: ['w'] });
    const sent = ws.revo(['signal', run.runId, 'approve', '{"by": "ann"}', ...flags]);
    expect(sent.stdout).toContain('on Temporal');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('"by": "ann"');
    expect(JSON.parse(ws.revo(['query', run.runId, 'approver', ...flags]).stdout)).toBe('ann');
    expect(started(ws)).toEqual(['a', 'b']);

    const history = JSON.parse(ws.revo(['history', run.runId, '--json', ...flags]).stdout) as HistoryExport;
    expect(history.steps.map((s) => `${s.id}:${s.engine}`)).toEqual(['a:local', 'w:temporal', 'b:temporal']);
    expect(history.signals).toEqual([expect.objectContaining({ name: 'approve', payload: { by: 'ann' } })]);
    const cancel = ws.revo(['cancel', run.runId, ...flags]);
    expect(cancel.status).toBe(2);
    expect(cancel.stderr).toMatch(/already ended on Temporal/);
  });

  it('revo resume starts the Temporal part of a hand-over that a crash interrupted, and follows it to the end', async () => {
    const ws = autoWorkspace({ 'ten.yaml': TEN_STEPS });
    const later = await laterServer();
    const run = await startRun(ws, ['ten.yaml', '--engine', 'auto', '--activities', 'activities.mjs', '--address', later.address]);
    await until(() => ws.effects().includes('done s3'), 'three steps done locally', 20_000);
    // Stop the run for good and write the hand-over into its journal, as the process would just before a crash.
    run.child.kill('SIGKILL');
    await run.exited;
    const journal = join(ws.env.REVO_HOME, 'runs', `${run.runId}.jsonl`);
    const appended = FileJournal.reopen(journal, readJournal(journal));
    appended.append({ type: 'engine.handover', from: 'local', to: 'temporal', reason: 'test', at: Date.now() }, true);
    appended.close();

    await later.start();
    await startWorker(ws, later.address);
    const before = started(ws).length;
    const resumed = spawnSync(process.execPath, [BIN, 'resume', run.runId, '--address', later.address], { cwd: ws.dir, env: ws.env, encoding: 'utf8' });
    expect(resumed.stderr).toContain('was handed over to Temporal');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain('completed');
    // The steps done locally did not run again.
    const done = ws.effects().filter((l) => l.startsWith('done ')).map((l) => l.slice(5));
    expect(new Set(done)).toEqual(new Set(STEPS));
    expect(started(ws).slice(0, before).every((s) => done.includes(s))).toBe(true);
    expect(new Set(started(ws).slice(before)).size).toBe(started(ws).length - before);
  });
});
