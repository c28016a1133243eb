/**
 * `revo replay` and `revo rerun` with Temporal runs: a run replayed by its id (its
 * history fetched) and from the JSON the temporal CLI exports, a history the current
 * workflow code cannot replay, a run handed over from the local engine, and a rerun.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { continueOnTemporal } from '../../src/auto/handover.js';
import { LocalEngine } from '../../src/local/engine.js';
import { RunStore } from '../../src/local/store.js';
import { runOutcome } from '../../src/temporal/client.js';
import { testActivity, testBundle } from '../engine/harness.js';
import { workspace } from '../process-helpers.js';
import { temporalCli, temporalEnv, type TemporalTestEnv } from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'histories', 'revision-0');
const work = testActivity('t.work');
const ACTIVITIES = [work];
const FLOW = `revo: 1
name: flow
input: { type: object, properties: { n: { type: integer } } }
steps:
  - { id: one, call: t.work, with: { n: { var: input.n } }, result: first }
  - id: loop
    foreach: [1, 2]
    steps: [{ id: each, call: t.work, with: { i: { var: item } } }]
  - { id: two, call: t.work, with: { after: { var: first.n } } }
output: { n: { var: first.n } }
`;

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await temporalEnv(ACTIVITIES);
});
afterAll(async () => {
  await env?.close();
});

function revo(ws: ReturnType<typeof workspace>, args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args, '--address', env.settings.address, '--task-queue', env.settings.taskQueue], { cwd: ws.dir, env: ws.env, encoding: 'utf8' });
}

/** As revo(), without blocking this process: its in-process worker must run the workflow meanwhile. */
function revoAsync(ws: ReturnType<typeof workspace>, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--address', env.settings.address, '--task-queue', env.settings.taskQueue], { cwd: ws.dir, env: ws.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })));
}

describe('revo replay of Temporal runs', () => {
  it('replays a run by its id and from the JSON `temporal workflow show` exports, running nothing', async () => {
    const ws = workspace({});
    const { handle } = await env.run(FLOW, { input: { n: 3 } });
    const calls = work.count;
    const byId = revo(ws, ['replay', handle.workflowId]);
    expect(byId.status, byId.stderr).toBe(0);
    expect(byId.stdout).toContain(`replay of run ${handle.workflowId} (Temporal history)`);
    expect(byId.stdout).toMatch(/✓ loop\[1\]\/each/);
    expect(byId.stdout).toMatch(/✓ replays identically: 5 steps/);

    const shown = spawnSync(temporalCli(), ['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json', '--address', env.settings.address], { encoding: 'utf8' });
    expect(shown.status, shown.stderr).toBe(0);
    writeFileSync(join(ws.dir, 'history.json'), shown.stdout);
    const fromFile = revo(ws, ['replay', 'history.json', '--workflow-id', handle.workflowId, '--json']);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ identical: true, source: 'file history.json (Temporal history)' });
    expect(work.count).toBe(calls);
  });

  it('replays committed fixture histories (children, signals, compensations); a tampered one is reported as not replaying (exit 1)', async () => {
    const ws = workspace({});
    // One process per file is slow: a few that cover the most (test/replay-histories.test.ts replays them all).
    const chosen = ['order-fulfilment.json', 'customer-onboarding.json', 'order-fulfilment.no-carrier.json'];
    expect(chosen.every((f) => readdirSync(FIXTURES).includes(f))).toBe(true);
    for (const file of chosen) {
      const result = revo(ws, ['replay', join(FIXTURES, file)]);
      expect(result.status, `${file}: ${result.stdout}${result.stderr}`).toBe(0);
    }
    const fixture = readdirSync(FIXTURES).find((f) => f.startsWith('order-fulfilment'))!;
    const tampered = readFileSync(join(FIXTURES, fixture), 'utf8').replace('"name":"payments.charge"', '"name":"payments.somethingElse"');
    writeFileSync(join(ws.dir, 'tampered.json'), tampered);
    const result = revo(ws, ['replay', 'tampered.json']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/✗ the current workflow code does not replay the run's Temporal history: .*[Nn]ondeterminism/);
  });

  it('replays a run handed over from the local engine by its local id, with the engine of each step', async () => {
    const ws = workspace({});
    const store = new RunStore(ws.env.REVO_HOME);
    let handing: Promise<boolean> | undefined;
    const engine = new LocalEngine({
      activities: new Map([...BUILTIN_ACTIVITIES, ...ACTIVITIES].map((d) => [d.name, d])),
      store,
      onEvent: (run, event) => {
        if (event.type === 'step.completed' && (event as { key: string }).key === 'one') handing ??= run.handOver('temporal', 'test');
      },
    });
    const run = engine.start({ bundle: testBundle(FLOW, { activities: ACTIVITIES }), input: { n: 4 } });
    while (!handing) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await handing).toBe(true);
    const { handle } = await continueOnTemporal(env.client, env.settings, store, run.runId);
    expect(await runOutcome(handle)).toEqual({ status: 'completed', output: { n: 4 } });
    const result = revo(ws, ['replay', run.runId]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✓ one  call t\.work · 1 attempt · on local/);
    expect(result.stdout).toMatch(/✓ two  call t\.work · 1 attempt · on temporal/);
    expect(result.stdout).toMatch(/replays identically/);
  });
});

describe('revo rerun of a Temporal run', () => {
  it('starts a new Temporal run with the same input and definition', async () => {
    const ws = workspace({});
    const { handle, record } = await env.run(FLOW, { input: { n: 5 } });
    const rerun = await revoAsync(ws, ['rerun', handle.workflowId, '--json', '-q']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const again = JSON.parse(rerun.stdout) as { runId: string; engine: string; hash: string; trigger: { by: string; input: unknown }; output: unknown };
    expect(again.runId).not.toBe(handle.workflowId);
    expect(again).toMatchObject({ engine: 'temporal', hash: record.hash, trigger: { by: `rerun:${handle.workflowId}`, input: { n: 5 } }, output: { n: 5 } });
    const current = revo(ws, ['rerun', handle.workflowId, '--current']);
    expect(current.status).toBe(2);
    expect(current.stderr).toMatch(/does not record the file it was started from/);
  });
});
