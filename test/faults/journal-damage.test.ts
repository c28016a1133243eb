/**
 * Fault trial: a local run's journal damaged at random — a flipped bit, a changed byte, a
 * line removed, doubled or swapped, a cut at a line boundary or mid-line, an edited
 * definition, garbage appended, the journal removed — then `revo resume`. Each must be
 * either refused (exit 2, naming the line, nothing changed, nothing run) or, when what was
 * lost is only a torn last line, resumed to the right output. A resume to a wrong output
 * counts as wrong; a damage resumed without a word counts as wrong too.
 * Also: the journal deleted under a live run must stop it, not end it "completed".
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ACTIVITIES, revoAsync, startRun, until, WORKFLOW, workspace } from '../process-helpers.js';
import { crashed, noFigures, random, report, trialCount } from './trials.js';

type Damage = (bytes: Buffer, pick: ReturnType<typeof random>) => Buffer | undefined;

/** Splits a journal into its lines, each with its '\n'. */
function lines(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) (out.push(bytes.subarray(start, i + 1)), (start = i + 1));
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

/** Complete lines ('\n'-ended), the header included — as the witness counts them. */
function wholeLines(bytes: Buffer): number {
  return lines(bytes).filter((line) => line[line.length - 1] === 0x0a).length;
}

const DAMAGES: Record<string, Damage> = {
  'flipped bit': (bytes, rng) => {
    const out = Buffer.from(bytes);
    const at = rng.int(out.length);
    out[at] = out[at]! ^ (1 << rng.int(8));
    return out;
  },
  'changed digit or letter in a value': (bytes, rng) => {
    const text = bytes.toString('latin1');
    const spots = [...text.matchAll(/"(?:output|input|payload)":\{"[^"]+":"?([0-9a-z])/g)];
    if (spots.length === 0) return undefined;
    const spot = rng.pick(spots);
    const at = spot.index + spot[0].length - 1;
    const out = Buffer.from(bytes);
    out[at] = out[at] === 0x31 ? 0x32 : 0x31;
    return out;
  },
  'line removed': (bytes, rng) => {
    const all = lines(bytes);
    all.splice(1 + rng.int(all.length - 2), 1); // not the last: that is a cut, below
    return Buffer.concat(all);
  },
  'line doubled': (bytes, rng) => {
    const all = lines(bytes);
    const at = 1 + rng.int(all.length - 1);
    all.splice(at, 0, all[at]!);
    return Buffer.concat(all);
  },
  'lines swapped': (bytes, rng) => {
    const all = lines(bytes);
    const at = 1 + rng.int(all.length - 2);
    [all[at], all[at + 1]] = [all[at + 1]!, all[at]!];
    return Buffer.concat(all);
  },
  'cut at a line boundary': (bytes, rng) => {
    const all = lines(bytes);
    return Buffer.concat(all.slice(0, 1 + rng.int(all.length - 1)));
  },
  'cut mid-line': (bytes, rng) => bytes.subarray(0, 1 + rng.int(bytes.length - 2)),
  'torn line appended': (bytes) => Buffer.concat([bytes, Buffer.from('{"type":"step.started","key":"ga')]),
  'garbage line appended': (bytes) => Buffer.concat([bytes, Buffer.from('{"type":"step.completed","key":"gate","output":{}}\n')]),
  'definition edited': (bytes) => {
    const text = bytes.toString('utf8');
    return text.includes('"id":"nap"') ? Buffer.from(text.replace('"id":"nap"', '"id":"nop"')) : undefined;
  },
  'journal removed': () => Buffer.alloc(0),
};

