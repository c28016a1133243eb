/**
 * Storage faults as an operator meets them, through real `revo` processes: a runs
 * directory that refuses new files (before a run starts), and a disk that fills while a
 * run runs — a real small tmpfs when this machine lets us mount one, else the same
 * ENOSPC simulated in the process (test/fixtures/faults/disk-full.mjs). Either way:
 * a clear message, no stack trace, nothing repeated, nothing lost.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIVITIES, startRun, until, workspace, type Workspace } from './process-helpers.js';

// Outputs of 8 kB: on a tmpfs, a journal line must need new pages for a full disk to refuse it.
const BIG_OUTPUTS = ACTIVITIES.replace('return { step: input.step };', "return { step: input.step, pad: 'x'.repeat(8192) };");

const THREE_STEPS = `revo: 1
name: three
steps:
  - { id: a, call: test.effect, with: { step: a } }
  - { id: b, call: test.effect, with: { step: b } }
  - { id: c, call: test.effect, with: { step: c } }
output: { done: true }
`;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function count(lines: string[], line: string): number {
  return lines.filter((l) => l === line).length;
}

/** Makes `dir` refuse new files: immutable (chattr +i, as root), else not writable (chmod). */
function refuseNewFiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const immutable = process.getuid?.() === 0 && spawnSync('chattr', ['+i', dir]).status === 0;
  if (immutable) cleanups.push(() => spawnSync('chattr', ['-i', dir]));
  else {
    chmodSync(dir, 0o555);
    cleanups.push(() => chmodSync(dir, 0o755));
  }
}

type DiskKind = 'tmpfs' | 'simulated';

/** Whether this machine lets the tests mount a tmpfs (root in a container that allows it). */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'revo-mount-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return mounted;
}

/** The simulation always runs; the real full disk too where it can be mounted. */
const DISKS: DiskKind[] = canMountTmpfs() ? ['tmpfs', 'simulated'] : ['simulated'];

/** A disk that can be filled and emptied: a 1 MB tmpfs mounted at REVO_HOME, or the simulation. */
function fillableDisk(ws: Workspace, kind: DiskKind): { kind: DiskKind; fill: () => void; free: () => void } {
  const home = ws.env.REVO_HOME;
  mkdirSync(home, { recursive: true });
  if (kind === 'tmpfs') {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', home]).status !== 0) throw new Error(`cannot mount a tmpfs at ${home}`);
    cleanups.push(() => spawnSync('umount', ['-l', home]));
    const filler = join(home, 'filler');
    return {
      kind: 'tmpfs',
      fill: () => {
        const fd = openSync(filler, 'w');
        try {
          for (;;) writeSync(fd, Buffer.alloc(16 * 1024));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        } finally {
          closeSync(fd);
        }
      },
      free: () => rmSync(filler, { force: true }),
    };
  }
  const flag = join(ws.dir, 'disk-full');
  ws.env.NODE_OPTIONS = `--import=${join(import.meta.dirname, 'fixtures', 'faults', 'disk-full.mjs')}`;
  ws.env.REVO_TEST_DISK_FULL = flag;
  return { kind: 'simulated', fill: () => writeFileSync(flag, ''), free: () => rmSync(flag, { force: true }) };
}

describe('storage faults', () => {
  it('a runs directory that refuses the journal: exit 2 naming the path and the cause, and no run created', () => {
    const ws = workspace({ 'three.yaml': THREE_STEPS, 'effects.mjs': ACTIVITIES });
    const runs = join(ws.env.REVO_HOME, 'runs');
    refuseNewFiles(runs);
    const result = ws.revo(['run', 'three.yaml', '--activities', 'effects.mjs']);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`cannot create the run journal ${runs}/three-[^:]+\\.jsonl: .*\\((EPERM|EACCES)\\); no run was created`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(ws.effects()).toEqual([]);
    expect(readdirSync(runs)).toEqual([]);
  });

  for (const kind of DISKS) {
  it(`a disk that fills mid-run (${kind}): the run waits (nothing new starts), says so, and goes on once there is room again`, async () => {
    const ws = workspace({ 'three.yaml': THREE_STEPS, 'effects.mjs': BIG_OUTPUTS });
    const disk = fillableDisk(ws, kind);
    const run = await startRun(ws, ['three.yaml', '--activities', 'effects.mjs']);
    await until(() => ws.effects().includes('start b'), 'step b under way');
    disk.fill(); // b's completion cannot be journaled
    await until(() => /no space left on the device \(ENOSPC\); run \S+ waits and retries/.test(run.stderr()), `the retry notice (${disk.kind} disk)`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(ws.effects(), 'c must wait for b to be journaled').not.toContain('start c');
    disk.free();
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/is written again; the run goes on/);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    for (const step of ['a', 'b', 'c']) expect(count(ws.effects(), `start ${step}`), `${step} (${disk.kind} disk)`).toBe(1);
    const history = ws.revo(['history', run.runId, '--json']);
    expect(history.status, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject({ status: 'completed', output: { done: true } });
  }, 60_000);

  it(`a disk that stays full (${kind}): the run stops with exit 2 and the command to continue it, and revo resume finishes it exactly`, async () => {
    const ws = workspace({ 'three.yaml': THREE_STEPS, 'effects.mjs': BIG_OUTPUTS });
    const disk = fillableDisk(ws, kind);
    ws.env.REVO_STORAGE_RETRY = '1s';
    const run = await startRun(ws, ['three.yaml', '--activities', 'effects.mjs']);
    await until(() => ws.effects().includes('start b'), 'step b under way');
    disk.fill();
    expect(await run.exited, run.stderr()).toBe(2);
    expect(run.stderr()).toMatch(new RegExp(`gave up after retrying for 1 s\\. Run ${run.runId} stopped; its journal is whole up to its last written entry: fix the disk, then continue it with \`revo resume ${run.runId}\``));
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    expect(ws.effects()).not.toContain('start c');
    disk.free();
    delete ws.env.NODE_OPTIONS;
    const resumed = ws.revo(['resume', run.runId, '--activities', 'effects.mjs', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed' });
    // a completed before the fault and ran once; b's completion was never journaled, so b ran again (at least once, as documented); c once.
    expect(count(ws.effects(), 'start a')).toBe(1);
    expect(count(ws.effects(), 'start b')).toBe(2);
    expect(count(ws.effects(), 'start c')).toBe(1);
    expect(existsSync(join(ws.env.REVO_HOME, 'runs', `${run.runId}.lock`))).toBe(false);
  }, 60_000);
  }
});
