/**
 * Fault trial: `revo run` on the local engine SIGKILLed at a random moment, then `revo
 * resume` — itself killed at random moments too — until the run ends. Counts runs lost,
 * completed steps repeated (an activity whose completion the journal held at a kill and
 * which started again after it), wrong outputs, crashes and hangs.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readJournal } from '../../src/local/journal.js';
import { revoAsync, workspace } from '../process-helpers.js';
import { crashed, noFigures, random, report, trialCount } from './trials.js';

const STEPS = ['a', 'b', 'c', 'd', 'e'];

// Each step adds one to the count it is given: the output says whether every step saw its predecessor's recorded result.
const WORKFLOW = `revo: 1
name: counter
steps:
  - { id: a, call: test.count, with: { step: a, n: 0 }, result: a }
  - { id: b, call: test.count, with: { step: b, n: { var: a.n } }, result: b }
  - { id: nap, sleep: 300ms }
  - { id: c, call: test.count, with: { step: c, n: { var: b.n } }, result: c }
  - { id: d, call: test.count, with: { step: d, n: { var: c.n } }, result: d }
  - { id: e, call: test.count, with: { step: e, n: { var: d.n } }, result: e }
output: { n: { var: e.n } }
`;

const ACTIVITIES = `import { appendFileSync } from 'node:fs';
export const count = {
  name: 'test.count',
  input: { type: 'object', required: ['step', 'n'], properties: { step: { type: 'string' }, n: { type: 'integer' } } },
  output: { type: 'object' },
  async run(input) {
    appendFileSync(process.env.EFFECTS, 'start ' + input.step + '\\n');
    await new Promise((resolve) => setTimeout(resolve, 120));
    appendFileSync(process.env.EFFECTS, 'done ' + input.step + '\\n');
    return { n: input.n + 1 };
  },
};
`;

/** The steps whose activity completion the run's journal holds now (a torn last line is ignored, as a resume does). */
function recordedSteps(journal: string): Set<string> {
  try {
    return new Set(readJournal(journal).entries.flatMap((e) => (e.type === 'step.completed' && STEPS.includes(String(e.key)) ? [String(e.key)] : [])));
  } catch {
    return new Set(); // not written yet
  }
}

it('local runs SIGKILLed at random moments, resumes killed too: nothing lost, no completed step repeated', async () => {
  const trials = trialCount(4, 30);
  const rng = random();
  const figures = noFigures();
  const lost: string[] = [];
  for (let trial = 0; trial < trials; trial++) {
    figures.runs++;
    const ws = workspace({ 'counter.yaml': WORKFLOW, 'count.mjs': ACTIVITIES });
    const effects = (): string[] => ws.effects();
    // Recorded at each kill: the steps the journal held, and how far the effects log had got.
    const held: { steps: Set<string>; seen: number }[] = [];
    let runId: string | undefined;
    let result = await revoAsync(ws, ['run', 'counter.yaml', '--activities', 'count.mjs', '--json'], { killAfterMs: 300 + rng.int(1_200) });
    for (let attempt = 0; ; attempt++) {
      runId ??= /run (\S+) started/.exec(result.stderr)?.[1];
      if (result.hung) figures.hangs++;
      else if (crashed(result)) figures.crashes++;
      if (result.signal !== 'SIGKILL' || result.hung) break;
      if (runId === undefined) {
        // Killed before it had a run id: nothing was started; the trial starts over.
        result = await revoAsync(ws, ['run', 'counter.yaml', '--activities', 'count.mjs', '--json'], { killAfterMs: 300 + rng.int(1_200) });
        continue;
      }
      held.push({ steps: recordedSteps(join(ws.env.REVO_HOME, 'runs', `${runId}.jsonl`)), seen: effects().length });
      if (attempt >= 8) break;
      // Most resumes are killed again; from the fifth on, each is left to finish.
      const killAgain = attempt < 4 && rng.next() < 0.5;
      result = await revoAsync(ws, ['resume', runId, '--activities', 'count.mjs', '--json'], killAgain ? { killAfterMs: 200 + rng.int(1_000) } : {});
    }
    // Killed after its end was journaled, before the process exited: the run is done, and its record says how.
    if (runId !== undefined && result.status === 2 && /has already completed; nothing to resume/.test(result.stderr)) {
      result = await revoAsync(ws, ['history', runId, '--json']);
    }
    if (result.status !== 0) {
      figures.lost++;
      lost.push(`run ${runId ?? '(no id)'}: exit ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      continue;
    }
    const record = JSON.parse(result.stdout) as { status: string; output: unknown };
    if (record.status !== 'completed' || JSON.stringify(record.output) !== JSON.stringify({ n: STEPS.length })) figures.wrong++;
    const log = effects();
    const repeated = new Set<string>();
    for (const kill of held) for (const line of log.slice(kill.seen)) if (line.startsWith('start ') && kill.steps.has(line.slice(6))) repeated.add(line.slice(6));
    figures.repeated += repeated.size;
    // Every step's effect happened at least once.
    if (!STEPS.every((step) => log.includes(`done ${step}`))) figures.wrong++;
  }
  report('local SIGKILL + resume', figures);
  expect(lost).toEqual([]);
  expect(figures).toEqual({ ...noFigures(), runs: trials });
}, 600_000);
