import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
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

/** The lines of a journal file, each parsed (the header first). */
function linesOf(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A journal with entries a, b, c, d (durable), written and closed. */
function fourEntries(path: string): void {
  const journal = FileJournal.create(path);
  for (const type of ['a', 'b', 'c', 'd']) journal.append({ type, key: type }, true);
  journal.close();
}

function corruption(path: string, options?: Parameters<typeof readJournal>[1]): JournalCorruptError {
  try {
    readJournal(path, options);
  } catch (error) {
    if (error instanceof JournalCorruptError) return error;
    throw error;
  }
  throw new Error(`${path} was read without complaint`);
}

describe('FileJournal', () => {
  it('writes a header, then one JSON line per entry with its chained CRC, and reads them back', () => {
    const path = join(dir, 'runs', 'r1.jsonl');
    const journal = FileJournal.create(path);
    journal.append({ type: 'started', input: { n: 1 } }, true);
    journal.append({ type: 'step', id: 'a', output: 'héllo ✓' }, false);
    journal.close();

    const lines = linesOf(path);
    expect(lines.map(({ crc: _crc, ...rest }) => rest)).toEqual([{ type: 'revo.journal', format: 2 }, { type: 'started', input: { n: 1 } }, { type: 'step', id: 'a', output: 'héllo ✓' }]);
    // Each CRC covers the line without it, seeded by the line before: the same entry on another line has another CRC.
    expect(new Set(lines.map((l) => l.crc)).size).toBe(3);
    for (const line of lines) expect(line.crc).toMatch(/^[0-9a-f]{8}$/);
    const read = readJournal(path);
    expect(read).toMatchObject({
      entries: [
        { type: 'started', input: { n: 1 } },
        { type: 'step', id: 'a', output: 'héllo ✓' },
      ],
      validBytes: statSync(path).size, // bytes, not characters: the output has multi-byte characters
      lines: 3,
      format: 2,
      cutOff: false,
    });
    expect(read.crc).toBe(lines[2]!.crc);
    expect(read.entries[0]).not.toHaveProperty('crc');
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

  it('recovers from a line cut off by a crash: reopen truncates it and appends after the last whole entry, chained on', () => {
    const path = join(dir, 'r1.jsonl');
    const journal = FileJournal.create(path);
    journal.append({ type: 'a' }, true);
    journal.append({ type: 'b', n: 2 }, true);
    journal.close();
    const before = statSync(path).size;
    appendFileSync(path, '{"type":"c","output":{"big":"hal'); // the crash

    const read = readJournal(path);
    expect(read).toMatchObject({ entries: [{ type: 'a' }, { type: 'b', n: 2 }], validBytes: before, lines: 3, cutOff: true });

    const reopened = FileJournal.reopen(path, read);
    reopened.append({ type: 'c', output: 'again' }, true);
    reopened.close();
    expect(linesOf(path).map((l) => l.type)).toEqual(['revo.journal', 'a', 'b', 'c']);
    expect(readJournal(path)).toMatchObject({ entries: [{ type: 'a' }, { type: 'b' }, { type: 'c', output: 'again' }], cutOff: false });
  });

  it('treats a last line without newline as cut off even if it parses, and zero bytes a power loss left too', () => {
    const path = join(dir, 'r1.jsonl');
    fourEntries(path);
    const whole = readFileSync(path);
    const lastStart = whole.lastIndexOf(0x0a, whole.length - 2) + 1;
    writeFileSync(path, whole.subarray(0, whole.length - 1)); // the last line lost its newline
    expect(readJournal(path)).toMatchObject({ entries: [{ type: 'a' }, { type: 'b' }, { type: 'c' }], validBytes: lastStart, cutOff: true });

    // After a power loss some file systems leave the file extended with zero bytes.
    writeFileSync(path, Buffer.concat([whole, Buffer.alloc(64)]));
    expect(readJournal(path)).toMatchObject({ entries: [{ type: 'a' }, { type: 'b' }, { type: 'c' }, { type: 'd' }], validBytes: whole.length, cutOff: true });
  });

  it('reads a journal with only its header', () => {
    const path = join(dir, 'r1.jsonl');
    FileJournal.create(path).close();
    expect(readJournal(path)).toMatchObject({ entries: [], lines: 1, validBytes: statSync(path).size, cutOff: false, format: 2 });
  });

  it('refuses a changed byte, an edited value, a removed, a duplicated or a swapped line, naming the line', () => {
    const path = join(dir, 'r1.jsonl');
    fourEntries(path);
    const original = readFileSync(path, 'utf8');
    const lines = original.split('\n'); // header, a, b, c, d, ''

    const flipped = Buffer.from(original);
    flipped[original.indexOf('"key":"b"') + 7] = 0x63; // b → c, one bit: still valid JSON
    writeFileSync(path, flipped);
    expect(corruption(path)).toMatchObject({ file: path, line: 3, message: expect.stringContaining(`${path}:3: corrupt journal entry (the line fails its integrity check`) });

    writeFileSync(path, original.replace('"key":"c"', '"key":"C"'));
    expect(corruption(path).line).toBe(4);

    writeFileSync(path, [lines[0], lines[1], lines[3], lines[4], ''].join('\n')); // b removed
    expect(corruption(path).line).toBe(3);

    writeFileSync(path, [lines[0], lines[1], lines[2], lines[2], lines[3], lines[4], ''].join('\n')); // b twice
    expect(corruption(path).line).toBe(4);

    writeFileSync(path, [lines[0], lines[1], lines[3], lines[2], lines[4], ''].join('\n')); // b and c swapped
    expect(corruption(path).line).toBe(3);

    writeFileSync(path, [lines[0], lines[1], '{"type":"x","key":"x"}', lines[3], lines[4], ''].join('\n')); // a line without its check
    expect(corruption(path)).toMatchObject({ line: 3, detail: 'the line has no integrity check' });
  });

  it('refuses a damaged last line that ends in a newline: only a line without one is a write cut short', () => {
    const path = join(dir, 'r1.jsonl');
    fourEntries(path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"key":"d"', '"key":"e"'));
    expect(corruption(path).line).toBe(5);
  });

  it('catches a journal cut at a line boundary with the witness its writer kept', () => {
    const path = join(dir, 'r1.jsonl');
    const journal = FileJournal.create(path);
    for (const type of ['a', 'b', 'c', 'd']) journal.append({ type }, true);
    const witness = journal.witness();
    journal.close();
    expect(witness.lines).toBe(5);
    expect(readJournal(path, { witness })).toMatchObject({ lines: 5 });

    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.split('\n').slice(0, 3).join('\n') + '\n'); // header, a, b
    expect(readJournal(path).entries).toHaveLength(2); // every line left is fine on its own…
    expect(corruption(path, { witness })).toMatchObject({ line: 4, detail: expect.stringContaining('ends after 3 lines, but its run had synced 5') });

    // …and a journal replaced by another run's, as long or longer, is caught by the CRC.
    const other = join(dir, 'r2.jsonl');
    const replacement = FileJournal.create(other);
    for (const type of ['a', 'b', 'x', 'd', 'e']) replacement.append({ type }, true);
    replacement.close();
    expect(corruption(other, { witness })).toMatchObject({ line: 5, detail: expect.stringContaining('not the one its run wrote') });
  });

  it('with acceptDamage, stops before the damage and says which completed steps it drops', () => {
    const path = join(dir, 'r1.jsonl');
    const journal = FileJournal.create(path);
    journal.append({ type: 'step.completed', key: 'a' }, true);
    journal.append({ type: 'step.completed', key: 'b' }, true);
    journal.append({ type: 'step.completed', key: 'c' }, true);
    journal.close();
    writeFileSync(path, readFileSync(path, 'utf8').replace('"key":"b"', '"key":"B"'));
    const read = readJournal(path, { acceptDamage: true });
    expect(read.entries).toEqual([{ type: 'step.completed', key: 'a' }]);
    expect(read.damage).toMatchObject({ line: 3, lostSteps: ['B', 'c'] });

    const reopened = FileJournal.reopen(path, read);
    reopened.append({ type: 'step.completed', key: 'b' }, true);
    reopened.close();
    expect(readJournal(path).entries.map((e) => e.key)).toEqual(['a', 'b']);
  });

  it('still reads a journal written before journals were checked (format 1), unchecked, and appends to it in its format', () => {
    const path = join(dir, 'old.jsonl');
    writeFileSync(path, '{"type":"a"}\n{"type":"b"}\n{"type":\n');
    const read = readJournal(path);
    expect(read).toMatchObject({ entries: [{ type: 'a' }, { type: 'b' }], format: 1, crc: undefined, validBytes: 26, cutOff: true });
    const reopened = FileJournal.reopen(path, read);
    reopened.append({ type: 'c' }, true);
    reopened.close();
    expect(readFileSync(path, 'utf8')).toBe('{"type":"a"}\n{"type":"b"}\n{"type":"c"}\n');

    writeFileSync(path, '{"type":"a"}\n[1,2]\n{"type":"d"}\n');
    expect(corruption(path)).toMatchObject({ line: 2, message: expect.stringContaining('not a JSON object') });
  });

  it('refuses a journal of a newer format, saying so', () => {
    const path = join(dir, 'r1.jsonl');
    FileJournal.create(path).close();
    expect(linesOf(path)[0]).toMatchObject({ type: 'revo.journal', format: 2 });
    // A header whose CRC is right, with format 3: as a newer Revo would write it.
    const text = '{"type":"revo.journal","format":3}';
    writeFileSync(path, `${text.slice(0, -1)},"crc":"${crc32(text).toString(16).padStart(8, '0')}"}\n`);
    expect(corruption(path)).toMatchObject({ line: 1, detail: expect.stringContaining('journal format 3 is not one this Revo reads') });
  });

  it('keeps the ENOENT code for a missing journal', () => {
    expect(() => readJournal(join(dir, 'nope.jsonl'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('refuses to reopen a missing journal or past its end', () => {
    expect(() => FileJournal.reopen(join(dir, 'nope.jsonl'), { validBytes: 0, lines: 0, crc: undefined })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    const path = join(dir, 'r1.jsonl');
    writeFileSync(path, '{"type":"a"}\n');
    expect(() => FileJournal.reopen(path, { validBytes: 100, lines: 1, crc: undefined })).toThrow(/13 bytes/);
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
