/**
 * The archive of closed Temporal runs, against the real dev server
 * (docs/history.md#retention-and-the-archive): `Revo.archiveRuns` / `revo runs --archive`
 * saves closed runs (not running ones, and not twice); after the run is deleted on
 * Temporal, as retention does, it is still listed (engine `temporal (archived)`), shown,
 * replayed (through Temporal's determinism check), re-run and re-run from a step, and
 * shown by `revo ui`; a run handed over from the local engine keeps its Temporal part.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Revo } from '../../src/index.js';
import { startUi } from '../../src/ui/server.js';
import type { RunsReply } from '../../src/ui/protocol.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { continueOnTemporal } from '../../src/auto/handover.js';
import { LocalEngine } from '../../src/local/engine.js';
import { runOutcome } from '../../src/temporal/client.js';
import { testActivity, testBundle } from '../engine/harness.js';
import { eventually, temporalEnv, type TemporalTestEnv } from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const charge = testActivity('ar.charge');
const ship = testActivity('ar.ship');

const flow = (name: string) => `revo: 1
name: ${name}
input: { type: object, required: [order], properties: { order: { type: string } } }
signals:
  hold: { schema: { type: object } }
steps:
  - { id: charge, call: ar.charge, with: { order: { var: input.order } }, result: payment }
  - id: gate
    switch:
      - when: { "==": [{ var: input.order }, "wait"] }
        steps: [ { id: held, wait: { signal: hold } } ]
  - { id: ship, call: ar.ship, with: { order: { var: input.order } } }
output: { order: { var: payment.order } }
`;

let env: TemporalTestEnv;
let dir: string;
let revo: Revo;
beforeAll(async () => {
  env = await temporalEnv([charge, ship]);
  dir = mkdtempSync(join(tmpdir(), 'revo-archive-'));
  revo = new Revo({ home: join(dir, '.revo'), activities: [charge, ship], temporal: { address: env.settings.address, taskQueue: env.settings.taskQueue } });
});
afterAll(async () => {
  await revo?.close();
  await env?.close();
});

/** A run of `flow(name)` started locally and handed over to Temporal after its first step, which completes there. */
async function handedOverRun(name: string): Promise<string> {
  let handing: Promise<boolean> | undefined;
  const engine = new LocalEngine({
    activities: new Map([...BUILTIN_ACTIVITIES, charge, ship].map((d) => [d.name, d])),
    store: revo.store,
    onEvent: (local, event) => {
      if (event.type === 'step.completed' && !handing) handing = local.handOver('temporal', 'test');
    },
  });
  const local = engine.start({ bundle: testBundle(flow(name), { activities: [charge, ship] }), input: { order: 'o-handed' } });
  await eventually(async () => handing, 'the hand-over to begin');
  expect(await handing).toBe(true);
  const { handle } = await continueOnTemporal(env.client, env.settings, revo.store, local.runId);
  expect(await runOutcome(handle)).toMatchObject({ status: 'completed' });
  return local.runId;
}

