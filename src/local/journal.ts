/**
 * The durable, append-only run journal `.revo/runs/<runId>.jsonl`: one JSON object
 * per line. The local engine replays it to resume a killed run, so an entry is
 * either wholly in the file or not at all: each is written with one write syscall,
 * and a reader treats a torn last line (a crash mid-write) as never written.
 */
import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

import type { JournalEntry } from '../sandboxed/facts.js';

export type { JournalEntry };

/** Where the local runtime appends its entries: a file for real runs, memory for tests and benchmarks. */
export interface Journal {
  /**
   * Appends one entry. durable=true: synced to the disk before returning (the entry
   * survives power loss), together with every entry before it; durable=false: handed
   * to the OS before the event loop next turns (batched; an entry nothing depends on
   * may be lost to a SIGKILL in the same turn, and a resume writes it again).
   */
  append(entry: JournalEntry, durable: boolean): void;
  close(): void;
}

/** Batched entries are written at the latest when they reach this size. */
const FLUSH_AT = 64 * 1024;

/** A journal file kept open for appending; append() is on the hot path: synchronous, batched into few writes. */
export class FileJournal implements Journal {
  private fd: number;
  private pending = '';
  private flushScheduled = false;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Creates a new journal file (and its directory); fails if the file exists, so two runs never share one. */
  static create(path: string): FileJournal {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, 0o644);
    } catch (err) {
      if (errorCode(err) === 'EEXIST') throw new Error(`journal ${path} already exists`, { cause: err });
      throw err;
    }
    syncDirectory(dir); // the new file's name must survive power loss, not only its contents
    return new FileJournal(path, fd);
  }

  /**
   * Opens an existing journal to append after its first `validBytes` bytes (from
   * readJournal), dropping a line a crash cut off so the next entry starts on a line
   * of its own.
   */
  static reopen(path: string, validBytes: number): FileJournal {
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
    try {
      const size = fstatSync(fd).size;
      if (!Number.isInteger(validBytes) || validBytes < 0 || validBytes > size) {
        throw new Error(`cannot reopen journal ${path} at byte ${validBytes}: the file has ${size} bytes`);
      }
      if (validBytes < size) {
        ftruncateSync(fd, validBytes);
        fsyncSync(fd);
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return new FileJournal(path, fd);
  }

  append(entry: JournalEntry, durable: boolean): void {
    if (this.fd < 0) throw new Error(`journal ${this.path} is closed`);
    this.pending += JSON.stringify(entry) + '\n';
    if (durable) {
      this.flush();
      fdatasyncSync(this.fd);
    } else if (this.pending.length >= FLUSH_AT) {
      this.flush();
    } else if (!this.flushScheduled) {
      // Entries nothing depends on are batched with the next one (one write instead of
      // several); they reach the OS before the event loop turns, or with the next durable one.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (this.fd >= 0) this.flush();
      });
    }
  }

  /** Hands the batched entries to the OS in one write. */
  flush(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    const written = writeSync(this.fd, text);
    // A regular file takes the whole text unless the disk is full or a quota is hit;
    // a torn line would be read back as a cut-off tail, so the entries must count as failed.
    const bytes = Buffer.byteLength(text);
    if (written !== bytes) {
      this.dropTail(written); // so the next entry does not land after a torn line
      throw new Error(`journal ${this.path}: short write (${written} of ${bytes} bytes)`);
    }
  }

  private dropTail(bytes: number): void {
    try {
      ftruncateSync(this.fd, fstatSync(this.fd).size - bytes);
    } catch {
      // the reader still treats a torn last line as cut off
    }
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    const fd = this.fd;
    this.fd = -1;
    closeSync(fd);
  }
}

/**
 * A journal that keeps entries in memory, for tests and benchmarks. Entries are kept
 * by reference (the file journal serialises them at once): do not mutate an entry
 * after appending it.
 */
export class MemoryJournal implements Journal {
  readonly entries: JournalEntry[] = [];
  private closed = false;

  append(entry: JournalEntry, _durable: boolean): void {
    if (this.closed) throw new Error('journal is closed');
    this.entries.push(entry);
  }

  close(): void {
    this.closed = true;
  }
}

export interface JournalContents {
  entries: JournalEntry[];
  /** Bytes up to the end of the last complete, parsable line: where FileJournal.reopen continues. */
  validBytes: number;
  /** True when the file ended in a partial or unparsable last line (a crash mid-write); that tail is ignored. */
  cutOff: boolean;
}

/** A journal line that does not parse and is not the last one: the file was damaged, not merely cut off by a crash. */
export class JournalCorruptError extends Error {
  override readonly name = 'JournalCorruptError';

  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: corrupt journal entry (${detail})`);
  }
}

/**
 * Reads a journal. A last line without '\n', or one that does not parse, is a
 * cut-off tail (cutOff: true) and is ignored. An unparsable line before the last one
 * throws JournalCorruptError. A missing file throws the fs error (err.code 'ENOENT').
 */
export function readJournal(path: string): JournalContents {
  const bytes = readFileSync(path);
  const entries: JournalEntry[] = [];
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    line++;
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const parsed = parseEntry(bytes.toString('utf8', start, end));
    const isLast = newline < 0 || newline + 1 === bytes.length;
    if (newline < 0 || typeof parsed === 'string') {
      if (isLast) return { entries, validBytes: start, cutOff: true };
      throw new JournalCorruptError(path, line, typeof parsed === 'string' ? parsed : 'unterminated line');
    }
    entries.push(parsed);
    start = newline + 1;
  }
  return { entries, validBytes: start, cutOff: false };
}

/** The entry on a line, or why it is not one. */
function parseEntry(text: string): JournalEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  if (typeof (value as { type?: unknown }).type !== 'string') return 'no string "type" field';
  return value as JournalEntry;
}

/** fsync a directory so an entry created in it is durable; not supported everywhere (Windows), where it is skipped. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function errorCode(err: unknown): unknown {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
