/**
 * `revo replay` and `revo rerun` as a user runs them: a run killed with SIGKILL and
 * resumed replays identically from its journal or its export, without running anything
 * or writing a byte; an edited definition is caught at the step it changes; a rerun is a
 * new run with the same input and definition (or, with --current, the file as it is now).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, startRun, until, WORKFLOW, workspace, type Workspace } from '../process-helpers.js';

/** A run of WORKFLOW killed during its sleep, sent its signal, and resumed to the end. */
async function killedAndResumed(): Promise<{ ws: Workspace; runId: string }> {
  const ws = workspace({ 'crashy.yaml': WORKFLOW, 'effects.mjs': ACTIVITIES });
  const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs']);
  await until(() => ws.effects().includes('done b'), 'step b');
  run.child.kill('SIGKILL');
  await run.exited;
  expect(ws.revo(['signal', run.runId, 'go', '{"n": 7}']).status).toBe(0);
  const resumed = ws.revo(['resume', run.runId, '-q']);
  expect(resumed.status, resumed.stderr).toBe(0);
  return { ws, runId: run.runId };
}

/** Every file under the runs directory with its contents: replay must change none. */
function runsDir(ws: Workspace): Record<string, string> {
  const dir = join(ws.env.REVO_HOME, 'runs');
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('revo replay', () => {
  it('rebuilds a killed-and-resumed run from its journal and from its export, identically, without side effects', async () => {
    const { ws, runId } = await killedAndResumed();
    const effects = ws.effects();
    const files = runsDir(ws);

    const replay = ws.revo(['replay', runId]);
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`replay of run ${runId} \\(local journal\\): workflow crashy, completed`));
    for (const step of ['a', 'b', 'nap', 'c', 'gate', 'd']) expect(replay.stdout).toMatch(new RegExp(`✓ ${step}  `));
    expect(replay.stdout).toMatch(/✓ replays identically: 6 steps/);
    expect(ws.effects()).toEqual(effects);
    expect(runsDir(ws)).toEqual(files);

    const exported = ws.revo(['history', runId, '--json']);
    writeFileSync(join(ws.dir, 'run.json'), exported.stdout);
    const fromFile = ws.revo(['replay', 'run.json', '--json']);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    const verdict = JSON.parse(fromFile.stdout) as { identical: boolean; steps: { key: string; status: string }[]; divergence: unknown };
    expect(verdict).toMatchObject({ identical: true, divergence: null });
    expect(verdict.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['a:completed', 'b:completed', 'nap:completed', 'c:completed', 'gate:completed', 'd:completed']);
    expect(ws.effects()).toEqual(effects);
  }, 30_000);

  it('reports the first step a deliberately changed definition would do differently, and exits 1', async () => {
    const { ws, runId } = await killedAndResumed();
    const file = join(ws.dir, 'crashy.yaml');
    const changes: [string, string, RegExp][] = [
      ['an activity swapped', WORKFLOW.replace('{ id: c, call: test.effect, with: { step: c } }', '{ id: c, call: core.echo, with: { step: c } }'), /step "c": the recorded run called test\.effect; this definition calls core\.echo/],
      ['a step removed', WORKFLOW.replace('  - { id: nap, sleep: 1s }\n', ''), /step "nap" \(sleep\) ran in the recorded run; this definition does not reach it/],
      ['a step inserted', WORKFLOW.replace('  - { id: nap, sleep: 1s }\n', '  - { id: nap, sleep: 1s }\n  - { id: extra, set: { x: 1 } }\n'), /step "extra" \(set\) runs here with this definition/],
    ];
    for (const [what, text, message] of changes) {
      writeFileSync(file, text);
      const unchanged = ws.revo(['replay', runId]);
      expect(unchanged.status, `${what}: the recorded definition still replays`).toBe(0);
      expect(unchanged.stdout).toContain('has changed since this run');
      const current = ws.revo(['replay', runId, '--current']);
      expect(current.status, what).toBe(1);
      expect(current.stdout, what).toMatch(message);
      writeFileSync(join(ws.dir, 'other.yaml'), text);
      const other = ws.revo(['replay', runId, '--definition', 'other.yaml', '--json']);
      expect(other.status, what).toBe(1);
      expect((JSON.parse(other.stdout) as { divergence: { message: string } }).divergence.message).toMatch(message);
    }
  }, 30_000);

  it('refuses what it cannot replay with a clear message (exit 2)', async () => {
    const ws = workspace({ 'crashy.yaml': WORKFLOW, 'effects.mjs': ACTIVITIES, 'junk.json': '{"hello": 1}', 'notjson.json': 'revo: 1' });
    for (const [args, message] of [
      [['replay', 'junk.json'], /neither a Revo history export .* nor a Temporal history/],
      [['replay', 'notjson.json'], /is not JSON/],
      [['replay', 'missing.json'], /cannot read missing\.json: no such file/],
      [['replay', 'no-such-run', '--address', '127.0.0.1:1'], /no run "no-such-run"/],
    ] as const) {
      const result = ws.revo([...args]);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('revo rerun', () => {
  it('starts a new run with the recorded input and definition, even after the file changed; --current uses the file as it is now', async () => {
    const { ws, runId } = await killedAndResumed();
    const original = JSON.parse(ws.revo(['history', runId, '--json']).stdout) as { hash: string; trigger: { input: unknown } };
    // A new definition: the last step now sends `m` too. The rerun keeps the recorded one.
    writeFileSync(join(ws.dir, 'crashy.yaml'), WORKFLOW.replace('with: { step: d, n: { var: go.n } }', 'with: { step: d, n: { var: go.n }, m: 1 }').replace('n: { type: integer } } }', 'n: { type: integer }, m: { type: integer } } }'));
    const sendSignal = (rerunStderr: () => string) => until(() => /run (\S+) started/.test(rerunStderr()), 'the rerun');

    const rerun = await startRerun(ws, [runId, '--json']);
    await sendSignal(rerun.stderr);
    await until(() => ws.revo(['query', rerun.runId()]).stdout.includes('"gate"'), 'the rerun to wait');
    expect(ws.revo(['signal', rerun.runId(), 'go', '{"n": 8}']).status).toBe(0);
    expect(await rerun.exited).toBe(0);
    const record = JSON.parse(rerun.stdout()) as { runId: string; hash: string; trigger: { by: string; input: unknown }; output: unknown; steps: { id: string; input?: unknown }[] };
    expect(record.runId).not.toBe(runId);
    expect(record).toMatchObject({ hash: original.hash, trigger: { by: `rerun:${runId}`, input: original.trigger.input }, output: { n: 8 } });
    expect(record.steps.find((s) => s.id === 'd')?.input).toEqual({ step: 'd', n: 8 });

    const current = await startRerun(ws, [runId, '--current', '--json']);
    await sendSignal(current.stderr);
    await until(() => ws.revo(['query', current.runId()]).stdout.includes('"gate"'), 'the rerun to wait');
    expect(ws.revo(['signal', current.runId(), 'go', '{"n": 9}']).status).toBe(0);
    expect(await current.exited).toBe(0);
    const changed = JSON.parse(current.stdout()) as { hash: string; steps: { id: string; input?: unknown }[] };
    expect(changed.hash).not.toBe(original.hash);
    expect(changed.steps.find((s) => s.id === 'd')?.input).toEqual({ step: 'd', n: 9, m: 1 });
  }, 40_000);
});

describe('revo rerun --from', () => {
  it('re-runs from a step without repeating the effects, sleep or signal before it, marks them reused, and refuses bad input with exit 2 and no run', async () => {
    const { ws, runId } = await killedAndResumed();
    const effects = ws.effects().length;
    const runs = readdirSync(join(ws.env.REVO_HOME, 'runs')).sort();
    for (const [args, message] of [
      [['--from', 'nope'], /cannot re-run .* from step "nope": workflow "crashy" has no step "nope"; nothing was run/],
      [['--from', 'd', '--definition', 'missing.yaml'], /no such file: missing\.yaml/],
      [['--from', 'd', '--current', '--definition', 'crashy.yaml'], /give either --definition or --current, not both/],
    ] as const) {
      const refused = ws.revo(['rerun', runId, ...args]);
      expect(refused.status, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(message);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    }
    expect(ws.revo(['rerun', 'crashy-20990101-000000-none', '--from', 'd']).status).toBe(2);
    expect(readdirSync(join(ws.env.REVO_HOME, 'runs')).sort()).toEqual(runs);

    // No signal is sent: the wait before `d` answers with the payload it got.
    const rerun = ws.revo(['rerun', runId, '--from', 'd', '--json', '--activities', 'effects.mjs']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/from step "d" with its recorded definition: 5 steps before it answered from the recorded run/);
    const record = JSON.parse(rerun.stdout) as { runId: string; trigger: { by: string }; rerun: unknown; output: unknown; steps: { key: string; reused?: boolean }[] };
    expect(record).toMatchObject({ trigger: { by: `rerun:${runId}@d` }, rerun: { of: runId, from: 'd' }, output: { n: 7 } });
    expect(record.steps.filter((s) => s.reused).map((s) => s.key)).toEqual(['a', 'b', 'nap', 'c', 'gate']);
    expect(ws.effects().slice(effects)).toEqual(['start d', 'done d']);
    const history = ws.revo(['history', record.runId]);
    expect(history.stdout).toMatch(new RegExp(`rerun +of ${runId} from step d`));
    expect(history.stdout).toMatch(/✓ gate {2}wait · .*reused/);
    expect(history.stdout).not.toMatch(/✓ d {2}.*reused/);
  }, 40_000);
});

/** `revo rerun` in the background (it waits for a signal). */
async function startRerun(ws: Workspace, args: string[]) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'revo.js'), 'rerun', ...args], { cwd: ws.dir, env: ws.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { exited, stdout: () => stdout, stderr: () => stderr, runId: () => /run (\S+) started/.exec(stderr)?.[1] ?? '' };
}
