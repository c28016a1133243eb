/**
 * A real `revo run` process killed with SIGKILL at several points, then `revo resume`:
 * every completed activity ran exactly once, and at most the one in flight at the
 * kill ran again (the side effects are counted in a file the activity appends to).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, rewriteJournal, startRun, until, WORKFLOW, workspace } from './process-helpers.js';

function count(lines: string[], line: string): number {
  return lines.filter((l) => l === line).length;
}

const KILL_POINTS: { name: string; when: (lines: string[]) => boolean; delayMs?: number }[] = [
  { name: 'while the first activity runs', when: (l) => l.includes('start a') },
  { name: 'just after an activity completed', when: (l) => l.includes('done b') },
  { name: 'during the durable sleep', when: (l) => l.includes('done b'), delayMs: 500 },
  { name: 'while an activity after the sleep runs', when: (l) => l.includes('start c') },
  { name: 'while waiting for the signal', when: (l) => l.includes('done c'), delayMs: 200 },
];

describe('revo run killed with SIGKILL, then revo resume', () => {
  for (const point of KILL_POINTS) {
    it(`repeats no completed activity when killed ${point.name}`, async () => {
      const ws = workspace({ 'crashy.yaml': WORKFLOW, 'effects.mjs': ACTIVITIES });
      const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs']);
      await until(() => point.when(ws.effects()), point.name);
      if (point.delayMs) await new Promise((resolve) => setTimeout(resolve, point.delayMs));
      run.child.kill('SIGKILL');
      await run.exited;
      const before = ws.effects();

      // Sent while no process runs the workflow: kept in its inbox, delivered on resume.
      const signal = ws.revo(['signal', run.runId, 'go', '{"n": 7}']);
      expect(signal.status, signal.stderr).toBe(0);

      const resumed = ws.revo(['resume', run.runId, '--json']);
      expect(resumed.status, resumed.stderr).toBe(0);
      const record = JSON.parse(resumed.stdout) as { status: string; output: unknown; steps: { id: string; status: string }[] };
      expect(record.status).toBe('completed');
      expect(record.output).toEqual({ n: 7 });
      expect(record.steps.filter((s) => ['a', 'b', 'nap', 'c', 'gate', 'd'].includes(s.id)).map((s) => `${s.id}:${s.status}`)).toEqual([
        'a:completed', 'b:completed', 'nap:completed', 'c:completed', 'gate:completed', 'd:completed',
      ]);

      const after = ws.effects();
      const steps = ['a', 'b', 'c', 'd'];
      for (const step of steps) expect(count(after, `done ${step}`), `done ${step} in ${after.join(', ')}`).toBeGreaterThanOrEqual(1);
      // Steps completed before the kill did not run again…
      for (const step of steps) if (before.includes(`done ${step}`) && before.indexOf(`done ${step}`) < before.length - 1) expect(count(after, `start ${step}`)).toBe(1);
      // …and at most one activity (the one in flight) started twice.
      const repeated = steps.filter((step) => count(after, `start ${step}`) > 1);
      expect(repeated.length, `repeated: ${repeated.join(', ')}`).toBeLessThanOrEqual(1);
      for (const step of steps) expect(count(after, `start ${step}`)).toBeLessThanOrEqual(2);
    }, 30_000);
  }
});

describe('revo resume with a damaged or outdated journal', () => {
  /** A run killed while it waits for its signal: steps a, b, nap and c are journaled. */
  async function killedWhileWaiting() {
    const ws = workspace({ 'crashy.yaml': WORKFLOW, 'effects.mjs': ACTIVITIES });
    const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs']);
    await until(() => ws.effects().includes('done c'), 'the step before the wait');
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.child.kill('SIGKILL');
    await run.exited;
    const journal = join(ws.env.REVO_HOME, 'runs', `${run.runId}.jsonl`);
    return { ws, runId: run.runId, journal };
  }

  it('discards a last line cut off mid-write, says so, and continues', async () => {
    const { ws, runId, journal } = await killedWhileWaiting();
    appendFileSync(journal, '{"type":"step.started","key":"gat');
    expect(ws.revo(['signal', runId, 'go', '{"n": 3}']).status).toBe(0);
    const resumed = ws.revo(['resume', runId, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/partial line.*discarded/);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', output: { n: 3 } });
    expect(count(ws.effects(), 'start c')).toBe(1);
  }, 30_000);

  it('keeps the definition the run started with when the file has changed, and says so', async () => {
    const { ws, runId } = await killedWhileWaiting();
    writeFileSync(join(ws.dir, 'crashy.yaml'), WORKFLOW.replace('  - { id: d,', '  - { id: extra, call: test.effect, with: { step: extra } }\n  - { id: d,'));
    expect(ws.revo(['signal', runId, 'go', '{"n": 4}']).status).toBe(0);
    const resumed = ws.revo(['resume', runId, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/crashy\.yaml has changed since run .* started/);
    const record = JSON.parse(resumed.stdout) as { steps: { id: string }[] };
    expect(record.steps.map((s) => s.id)).not.toContain('extra');
    expect(ws.effects()).not.toContain('start extra');
  }, 30_000);

  it('refuses, changing nothing, when the journal no longer matches what the interpreter does', async () => {
    const { ws, runId, journal } = await killedWhileWaiting();
    // As if the run had been recorded by an interpreter that called another activity at step b.
    rewriteJournal(journal, (entries) => entries.map((e) => (e.type === 'activity.completed' && e.key === 'b' ? { ...e, activity: 'test.other' } : e)));
    const tampered = readFileSync(journal, 'utf8');
    const effects = ws.effects();
    const resumed = ws.revo(['resume', runId]);
    expect(resumed.status).toBe(2);
    expect(resumed.stderr).toMatch(/cannot be resumed.*step "b" called "test\.other"/s);
    expect(readFileSync(journal, 'utf8')).toBe(tampered);
    expect(ws.effects()).toEqual(effects);
  }, 30_000);

  it('refuses a journal damaged in the middle, naming the line', async () => {
    const { ws, runId, journal } = await killedWhileWaiting();
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[3] = '{not json';
    writeFileSync(journal, lines.join('\n'));
    const resumed = ws.revo(['resume', runId]);
    expect(resumed.status).toBe(2);
    expect(resumed.stderr).toMatch(/\.jsonl:4: corrupt journal entry.*cannot be resumed safely/);
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('refuses a flipped bit in a recorded output, an edited definition, and a journal cut at a line boundary — resume, history and replay alike', async () => {
    const { ws, runId, journal } = await killedWhileWaiting();
    const original = readFileSync(journal);
    const effects = ws.effects();
    const text = original.toString('utf8');
    const damages: { name: string; bytes: Buffer; line: RegExp }[] = [];
    // The output of step b's activity, one bit changed (still valid JSON).
    const flipped = Buffer.from(original);
    const at = text.indexOf('"output"', text.indexOf('"type":"activity.completed","key":"b"')) + '"output":{"step":"'.length;
    flipped[at] = flipped[at]! ^ 0x01;
    damages.push({ name: 'flipped bit', bytes: flipped, line: /\.jsonl:\d+: corrupt journal entry \(the line fails its integrity check/ });
    // The recorded definition, edited.
    damages.push({ name: 'edited definition', bytes: Buffer.from(text.replace('"id":"nap"', '"id":"nop"')), line: /\.jsonl:2: corrupt journal entry/ });
    // The last four lines gone: every line left is well-formed, but the run had synced more.
    const lines = text.split('\n');
    damages.push({ name: 'cut at a line boundary', bytes: Buffer.from(lines.slice(0, -5).join('\n') + '\n'), line: /lines are missing at the end/ });

    for (const damage of damages) {
      writeFileSync(journal, damage.bytes);
      for (const command of [['resume', runId], ['history', runId], ['replay', runId]]) {
        const result = ws.revo(command);
        expect(result.status, `${damage.name}: revo ${command.join(' ')}\n${result.stderr}`).toBe(2);
        expect(result.stderr, damage.name).toMatch(damage.line);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      expect(readFileSync(journal), damage.name).toEqual(damage.bytes); // nothing was changed
      expect(ws.effects(), damage.name).toEqual(effects); // nothing ran
    }
    const resumed = ws.revo(['resume', runId]);
    expect(resumed.stderr).toMatch(new RegExp(`revo resume ${runId} --accept-damage`));
  }, 60_000);

  it('resumes a damaged journal with --accept-damage: cut back to the last good line, saying which completed steps run again', async () => {
    const { ws, runId, journal } = await killedWhileWaiting();
    expect(ws.revo(['signal', runId, 'go', '{"n": 5}']).status).toBe(0);
    const text = readFileSync(journal, 'utf8');
    writeFileSync(journal, text.replace(/("type":"step\.completed","key":"b".*?"output":\{"step":")b/, '$1B'));
    const resumed = ws.revo(['resume', runId, '--accept-damage', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/was damaged at line \d+ .*cut back to the line before; these steps completed after it and run again: .*nap, c/);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', output: { n: 5 } });
    // b's activity had completed before the damaged line: it did not run again; c did.
    expect(count(ws.effects(), 'start b')).toBe(1);
    expect(count(ws.effects(), 'start c')).toBe(2);
    // The journal is whole again, and checks out.
    expect(ws.revo(['history', runId]).status).toBe(0);
  }, 30_000);

  it('refuses to resume a run that another process is running', async () => {
    const ws = workspace({ 'crashy.yaml': WORKFLOW, 'effects.mjs': ACTIVITIES });
    const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs']);
    await until(() => ws.effects().includes('done a'), 'the first activity');
    const resumed = ws.revo(['resume', run.runId]);
    expect(resumed.status).toBe(2);
    expect(resumed.stderr).toMatch(/still running in process \d+/);
    run.child.kill('SIGKILL');
    await run.exited;
  }, 30_000);
});
