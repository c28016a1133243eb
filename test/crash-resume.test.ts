/**
 * A real `revo run` process killed with SIGKILL at several points, then `revo resume`:
 * every completed activity ran exactly once, and at most the one in flight at the
 * kill ran again (the side effects are counted in a file the activity appends to).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, startRun, until, WORKFLOW, workspace } from './process-helpers.js';

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
