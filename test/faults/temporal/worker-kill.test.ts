/**
 * Fault trial on the real dev server: the only `revo worker` of a task queue SIGKILLed
 * at random moments of a run (one to three times), a new one started each time. The run
 * must complete with the right output, and no activity that Temporal recorded as
 * completed before a kill may start again after it.
 */
import type { ChildProcess } from 'node:child_process';
import { expect, inject, it } from 'vitest';
import { runOutcome, startRun } from '../../../src/temporal/client.js';
import { connectClient, temporalSettings } from '../../../src/temporal/connection.js';
import { testBundle } from '../../engine/harness.js';
import { ACTIVITIES, startWorkerProcess, workspace } from '../../process-helpers.js';
import { completedActivitySteps } from '../../temporal/harness.js';
import { noFigures, random, report, trialCount } from '../trials.js';

const STEPS = ['a', 'b', 'c', 'd', 'e', 'f'];
const SIX_STEPS = `revo: 1
name: six-steps
defaults: { timeout: 2s, retry: { initialInterval: 100ms } }
steps:
${STEPS.map((s) => `  - { id: ${s}, call: test.effect, with: { step: ${s} }, result: ${s} }`).join('\n')}
output: { last: { var: f.step } }
`;

it('a worker SIGKILLed at random moments, replaced each time: every run completes, no completed activity repeated', async () => {
  const address = inject('temporalAddress');
  const rng = random();
  const trials = trialCount(2, 10);
  const figures = noFigures();
  const bundle = testBundle(SIX_STEPS, { validate: false });
  for (let trial = 0; trial < trials; trial++) {
    figures.runs++;
    const ws = workspace({ 'activities.mjs': ACTIVITIES });
    const taskQueue = `faults-kill-${Date.now()}-${trial}`;
    const settings = temporalSettings({ address, taskQueue }, {});
    const client = await connectClient(settings);
    let worker: ChildProcess = (await startWorkerProcess(ws, address, taskQueue)).child;
    const handle = await startRun(client, settings, { bundle, input: {}, trigger: { by: 'test', input: {} } });
    // At each kill: the activities Temporal has completed, and how far the effects log had got.
    const held: { steps: Set<string>; seen: number }[] = [];
    const kills = 1 + rng.int(3);
    for (let kill = 0; kill < kills; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 200 + rng.int(900)));
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      held.push({ steps: new Set(await completedActivitySteps(client, handle.workflowId)), seen: ws.effects().length });
      worker = (await startWorkerProcess(ws, address, taskQueue)).child;
    }
    const outcome = await Promise.race([runOutcome(handle), new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), 90_000))]);
    worker.kill('SIGKILL');
    if (outcome === 'hang') figures.hangs++;
    else if (outcome.status !== 'completed') figures.lost++;
    else if (JSON.stringify(outcome.output) !== '{"last":"f"}') figures.wrong++;
    const log = ws.effects();
    const repeated = new Set<string>();
    for (const at of held) for (const line of log.slice(at.seen)) if (line.startsWith('start ') && at.steps.has(line.slice(6))) repeated.add(line.slice(6));
    figures.repeated += repeated.size;
    await client.connection.close();
  }
  report('Temporal worker SIGKILL', figures);
  expect(figures).toEqual({ ...noFigures(), runs: trials });
}, 900_000);
