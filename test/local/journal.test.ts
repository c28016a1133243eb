import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileJournal, JournalCorruptError, MemoryJournal, readJournal } from '../../src/local/journal.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const JOURNAL_MODULE = fileURLToPath(new URL('../../src/local/journal.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revo-journal-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('FileJournal', () => {
  it('writes one JSON line per entry, creating the directory, and reads them back', () => {
    const path = join(dir, 'runs', 'r1.jsonl');
    const journal = FileJournal.create(path);
    journal.append({ type: 'started', input: { n: 1 } }, true);
    journal.append({ type: 'step', id: 'a', output: 'héllo ✓' }, false);
    journal.close();

    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toEqual(['{"type":"started","input":{"n":1}}', '{"type":"step","id":"a","output":"héllo ✓"}', '']);
    expect(readJournal(path)).toEqual({
      entries: [
        { type: 'started', input: { n: 1 } },
        { type: 'step', id: 'a', output: 'héllo ✓' },
      ],
      validBytes: statSync(path).size, // bytes, not characters: the output has multi-byte characters
      cutOff: false,
    });
  });

  it('refuses to create a journal that exists, leaving it intact', () => {
    const path = join(dir, 'r1.jsonl');
    FileJournal.create(path).close();
    writeFileSync(path, '{"type":"x"}\n');
    expect(() => FileJournal.create(path)).toThrow(/already exists/);
    expect(readFileSync(path, 'utf8')).toBe('{"type":"x"}\n');
  });

  it('refuses appends after close', () => {
    const journal = FileJournal.create(join(dir, 'r1.jsonl'));
    journal.close();
    journal.close(); // idempotent
    expect(() => journal.append({ type: 'late' }, false)).toThrow(/closed/);
  });

  it('recovers from a line cut off by a crash: reopen truncates it and appends after the last whole entry', () => {
    const path = join(dir, 'r1.jsonl');
    const journal = FileJournal.create(path);
    journal.append({ type: 'a' }, true);
    journal.append({ type: 'b', n: 2 }, true);
    journal.close();
    const before = statSync(path).size;
    appendFileSync(path, '{"type":"c","output":{"big":"hal'); // the crash

    const read = readJournal(path);
    expect(read).toEqual({ entries: [{ type: 'a' }, { type: 'b', n: 2 }], validBytes: before, cutOff: true });

    const reopened = FileJournal.reopen(path, read.validBytes);
    reopened.append({ type: 'c', output: 'again' }, true);
    reopened.close();
    expect(readFileSync(path, 'utf8')).toBe('{"type":"a"}\n{"type":"b","n":2}\n{"type":"c","output":"again"}\n');
    expect(readJournal(path)).toMatchObject({ entries: [{ type: 'a' }, { type: 'b' }, { type: 'c' }], cutOff: false });
  });

  it('treats a last line without newline as cut off even if it parses, and a garbage last line too', () => {
    const path = join(dir, 'r1.jsonl');
    writeFileSync(path, '{"type":"a"}\n{"type":"b"}');
    expect(readJournal(path)).toEqual({ entries: [{ type: 'a' }], validBytes: 13, cutOff: true });

    // After a power loss some file systems leave the file extended with zero bytes.
    writeFileSync(path, Buffer.concat([Buffer.from('{"type":"a"}\n'), Buffer.alloc(64)]));
    expect(readJournal(path)).toEqual({ entries: [{ type: 'a' }], validBytes: 13, cutOff: true });

    writeFileSync(path, '{"type":"a"}\n{"type":\n');
    expect(readJournal(path)).toEqual({ entries: [{ type: 'a' }], validBytes: 13, cutOff: true });
  });

  it('reads an empty journal', () => {
    const path = join(dir, 'r1.jsonl');
    FileJournal.create(path).close();
    expect(readJournal(path)).toEqual({ entries: [], validBytes: 0, cutOff: false });
  });

  it('throws JournalCorruptError naming the file and line for a bad line that is not the last', () => {
    const path = join(dir, 'r1.jsonl');
    writeFileSync(path, '{"type":"a"}\n{"type":"b"}\n{"type":"c"\n{"type":"d"}\n');
    let error: unknown;
    try {
      readJournal(path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect(error).toMatchObject({ file: path, line: 3 });
    expect((error as Error).message).toContain(`${path}:3`);

    writeFileSync(path, '{"type":"a"}\n[1,2]\n{"type":"d"}\n');
    expect(() => readJournal(path)).toThrow(expect.objectContaining({ line: 2, message: expect.stringContaining('not a JSON object') }));
  });

  it('keeps the ENOENT code for a missing journal', () => {
    expect(() => readJournal(join(dir, 'nope.jsonl'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('refuses to reopen a missing journal or past its end', () => {
    expect(() => FileJournal.reopen(join(dir, 'nope.jsonl'), 0)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    const path = join(dir, 'r1.jsonl');
    writeFileSync(path, '{"type":"a"}\n');
    expect(() => FileJournal.reopen(path, 100)).toThrow(/13 bytes/);
    expect(readFileSync(path, 'utf8')).toBe('{"type":"a"}\n');
    expect(existsSync(path)).toBe(true);
  });

  function killedAfter(path: string, body: string) {
    const script = `
      import { FileJournal } from ${JSON.stringify(JOURNAL_MODULE)};
      const journal = FileJournal.create(${JSON.stringify(path)});
      ${body}
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const read = readJournal(path);
    expect(read.cutOff).toBe(false);
    return read.entries.map((e) => e.i);
  }

  it('keeps every non-durable entry once the event loop has turned, when the process is then killed with SIGKILL', () => {
    const kept = killedAfter(
      join(dir, 'r1.jsonl'),
      `for (let i = 0; i < 1000; i++) journal.append({ type: 'step', i }, false);
       setImmediate(() => process.kill(process.pid, 'SIGKILL'));`,
    );
    expect(kept).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('writes the batched entries before a durable one, in order', () => {
    const kept = killedAfter(
      join(dir, 'r2.jsonl'),
      `for (let i = 0; i < 999; i++) journal.append({ type: 'step', i }, false);
       journal.append({ type: 'fact', i: 999 }, true);
       process.kill(process.pid, 'SIGKILL');`,
    );
    expect(kept).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('MemoryJournal', () => {
  it('collects entries in order and refuses appends after close', () => {
    const journal = new MemoryJournal();
    journal.append({ type: 'a' }, true);
    journal.append({ type: 'b' }, false);
    expect(journal.entries).toEqual([{ type: 'a' }, { type: 'b' }]);
    journal.close();
    expect(() => journal.append({ type: 'c' }, false)).toThrow(/closed/);
  });
});
