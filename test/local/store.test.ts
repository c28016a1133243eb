import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AmbiguousRunError, RunLockedError, RunStore, UnknownRunError } from '../../src/local/store.js';

let home: string;
let store: RunStore;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'revo-store-'));
  store = new RunStore(home);
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** A journal file for a run, modified `ageSeconds` ago. */
function addRun(id: string, ageSeconds = 0): void {
  mkdirSync(store.runsDir, { recursive: true });
  const path = store.journalPath(id);
  writeFileSync(path, '{"type":"started"}\n');
  const time = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(path, time, time);
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('RunStore paths', () => {
  it('keeps runs under <home>/runs, home defaulting to REVO_HOME, else .revo, resolved against the cwd', () => {
    expect(store.runsDir).toBe(join(home, 'runs'));
    expect(store.journalPath('r1')).toBe(join(home, 'runs', 'r1.jsonl'));
    expect(store.inboxPath('r1')).toBe(join(home, 'runs', 'r1.inbox.jsonl'));
    expect(store.statePath('r1')).toBe(join(home, 'runs', 'r1.state.json'));

    const saved = process.env.REVO_HOME;
    try {
      process.env.REVO_HOME = 'custom-home';
      expect(new RunStore().runsDir).toBe(join(process.cwd(), 'custom-home', 'runs'));
      delete process.env.REVO_HOME;
      expect(new RunStore().runsDir).toBe(join(process.cwd(), '.revo', 'runs'));
    } finally {
      if (saved === undefined) delete process.env.REVO_HOME;
      else process.env.REVO_HOME = saved;
    }
  });

  it('refuses ids that could escape the runs dir', () => {
    for (const id of ['../etc/passwd', '..', 'a/b', 'a\\b', '/abs', '.hidden', '', 'a..b', 'x\0y']) {
      expect(() => store.journalPath(id), id).toThrow(UnknownRunError);
      expect(() => store.resolve(id), id).toThrow(UnknownRunError);
      expect(() => store.lock(id), id).toThrow(UnknownRunError);
      expect(() => store.writeState(id, {}), id).toThrow(UnknownRunError);
    }
    expect(existsSync(join(home, 'etc'))).toBe(false);
  });
});

describe('RunStore.newRunId', () => {
  it('makes <workflow>-<YYYYMMDD-HHMMSS>-<4 base36> in UTC', () => {
    const id = store.newRunId('order-fulfilment', new Date('2026-03-04T05:06:07.890Z'));
    expect(id).toMatch(/^order-fulfilment-20260304-050607-[0-9a-z]{4}$/);
    expect(store.newRunId('Odd Name!', new Date(0))).toMatch(/^odd-name-19700101-000000-[0-9a-z]{4}$/);
  });

  it('makes distinct ids for runs started in the same second', () => {
    const now = new Date('2026-03-04T05:06:07Z');
    const ids = new Set(Array.from({ length: 200 }, () => store.newRunId('w', now)));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(() => store.journalPath(id)).not.toThrow();
  });
});

describe('RunStore.lock', () => {
  it('claims a run with our pid and releases it', () => {
    const release = store.lock('r1');
    expect(readFileSync(join(store.runsDir, 'r1.lock'), 'utf8').trim()).toBe(String(process.pid));
    expect(store.holder('r1')).toBe(process.pid);
    expect(() => store.lock('r1')).toThrow(new RunLockedError(`run r1 is still running in process ${process.pid}`));
    release();
    release(); // idempotent
    expect(store.holder('r1')).toBeUndefined();
    expect(readdirSync(store.runsDir)).toEqual([]); // no lock, no temporary files left
    store.lock('r1')();
  });

  it('refuses a run held by another live process', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      mkdirSync(store.runsDir, { recursive: true });
      writeFileSync(join(store.runsDir, 'r1.lock'), `${child.pid}\n`);
      expect(store.holder('r1')).toBe(child.pid);
      expect(() => store.lock('r1')).toThrow(`run r1 is still running in process ${child.pid}`);
      expect(readFileSync(join(store.runsDir, 'r1.lock'), 'utf8').trim()).toBe(String(child.pid));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process, or one without a pid', () => {
    mkdirSync(store.runsDir, { recursive: true });
    const lockFile = join(store.runsDir, 'r1.lock');
    writeFileSync(lockFile, `${deadPid()}\n`);
    expect(store.holder('r1')).toBeUndefined();
    const release = store.lock('r1');
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    release();

    writeFileSync(lockFile, '');
    store.lock('r1')();
    expect(readdirSync(store.runsDir)).toEqual([]);
  });

  it('does not remove a lock that another process has taken over', () => {
    const release = store.lock('r1');
    const lockFile = join(store.runsDir, 'r1.lock');
    writeFileSync(lockFile, '999999999\n'); // someone else's now
    release();
    expect(existsSync(lockFile)).toBe(true);
  });
});

describe('RunStore state', () => {
  it('writes and reads a snapshot, replacing it whole', () => {
    expect(store.readState('r1')).toBeUndefined();
    store.writeState('r1', { status: 'running', step: 'a' });
    store.writeState('r1', { status: 'completed', output: [1, 2] });
    expect(store.readState('r1')).toEqual({ status: 'completed', output: [1, 2] });
    expect(readdirSync(store.runsDir)).toEqual(['r1.state.json']);
  });

  it('treats a torn snapshot as none', () => {
    mkdirSync(store.runsDir, { recursive: true });
    writeFileSync(store.statePath('r1'), '{"status":"runn');
    expect(store.readState('r1')).toBeUndefined();
  });
});

describe('RunStore.list and resolve', () => {
  it('lists nothing when there is no runs dir', () => {
    expect(store.list()).toEqual([]);
    expect(() => store.resolve('abc')).toThrow(UnknownRunError);
  });

  it('lists runs with a journal, newest first', () => {
    addRun('old-run', 300);
    addRun('new-run', 0);
    addRun('mid-run', 100);
    writeFileSync(store.inboxPath('old-run'), '');
    store.writeState('orphan', {});
    writeFileSync(join(store.runsDir, 'notes.txt'), '');
    expect(store.list()).toEqual(['new-run', 'mid-run', 'old-run']);
  });

  it('resolves an exact id or a unique prefix, like git', () => {
    addRun('deploy-20260101-000000-aaaa');
    addRun('deploy-20260101-000000-aaaa2');
    addRun('deploy-20260102-000000-bbbb');
    addRun('orders-20260101-000000-cccc');

    expect(store.resolve('orders')).toBe('orders-20260101-000000-cccc');
    expect(store.resolve('deploy-20260102')).toBe('deploy-20260102-000000-bbbb');
    expect(store.resolve('deploy-20260101-000000-aaaa')).toBe('deploy-20260101-000000-aaaa'); // exact wins over the longer one

    expect(() => store.resolve('missing')).toThrow(UnknownRunError);
    expect(() => store.resolve('missing')).toThrow(/revo runs/);

    let error: unknown;
    try {
      store.resolve('deploy-20260101');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AmbiguousRunError);
    const listed = (error as Error).message.split('\n').slice(1).map((line) => line.trim());
    expect(listed.sort()).toEqual(['deploy-20260101-000000-aaaa', 'deploy-20260101-000000-aaaa2']);
  });
});
