/**
 * A disk that refuses the journal's writes (full, read-only…), simulated by wrapping
 * node:fs's write calls: the journal keeps what it could not write, retries, and either
 * catches up — the file then holds every entry, in order, checked — or gives up with a
 * StorageError, the file cut back to its last whole line. (test/storage-faults.test.ts
 * does the same with a real full disk and real processes.)
 */
import fs, { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { FileJournal, readJournal, type StorageEvent } from '../../src/local/journal.js';

const realWriteSync = fs.writeSync;
let refuse: string | undefined; // the errno code writes fail with, while set
let partial = false; // write half of the bytes and report it (a short write) instead of throwing

function enospc(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, write`), { code });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revo-storage-'));
  refuse = undefined;
  partial = false;
  (fs as { writeSync: unknown }).writeSync = (fd: number, data: Buffer, ...rest: unknown[]) => {
    if (refuse === undefined) return (realWriteSync as (...args: unknown[]) => number)(fd, data, ...rest);
    if (partial) return realWriteSync(fd, data.subarray(0, Math.floor(data.length / 2)));
    throw enospc(refuse);
  };
  syncBuiltinESMExports();
});
afterEach(() => {
  fs.writeSync = realWriteSync;
  syncBuiltinESMExports();
  rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('FileJournal on a disk that refuses writes', () => {
  for (const shortWrite of [false, true]) {
    it(`keeps the entries in memory, blocks, and writes them all once the disk takes them again (${shortWrite ? 'a short write' : 'ENOSPC thrown'})`, async () => {
      const path = join(dir, 'r.jsonl');
      const events: StorageEvent['state'][] = [];
      const journal = FileJournal.create(path, { retryFor: 10_000, onStorage: (e) => events.push(e.state) });
      journal.append({ type: 'a' }, true);
      refuse = 'ENOSPC';
      partial = shortWrite;
      journal.append({ type: 'b' }, true); // refused: append does not throw
      journal.append({ type: 'c' }, false);
      expect(journal.blocked).toBe(true);
      expect(journal.problem()).toMatchObject({ code: 'ENOSPC', path, message: expect.stringContaining(`cannot write the run journal ${path}: no space left on the device (ENOSPC)`) });
      // The file holds whole lines only: up to `a`.
      expect(readJournal(path)).toMatchObject({ entries: [{ type: 'a' }], cutOff: false });
      let written = false;
      void journal.writable().then(() => (written = true));
      await new Promise((resolve) => setTimeout(resolve, 250)); // a few retries, all refused
      expect(written).toBe(false);
      refuse = undefined;
      await until(() => written, 'the retried write');
      expect(journal.blocked).toBe(false);
      journal.append({ type: 'd' }, true);
      journal.close();
      expect(readJournal(path).entries.map((e) => e.type)).toEqual(['a', 'b', 'c', 'd']);
      expect(events).toEqual(['retrying', 'recovered']);
    });
  }

  it('gives up after retryFor with a StorageError, the file ending at its last whole line', async () => {
    const path = join(dir, 'r.jsonl');
    const events: StorageEvent[] = [];
    const journal = FileJournal.create(path, { retryFor: 300, onStorage: (e) => events.push(e) });
    journal.append({ type: 'a' }, true);
    refuse = 'EROFS';
    journal.append({ type: 'b' }, true);
    const error = await journal.writable().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'EROFS', message: expect.stringMatching(/the file system is read-only \(EROFS\); gave up after retrying/) });
    expect(events.map((e) => e.state)).toEqual(['retrying', 'failed']);
    journal.close();
    refuse = undefined;
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(readJournal(path)).toMatchObject({ entries: [{ type: 'a' }], cutOff: false });
  });

  it('refuses to create a journal the disk will not take, leaving no file', () => {
    refuse = 'ENOSPC';
    const path = join(dir, 'r.jsonl');
    expect(() => FileJournal.create(path)).toThrow(StorageError);
    expect(fs.existsSync(path)).toBe(false);
  });

  it('stops at once when the journal file is deleted under the run', async () => {
    const path = join(dir, 'r.jsonl');
    const journal = FileJournal.create(path);
    journal.append({ type: 'a' }, true);
    rmSync(path);
    journal.append({ type: 'b' }, true);
    expect(journal.blocked).toBe(true);
    await expect(journal.writable()).rejects.toMatchObject({ code: 'ENOENT', message: expect.stringContaining('the file was deleted while the run was running') });
    journal.close();
  });

  it('notices the file deleted while nothing is written (a run waiting for a signal)', async () => {
    const path = join(dir, 'r.jsonl');
    const events: StorageEvent[] = [];
    const journal = FileJournal.create(path, { onStorage: (event) => events.push(event) });
    journal.append({ type: 'a' }, true);
    rmSync(path);
    await until(() => events.length > 0, 'the deletion noticed');
    expect(events).toMatchObject([{ state: 'failed', error: { code: 'ENOENT' } }]);
    expect(journal.blocked).toBe(true);
    journal.close();
  });
});
