/**
 * Fault trial: the disk fills during a saga, at every point of its journal in turn (the
 * issue's 17 fill sizes and more under REVO_FAULTS=long): the process may write only N
 * bytes under $REVO_HOME (test/fixtures/faults/disk-full.mjs), the run waits and retries
 * for 1 s, stops, and `revo resume` finishes it once the disk has room. The record must
 * tell what happened: a refund that ran is a compensation in the record, the run ends
 * failed with ship's error, and no step completed before the fault runs again.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readJournal } from '../../src/local/journal.js';
import { revoAsync, workspace } from '../process-helpers.js';
import { crashed, noFigures, report, trialCount } from './trials.js';

const SAGA = `revo: 1
name: saga
steps:
  - id: charge
    call: test.effect
    with: { step: charge }
    compensate:
      - { id: refund, call: test.effect, with: { step: refund } }
  - id: reserve
    call: test.effect
    with: { step: reserve }
    compensate:
      - { id: release, call: test.effect, with: { step: release } }
  - { id: ship, call: test.effect, with: { step: ship, fail: true }, retry: { maxAttempts: 1 } }
`;

const ACTIVITIES = `import { appendFileSync } from 'node:fs';
export const effect = {
  name: 'test.effect',
  input: { type: 'object', required: ['step'], properties: { step: { type: 'string' }, fail: { type: 'boolean' } } },
  output: { type: 'object' },
  async run(input) {
    appendFileSync(process.env.EFFECTS, 'start ' + input.step + '\\n');
    if (input.fail) throw Object.assign(new Error('the carrier refused the parcel'), { type: 'ShipFailed' });
    appendFileSync(process.env.EFFECTS, 'done ' + input.step + '\\n');
    return { step: input.step, pad: 'x'.repeat(600) };
  },
};
`;

const FAULT = `--import=${join(import.meta.dirname, '..', 'fixtures', 'faults', 'disk-full.mjs')}`;

interface SagaRecord {
  status: string;
  error?: { type: string };
  steps: { id: string; status: string }[];
}

it('a disk that fills at any point of a saga: the run stops cleanly, resumes exactly, and its record tells the refund', async () => {
  // How long the fault-free journal is: the fill points spread over it.
  const clean = workspace({ 'saga.yaml': SAGA, 'effects.mjs': ACTIVITIES });
  const reference = await revoAsync(clean, ['run', 'saga.yaml', '--activities', 'effects.mjs', '--json']);
  expect(reference.status, reference.stderr).toBe(1);
  const referenceRun = /run (\S+) started/.exec(reference.stderr)![1]!;
  const journalBytes = statSync(join(clean.env.REVO_HOME, 'runs', `${referenceRun}.jsonl`)).size;
  const expected = JSON.parse(reference.stdout) as SagaRecord;
  expect(clean.effects()).toEqual(['start charge', 'done charge', 'start reserve', 'done reserve', 'start ship', 'start release', 'done release', 'start refund', 'done refund']);

  const sizes = trialCount(17, 60);
  const figures = noFigures();
  for (let trial = 0; trial < sizes; trial++) {
    figures.runs++;
    const budget = Math.round(((trial + 0.5) / sizes) * journalBytes * 1.25); // a few past the end: the state and lock files take room too
    const ws = workspace({ 'saga.yaml': SAGA, 'effects.mjs': ACTIVITIES });
    ws.env.NODE_OPTIONS = FAULT;
    ws.env.REVO_TEST_DISK_BYTES = String(budget);
    ws.env.REVO_STORAGE_RETRY = '1s';
    const run = await revoAsync(ws, ['run', 'saga.yaml', '--activities', 'effects.mjs', '--json']);
    if (run.hung) figures.hangs++;
    else if (crashed(run)) figures.crashes++;
    let final = run;
    const runId = /run (\S+) started/.exec(run.stderr)?.[1];
    if (run.status === 2 && runId === undefined) {
      // Refused at start: no run, no effect, nothing to resume.
      if (!/no run was created/.test(run.stderr) || ws.effects().length > 0) figures.wrong++;
      continue;
    }
    const atStop = runId === undefined ? new Set<string>() : completedSteps(join(ws.env.REVO_HOME, 'runs', `${runId}.jsonl`));
    const effectsAtStop = ws.effects().length;
    if (run.status === 2 && runId !== undefined) {
      delete ws.env.NODE_OPTIONS; // the disk has room again
      final = await revoAsync(ws, ['resume', runId, '--activities', 'effects.mjs', '--json']);
      if (final.hung) figures.hangs++;
      else if (crashed(final)) figures.crashes++;
    }
    if (final.status !== 1) {
      figures.lost++;
      continue;
    }
    const record = JSON.parse(final.stdout) as SagaRecord;
    const effects = ws.effects();
    const refunds = effects.filter((l) => l === 'done refund').length;
    const releases = effects.filter((l) => l === 'done release').length;
    const compensated = (id: string): boolean => record.steps.some((s) => s.id === id && s.status === 'completed');
    if (record.status !== expected.status || record.error?.type !== expected.error?.type) figures.wrong++;
    // The record and the world agree: a refund that happened is in the record, and one in the record happened.
    if ((refunds > 0) !== compensated('refund') || (releases > 0) !== compensated('release')) figures.wrong++;
    for (const line of effects.slice(effectsAtStop)) if (line.startsWith('start ') && atStop.has(line.slice(6))) figures.repeated++;
  }
  report('disk full during a saga', figures);
  expect(figures).toEqual({ ...noFigures(), runs: sizes });
}, 900_000);

function completedSteps(journal: string): Set<string> {
  try {
    return new Set(readJournal(journal).entries.flatMap((e) => (e.type === 'step.completed' ? [String(e.key)] : [])));
  } catch {
    return new Set();
  }
}