describe('the archive of closed Temporal runs', () => {
  it('keeps a run listed, viewable, replayable and re-runnable after Temporal deleted it', async () => {
    const name = `archived-${Date.now()}`;
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, flow(name));
    const run = await revo.start(file, { input: { order: 'o-77' }, engine: 'temporal' });
    expect(await run.outcome()).toMatchObject({ status: 'completed', output: { order: 'o-77' } });
    const waiting = await revo.start(file, { input: { order: 'wait' }, engine: 'temporal' });
    await eventually(async () => (await revo.listRuns({ workflow: name })).length === 2, 'both runs in visibility');

    const handedOver = await handedOverRun(name);
    await eventually(async () => (await revo.listRuns({ workflow: name })).some((r) => r.runId === handedOver && r.engine === 'local→temporal' && r.status === 'completed'), 'the handed-over run completed');

    // Closed runs only, and each once.
    const first = await revo.archiveRuns({ workflow: name });
    expect(first).toMatchObject({ already: [], failed: [] });
    expect([...first.archived].sort()).toEqual([run.runId, handedOver].sort());
    const archivedFile = revo.archive.path(run.runId);
    const written = statSync(archivedFile).mtimeMs;
    expect(await revo.archiveRuns({ workflow: name })).toMatchObject({ archived: [], already: expect.arrayContaining([run.runId, handedOver]), failed: [] });
    expect(statSync(archivedFile).mtimeMs).toBe(written);
    // While Temporal has it, it is listed once, as Temporal has it.
    const live = await revo.listRuns({ workflow: name });
    expect(live.filter((r) => r.runId === run.runId)).toEqual([expect.objectContaining({ engine: 'temporal', status: 'completed' })]);
    const recordBefore = (await revo.history(run.runId)).record;

    const handedOverBefore = (await revo.history(handedOver)).record;
    expect(handedOverBefore.steps.map((s) => s.key)).toContain('ship'); // the part run on Temporal

    // Retention deletes them.
    for (const workflowId of [run.runId, handedOver]) {
      await env.client.workflowService.deleteWorkflowExecution({ namespace: env.settings.namespace, workflowExecution: { workflowId } });
    }
    for (const workflowId of [run.runId, handedOver]) {
      // The server deletes in the background: on the dev server, within about a minute.
      await eventually(async () => env.client.workflow.getHandle(workflowId).describe().then(() => false, () => true), `${workflowId} to be deleted`, 150_000);
      await eventually(async () => {
        for await (const _execution of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) return false;
        return true;
      }, `${workflowId} to leave visibility`);
    }

    const listed = await eventually(async () => {
      const rows = await revo.listRuns({ workflow: name });
      return rows.some((r) => r.runId === run.runId && r.engine === 'temporal (archived)') && rows;
    }, 'the archived row');
    expect(listed.filter((r) => r.runId === run.runId)).toEqual([expect.objectContaining({ status: 'completed', engine: 'temporal (archived)', workflow: name, stepsDone: 3 })]);
    expect((await revo.listRuns({ workflow: name, engine: 'temporal', search: 'o-77' })).map((r) => r.runId)).toEqual([run.runId]);
    expect(await revo.listRuns({ workflow: name, engine: 'local' })).toHaveLength(0);

    // The run handed over: its local row, with Temporal's part from the archive.
    const handedOverRows = await revo.listRuns({ workflow: name, search: handedOver });
    expect(handedOverRows.temporalUnavailable).toBeUndefined();
    expect(handedOverRows.find((r) => r.runId === handedOver)).toMatchObject({ engine: 'local→temporal (archived)', status: 'completed', stepsDone: 3 });
    expect((await revo.history(handedOver)).record).toEqual(handedOverBefore);

    const history = await revo.history(run.runId);
    expect(history.record).toEqual(recordBefore);
    expect(history.bundle.definition.name).toBe(name);

    const verdict = await revo.replay(run.runId);
    expect(verdict.source.label).toBe(`run ${run.runId} (archived Temporal history)`);
    expect(verdict.divergence).toBeUndefined();
    expect(verdict.temporalProblem).toBeUndefined();
    expect(verdict.replayed.status).toBe('completed');

    const charged = charge.count;
    const again = await revo.rerun(run.runId);
    expect(again.engine).toBe('temporal');
    await expect(again.result()).resolves.toEqual({ order: 'o-77' });
    expect(charge.count).toBe(charged + 1);
    const fromShip = await revo.rerun(run.runId, { from: 'ship' });
    await expect(fromShip.result()).resolves.toEqual({ order: 'o-77' });
    expect(charge.count).toBe(charged + 1); // charge answered from the archived run
    expect((await fromShip.record()).steps.find((s) => s.key === 'charge')).toMatchObject({ reused: true });

    // `revo ui`: the list, the run view and its stream, which ends at once: the run has ended.
    const ui = await startUi(revo, { port: 0 });
    try {
      const runs = (await (await fetch(new URL(`api/runs?workflow=${name}`, ui.url))).json()) as RunsReply;
      expect(runs.runs.find((r) => r.runId === run.runId)).toMatchObject({ engine: 'temporal (archived)' });
      const view = (await (await fetch(new URL(`api/runs/${run.runId}`, ui.url))).json()) as { record: { status: string } };
      expect(view.record.status).toBe('completed');
      const stream = await (await fetch(new URL(`api/runs/${run.runId}/stream`, ui.url))).text();
      expect(stream).toMatch(/^event: run\n[\s\S]*event: end\n/);
    } finally {
      await ui.close();
    }

    // The CLI: `revo runs --archive` says what it did; `revo history` reads the archive.
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--address', env.settings.address], { cwd: dir, env: { ...process.env, REVO_HOME: join(dir, '.revo'), NO_COLOR: '1' }, encoding: 'utf8' });
    const archivedAgain = cli(['runs', '--archive', '--workflow', name, '--status', 'completed', '--json']);
    expect(archivedAgain.status).toBe(0);
    expect(archivedAgain.stderr).toMatch(/archived 2 closed Temporal runs into \S+archive\n/);
    expect((JSON.parse(archivedAgain.stdout) as { runId: string; engine: string }[]).find((r) => r.runId === run.runId)).toMatchObject({ engine: 'temporal (archived)' });
    const shown = cli(['history', run.runId]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('ship');

    await (await revo.getRun(waiting.runId)).cancel('test over');
  }, 300_000);
});