it('a damaged journal is refused naming the line, or (a torn last line only) resumed right — never resumed wrong', async () => {
  const ws = workspace({ 'crashy.yaml': WORKFLOW, 'effects.mjs': ACTIVITIES });
  const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs']);
  await until(() => ws.effects().includes('done c'), 'the step before the wait');
  await until(() => readFileSync(join(ws.env.REVO_HOME, 'runs', `${run.runId}.jsonl`), 'utf8').includes('"key":"gate"'), 'the wait journaled');
  run.child.kill('SIGKILL');
  await run.exited;
  const sent = ws.revo(['signal', run.runId, 'go', '{"n": 7}']);
  expect(sent.status, sent.stderr).toBe(0);
  const runs = join(ws.env.REVO_HOME, 'runs');
  const pristine = join(ws.dir, 'pristine');
  cpSync(runs, pristine, { recursive: true });
  const journal = join(runs, `${run.runId}.jsonl`);
  const original = readFileSync(journal);
  const effectsBefore = readFileSync(ws.env.EFFECTS);
  // The lines the run's writer had synced, by its state file's witness: no cut may go below them unseen.
  const synced = (JSON.parse(readFileSync(join(runs, `${run.runId}.state.json`), 'utf8')) as { journal: { lines: number } }).journal.lines;
  expect(synced).toBeGreaterThan(3);

  const rng = random();
  const figures = noFigures();
  const kinds = Object.keys(DAMAGES);
  const trials = trialCount(kinds.length, kinds.length * 10);
  const refusedWithoutLine: string[] = [];
  const wrongs: string[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const kind = kinds[trial % kinds.length]!;
    const damaged = DAMAGES[kind]!(original, rng);
    if (damaged === undefined || damaged.equals(original)) continue;
    figures.runs++;
    rmSync(runs, { recursive: true, force: true });
    cpSync(pristine, runs, { recursive: true });
    writeFileSync(ws.env.EFFECTS, effectsBefore);
    if (kind === 'journal removed') rmSync(journal);
    else writeFileSync(journal, damaged);

    const result = await revoAsync(ws, ['resume', run.runId, '--activities', 'effects.mjs', '--json']);
    if (result.hung) figures.hangs++;
    else if (crashed(result)) figures.crashes++;
    if (result.status === 0) {
      const record = JSON.parse(result.stdout) as { status: string; output: unknown };
      // Passed over may be only what a crash could have left: a torn tail (with a note), or a
      // cut after the lines the writer had synced (as if it had died before writing the rest).
      const tornTail = /partial line.*discarded/.test(result.stderr) && damaged.subarray(0, original.length).equals(original);
      const unsyncedCut = damaged.length < original.length && original.subarray(0, damaged.length).equals(damaged) && wholeLines(damaged) >= synced;
      const acceptable = tornTail || unsyncedCut;
      if (!acceptable || record.status !== 'completed' || JSON.stringify(record.output) !== '{"n":7}') {
        figures.wrong++;
        wrongs.push(`${kind}: resumed (${record.status}, ${JSON.stringify(record.output)}): ${result.stderr.trim()}`);
      }
      // a, b and c had completed: none runs again.
      for (const step of ['a', 'b', 'c']) if (ws.effects().filter((l) => l === `start ${step}`).length > 1) figures.repeated++;
    } else {
      if (result.status !== 2) {
        figures.wrong++;
        wrongs.push(`${kind}: exit ${result.status}: ${result.stderr.trim()}`);
      }
      if (!/\.jsonl:\d+:|lines are missing|no journal|not found|does not exist/i.test(result.stderr)) refusedWithoutLine.push(`${kind}: ${result.stderr.trim()}`);
      // A refusal changes nothing and runs nothing.
      if (existsSync(journal) && !readFileSync(journal).equals(damaged)) figures.wrong++;
      if (!readFileSync(ws.env.EFFECTS).equals(effectsBefore)) figures.repeated++;
    }
  }
  report('journal damage + resume', figures);
  expect(refusedWithoutLine).toEqual([]);
  expect(wrongs).toEqual([]);
  expect(figures).toEqual({ ...noFigures(), runs: figures.runs });
  expect(figures.runs).toBeGreaterThanOrEqual(kinds.length - 2);
}, 600_000);

it('a journal deleted while its run runs: the run stops with exit 2, it does not end "completed"', async () => {
  const trials = trialCount(1, 5);
  const figures = noFigures();
  for (let trial = 0; trial < trials; trial++) {
    figures.runs++;
    const ws = workspace({ 'crashy.yaml': WORKFLOW, 'effects.mjs': ACTIVITIES });
    const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs']);
    await until(() => ws.effects().includes(trial % 2 === 0 ? 'start b' : 'done c'), 'the run under way');
    rmSync(join(ws.env.REVO_HOME, 'runs', `${run.runId}.jsonl`));
    ws.revo(['signal', run.runId, 'go', '{"n": 1}']); // may be refused: the journal is gone
    const status = await Promise.race([run.exited, new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), 30_000))]);
    if (status === 'hang') {
      figures.hangs++;
      run.child.kill('SIGKILL');
    } else if (status !== 2) figures.wrong++;
    if (crashed({ status: status === 'hang' ? 2 : status, stderr: run.stderr() })) figures.crashes++;
  }
  report('journal deleted under a live run', figures);
  expect(figures).toEqual({ ...noFigures(), runs: trials });
}, 300_000);
