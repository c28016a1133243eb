/**
 * Fault trials with a Temporal server of their own (a dev server on a SQLite file) that is
 * SIGKILLed and started again on the same port and file at random moments:
 *  - under a `revo run --engine temporal` that follows its run, and the run's worker;
 *  - under a `revo run --engine auto` that started locally while the server was away,
 *    the server killed again before or after the hand-over.
 * Each run must end completed with its output, the following client with exit 0 and no
 * stack trace, and no step completed before a kill may run again.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { ACTIVITIES, startRun, startWorkerProcess, until, workspace } from '../../process-helpers.js';
import { restartableDevServer, type RestartableServer } from '../../temporal/harness.js';
import { crashed, noFigures, random, report, trialCount, type Figures } from '../trials.js';

const processes: ChildProcess[] = [];
const servers: RestartableServer[] = [];
afterAll(() => cleanUp());

const NAP = `revo: 1
name: nap
steps:
  - { id: before, call: test.effect, with: { step: before } }
  - { id: nap, sleep: 4s }
  - { id: after, call: test.effect, with: { step: after }, result: last }
output: { last: { var: last } }
`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The trial's server and processes go once it is counted: a long run would otherwise keep a dev server per trial. */
async function cleanUp(): Promise<void> {
  for (const child of processes.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.stop()));
}

/** Waits for the following client and counts what it left. */
async function tally(figures: Figures, run: Awaited<ReturnType<typeof startRun>>, effects: () => string[]): Promise<void> {
  const status = await Promise.race([run.exited, pause(120_000).then(() => 'hang' as const)]);
  if (status === 'hang') {
    figures.hangs++;
    run.child.kill('SIGKILL');
    return;
  }
  if (crashed({ status, stderr: run.stderr() })) figures.crashes++;
  if (status !== 0) figures.lost++;
  else if (!run.stdout().includes(`run ${run.runId} completed`) || !run.stdout().includes('"step": "after"')) figures.wrong++;
  if (effects().filter((line) => line === 'start before').length > 1) figures.repeated++;
}

it('a dev server SIGKILLed under a following `revo run --engine temporal` and its worker, started again: the run ends as it would have', async () => {
  const rng = random();
  const trials = trialCount(1, 5);
  const figures = noFigures();
  for (let trial = 0; trial < trials; trial++) {
    figures.runs++;
    const server = await restartableDevServer();
    servers.push(server);
    await server.start();
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'nap.yaml': NAP });
    processes.push((await startWorkerProcess(ws, server.address)).child);
    const run = await startRun(ws, ['nap.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', '--address', server.address]);
    processes.push(run.child);
    await until(() => ws.effects().includes('done before'), 'the first step done', 60_000);
    await pause(rng.int(3_000));
    await server.kill();
    await pause(1_000 + rng.int(7_000));
    await server.start();
    await tally(figures, run, ws.effects);
    await cleanUp();
  }
  report('Temporal server restart under a following client', figures);
  expect(figures).toEqual({ ...noFigures(), runs: trials });
}, 900_000);

it('the auto engine: started locally with the server away, the server killed before or after the hand-over and started again: the run ends as it would have', async () => {
  const rng = random();
  const trials = trialCount(2, 8);
  const figures = noFigures();
  for (let trial = 0; trial < trials; trial++) {
    figures.runs++;
    const server = await restartableDevServer();
    servers.push(server);
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'nap.yaml': NAP });
    ws.env.REVO_AUTO_PROBE_MAX_MS = '300'; // check often: a trial should not wait out the probe's backoff
    const run = await startRun(ws, ['nap.yaml', '--engine', 'auto', '--activities', 'activities.mjs', '--address', server.address]);
    processes.push(run.child);
    await until(() => ws.effects().includes('done before'), 'the first step done locally', 60_000);
    await server.start();
    processes.push((await startWorkerProcess(ws, server.address)).child);
    // Every other trial kills it once the run has moved; the others at a random moment, most often before the hand-over.
    if (trial % 2 === 1) await until(() => run.stderr().includes(`run ${run.runId} moved to Temporal`), 'the hand-over', 60_000);
    else await pause(rng.int(1_500));
    await server.kill();
    await pause(1_000 + rng.int(5_000));
    await server.start();
    await tally(figures, run, ws.effects);
    await cleanUp();
  }
  report('auto engine, server killed around the hand-over', figures);
  expect(figures).toEqual({ ...noFigures(), runs: trials });
}, 900_000);
