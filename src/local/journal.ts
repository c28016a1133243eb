/**
 * The durable, append-only run journal `.revo/runs/<runId>.jsonl`: one JSON object
 * per line. The local engine replays it to resume a killed run, so an entry is
 * either wholly in the file or not at all: each is written with one write syscall,
 * and a reader treats a torn last line (a crash mid-write) as never written.
 *
 * A journal cannot lie (docs/reliability.md#damaged-journals): its first line is a
 * header, and every line ends in a `crc` field, the CRC-32 of the line without it,
 * chained to the line before (the previous line's CRC seeds the next), so a changed
 * byte, an edited value, a removed or reordered line fails the check at that line.
 * A cut at a line boundary leaves a valid prefix; the run's state file holds a
 * witness (how many lines were synced, and their CRC) that catches it.
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
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';

import type { JournalEntry } from '../sandboxed/facts.js';
import { StorageError } from '../errors.js';

export type { JournalEntry };

/** Where the local runtime appends its entries: a file for real runs, memory for tests and benchmarks. */
export interface Journal {
  /**
   * Appends one entry. durable=true: synced to the disk before returning (the entry
   * survives power loss), together with every entry before it; durable=false: handed
   * to the OS before the event loop next turns (batched; an entry nothing depends on
   * may be lost to a SIGKILL in the same turn, and a resume writes it again).
   * When the disk refuses a write, the entry is kept in memory and written by retries
   * (see `blocked`); append itself never throws for a storage fault.
   */
  append(entry: JournalEntry, durable: boolean): void;
  /** True while entries wait in memory for the disk: nothing new may start until `writable()` resolves. */
  readonly blocked: boolean;
  /** Resolves once every entry appended so far is written; rejects with StorageError when the retries gave up. */
  writable(): Promise<void>;
  /** What a reader can check this journal against later: its synced lines and their CRC (undefined for memory). */
  witness(): JournalWitness | undefined;
  /** Why it is blocked: the fault the disk gives now, or the one the retries gave up on. */
  problem(): StorageError | undefined;
  close(): void;
}

/** How far a journal was synced, as its writer last saw it: kept in the run's state file. */
export interface JournalWitness {
  /** Lines synced, the header included. */
  lines: number;
  /** The chained CRC after those lines, 8 hex digits. */
  crc: string;
}

export interface FileJournalOptions {
  /** How long a refused write is retried before the run stops (ms). */
  retryFor?: number;
  /** What the disk is doing to the journal: refused a write (retries begin), took it after all, or the retries gave up. */
  onStorage?: (event: StorageEvent) => void;
}

export type StorageEvent =
  | { state: 'retrying'; error: StorageError; retryFor: number }
  | { state: 'recovered' }
  | { state: 'failed'; error: StorageError };

/** The journal format this code writes: 2 = header + chained CRC per line; 1 (no header) is still read. */
export const JOURNAL_FORMAT = 2;
const HEADER_TYPE = 'revo.journal';
/** Batched entries are written at the latest when they reach this size. */
const FLUSH_AT = 64 * 1024;
const DEFAULT_RETRY_FOR = 60_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;
/** `,"crc":"xxxxxxxx"}`: the end of every checked line. */
const CRC_SUFFIX_LENGTH = 18;
/** How often an open journal checks it still has a name (one fstat). */
const PRESENCE_CHECK_MS = 1_000;

function deletedError(): Error {
  return Object.assign(new Error('the file was deleted while the run was running'), { code: 'ENOENT' });
}

/** A journal file kept open for appending; append() is on the hot path: synchronous, batched into few writes. */
export class FileJournal implements Journal {
  private fd: number;
  private pending = '';
  private flushScheduled = false;
  /** The chained CRC of every line appended (written or pending); undefined for a format-1 journal, whose lines carry none. */
  private crc: number | undefined;
  private lines: number;
  /** Bytes in the file that are whole lines: where a failed write is cut back to. */
  private size: number;
  private written: JournalWitness;
  private synced: JournalWitness;
  private trouble: { error: StorageError; since: number; delay: number; timer: ReturnType<typeof setTimeout> | undefined } | undefined;
  private failure: StorageError | undefined;
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** A run that writes nothing for a while (waiting for a signal, sleeping) must still notice its journal deleted. */
  private readonly presence = setInterval(() => this.checkPresent(), PRESENCE_CHECK_MS).unref();

  private constructor(
    readonly path: string,
    fd: number,
    at: { size: number; lines: number; crc: number | undefined },
    private readonly options: FileJournalOptions,
  ) {
    this.fd = fd;
    this.size = at.size;
    this.lines = at.lines;
    this.crc = at.crc;
    this.written = this.synced = { lines: at.lines, crc: hex(at.crc ?? 0) };
  }

  /**
   * Creates a new journal file (and its directory) with its header, synced; fails if the
   * file exists, so two runs never share one. A storage fault (a full or read-only disk,
   * no permission) is a StorageError, and leaves no file behind.
   */
  static create(path: string, options: FileJournalOptions = {}): FileJournal {
    const dir = dirname(path);
    let fd: number | undefined;
    try {
      mkdirSync(dir, { recursive: true });
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL, 0o644);
      const journal = new FileJournal(path, fd, { size: 0, lines: 0, crc: 0 }, options);
      journal.pending = journal.line({ type: HEADER_TYPE, format: JOURNAL_FORMAT });
      journal.flush();
      fdatasyncSync(fd);
      syncDirectory(dir); // the new file's name must survive power loss, not only its contents
      return journal;
    } catch (err) {
      if (fd !== undefined) {
        closeSync(fd);
        rmSync(path, { force: true });
      }
      if (errorCode(err) === 'EEXIST') throw new Error(`journal ${path} already exists`, { cause: err });
      throw storageError(err, path, 'create the run journal') ?? err;
    }
  }

  /**
   * Opens an existing journal to append after its first `at.validBytes` bytes (from
   * readJournal), dropping a line a crash cut off so the next entry starts on a line
   * of its own; new lines go on in the journal's own format.
   */
  static reopen(path: string, at: Pick<JournalContents, 'validBytes' | 'lines' | 'crc'>, options: FileJournalOptions = {}): FileJournal {
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
    try {
      const size = fstatSync(fd).size;
      const { validBytes } = at;
      if (!Number.isInteger(validBytes) || validBytes < 0 || validBytes > size) {
        throw new Error(`cannot reopen journal ${path} at byte ${validBytes}: the file has ${size} bytes`);
      }
      if (validBytes < size) {
        ftruncateSync(fd, validBytes);
        fsyncSync(fd);
      }
    } catch (err) {
      closeSync(fd);
      throw storageError(err, path, 'reopen the run journal') ?? err;
    }
    return new FileJournal(path, fd, { size: at.validBytes, lines: at.lines, crc: at.crc === undefined ? undefined : parseInt(at.crc, 16) }, options);
  }

  get blocked(): boolean {
    return this.trouble !== undefined || this.failure !== undefined;
  }

  append(entry: JournalEntry, durable: boolean): void {
    if (this.fd < 0) throw new Error(`journal ${this.path} is closed`);
    this.pending += this.line(entry);
    if (this.blocked) return; // the retries write it
    if (durable) {
      this.writeOut(true);
    } else if (this.pending.length >= FLUSH_AT) {
      this.writeOut(false);
    } else if (!this.flushScheduled) {
      // Entries nothing depends on are batched with the next one (one write instead of
      // several); they reach the OS before the event loop turns, or with the next durable one.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (this.fd >= 0 && !this.blocked) this.writeOut(false);
      });
    }
  }

  writable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.trouble) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  witness(): JournalWitness {
    return this.synced;
  }

  problem(): StorageError | undefined {
    return this.failure ?? this.trouble?.error;
  }

  /** Hands the batched entries to the OS in one write (throws on a storage fault: callers go through writeOut). */
  flush(): void {
    if (this.pending === '') return;
    const bytes = Buffer.from(this.pending);
    let written: number;
    try {
      written = writeSync(this.fd, bytes);
    } catch (err) {
      this.cutBack(); // a failed write may still have put part of the text in the file
      throw err;
    }
    // A regular file takes the whole text unless the disk is full or a quota is hit;
    // a torn line would be read back as a cut-off tail, so the entries must count as failed.
    if (written !== bytes.length) {
      this.cutBack();
      throw Object.assign(new Error(`short write (${written} of ${bytes.length} bytes)`), { code: 'ENOSPC' });
    }
    this.pending = '';
    this.size += written;
    this.written = { lines: this.lines, crc: hex(this.crc ?? 0) };
  }

  close(): void {
    if (this.fd < 0) return;
    if (!this.blocked) {
      try {
        this.flush();
      } catch (err) {
        // Closing is no time to start retries: what the disk refused is dropped, as below.
        if (!storageError(err, this.path, 'write the run journal')) throw err;
      }
    }
    // Entries the disk refused are dropped: the file ends at its last whole line, and a resume redoes what they recorded.
    if (this.trouble) clearTimeout(this.trouble.timer);
    clearInterval(this.presence);
    const fd = this.fd;
    this.fd = -1;
    closeSync(fd);
    const error = this.failure ?? (this.trouble ? this.gaveUp(this.trouble.error) : undefined);
    if (error) this.settleWaiters(error);
  }

  /** One journal line: the entry's JSON with its chained CRC as the last field (format 1: without). */
  private line(entry: JournalEntry): string {
    const text = JSON.stringify(entry);
    this.lines++;
    if (this.crc === undefined) return text + '\n';
    this.crc = crc32(text, this.crc);
    return `${text.slice(0, -1)},"crc":"${hex(this.crc)}"}\n`;
  }

  /** Writes what is pending (and syncs it); a storage fault turns into retries, anything else is thrown. */
  private writeOut(sync: boolean): void {
    try {
      this.flush();
      if (sync) this.sync();
    } catch (err) {
      const error = storageError(err, this.path, 'write the run journal');
      if (!error) throw err;
      this.startRetrying(error);
    }
  }

  private sync(): void {
    fdatasyncSync(this.fd);
    // A journal unlinked under a live run would take the run's record with it: stop rather than write into nothing.
    if (fstatSync(this.fd).nlink === 0) throw deletedError();
    this.synced = this.written;
  }

  private checkPresent(): void {
    if (this.fd < 0 || this.failure) return;
    try {
      if (fstatSync(this.fd).nlink > 0) return;
    } catch {
      return; // closed meanwhile
    }
    if (this.trouble) clearTimeout(this.trouble.timer);
    this.trouble = undefined;
    this.fail(storageError(deletedError(), this.path, 'write the run journal')!);
  }

  private startRetrying(error: StorageError): void {
    if (error.code === 'ENOENT') {
      this.fail(error); // nothing to retry: the file is gone
      return;
    }
    const retryFor = this.options.retryFor ?? DEFAULT_RETRY_FOR;
    this.trouble = { error, since: Date.now(), delay: FIRST_RETRY_MS, timer: undefined };
    this.options.onStorage?.({ state: 'retrying', error, retryFor });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const trouble = this.trouble!;
    trouble.timer = setTimeout(() => {
      try {
        this.flush();
        this.sync();
      } catch (err) {
        const error = storageError(err, this.path, 'write the run journal');
        if (!error) throw err;
        if (error.code === 'ENOENT' || Date.now() - trouble.since >= (this.options.retryFor ?? DEFAULT_RETRY_FOR)) {
          this.trouble = undefined;
          this.fail(error.code === 'ENOENT' ? error : this.gaveUp(error));
          return;
        }
        trouble.error = error;
        trouble.delay = Math.min(trouble.delay * 2, MAX_RETRY_MS);
        this.scheduleRetry();
        return;
      }
      this.trouble = undefined;
      this.options.onStorage?.({ state: 'recovered' });
      this.settleWaiters(undefined);
    }, trouble.delay);
  }

  private fail(error: StorageError): void {
    this.failure = error;
    this.options.onStorage?.({ state: 'failed', error });
    this.settleWaiters(error);
  }

  private gaveUp(error: StorageError): StorageError {
    return new StorageError(error.path, error.code, `${error.message}; gave up after retrying for ${Math.round((this.options.retryFor ?? DEFAULT_RETRY_FOR) / 1000)} s`);
  }

  private settleWaiters(error: StorageError | undefined): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  /** Cuts the file back to its last whole line after a failed write, so the next line does not land after a torn one. */
  private cutBack(): void {
    try {
      ftruncateSync(this.fd, this.size);
    } catch {
      // the reader still treats a torn last line as cut off; the retries truncate again first
    }
  }
}

/**
 * A journal that keeps entries in memory, for tests and benchmarks. Entries are kept
 * by reference (the file journal serialises them at once): do not mutate an entry
 * after appending it.
 */
export class MemoryJournal implements Journal {
  readonly entries: JournalEntry[] = [];
  readonly blocked = false;
  private closed = false;

  append(entry: JournalEntry, _durable: boolean): void {
    if (this.closed) throw new Error('journal is closed');
    this.entries.push(entry);
  }

  writable(): Promise<void> {
    return Promise.resolve();
  }

  witness(): undefined {
    return undefined;
  }

  problem(): undefined {
    return undefined;
  }

  close(): void {
    this.closed = true;
  }
}

export interface JournalContents {
  /** The entries, without the header and without their `crc` fields. */
  entries: JournalEntry[];
  /** Bytes up to the end of the last complete, checked line: where FileJournal.reopen continues. */
  validBytes: number;
  /** Lines up to validBytes, the header included. */
  lines: number;
  /** The chained CRC up to validBytes (8 hex digits); undefined for a format-1 journal. */
  crc: string | undefined;
  /** 2 for a checked journal; 1 for one written before Revo checked its journals (read as it is, unchecked). */
  format: 1 | 2;
  /** True when the file ended in a partial last line (a crash mid-write); that tail is ignored. */
  cutOff: boolean;
  /** With `acceptDamage`: the damage found, which validBytes stops before. */
  damage?: JournalDamage;
}

/** Where a journal stops being trustworthy, and what that costs a resume. */
export interface JournalDamage {
  /** The first line that fails its check (1-based), or the line after the last one when lines are missing at the end. */
  line: number;
  detail: string;
  /** Keys of the steps completed in the lines dropped (those that still parse): a resume runs them again. */
  lostSteps: string[];
}

/** A journal whose lines fail their check (damaged, edited, or cut short): it is refused rather than resumed into a wrong result. */
export class JournalCorruptError extends Error {
  override readonly name = 'JournalCorruptError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: corrupt journal entry (${detail})`);
  }
}

export interface ReadJournalOptions {
  /** What the run's writer last synced (from its state file): fewer lines, or another CRC there, is a cut. */
  witness?: JournalWitness;
  /** Do not throw on damage: stop before it and report it in `damage` (for `revo resume --accept-damage`). */
  acceptDamage?: boolean;
}

/**
 * Reads a journal and checks it. A last line without '\n' is a cut-off tail (cutOff:
 * true) and is ignored. Any other bad line — unparsable, failing its CRC, missing its
 * CRC — and a journal shorter than its witness throw JournalCorruptError (or, with
 * acceptDamage, end the contents there). A missing file throws the fs error (err.code
 * 'ENOENT'). A format-1 journal (no header) is read unchecked, as before.
 */
export function readJournal(path: string, options: ReadJournalOptions = {}): JournalContents {
  const bytes = readFileSync(path);
  const entries: JournalEntry[] = [];
  let format: 1 | 2 = 1;
  let crc: number | undefined;
  let start = 0;
  let line = 0;
  let cutOff = false;
  let damage: { line: number; detail: string } | undefined;
  const { witness } = options;
  let crcAtWitness: string | undefined;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    if (newline < 0) {
      cutOff = true; // a write the crash cut short
      break;
    }
    line++;
    const isLast = newline + 1 === bytes.length;
    let parsed: JournalEntry | string;
    if (line === 1 && isHeader(bytes, start, newline)) {
      const header = checkedEntry(bytes, start, newline, 0);
      if (typeof header === 'string') parsed = header;
      else if (header.entry.format !== JOURNAL_FORMAT) parsed = `journal format ${String(header.entry.format)} is not one this Revo reads; use the Revo version that wrote it`;
      else {
        format = 2;
        crc = header.crc;
        start = newline + 1;
        continue;
      }
    } else if (format === 2) {
      const checked = checkedEntry(bytes, start, newline, crc!);
      if (typeof checked === 'string') parsed = checked;
      else {
        parsed = checked.entry;
        crc = checked.crc;
      }
    } else {
      parsed = parseEntry(bytes.toString('utf8', start, newline));
      // Format 1 had no checks: an unparsable last line was taken for a write cut short.
      if (typeof parsed === 'string' && isLast) {
        cutOff = true;
        line--;
        break;
      }
    }
    if (typeof parsed === 'string') {
      damage = { line, detail: parsed };
      line--;
      break;
    }
    entries.push(parsed);
    start = newline + 1;
    if (line === witness?.lines && crc !== undefined) crcAtWitness = hex(crc);
  }
  const lines = line;
  if (!damage && witness && format === 2) {
    if (lines < witness.lines) {
      damage = { line: lines + 1, detail: `the journal ends after ${lines} lines, but its run had synced ${witness.lines}: lines are missing at the end` };
    } else if (crcAtWitness !== witness.crc) {
      damage = { line: witness.lines, detail: 'the journal is not the one its run wrote: its lines up to here differ from what the run synced' };
    }
  }
  if (damage && !options.acceptDamage) throw new JournalCorruptError(path, damage.line, damage.detail);
  return {
    entries,
    validBytes: start,
    lines,
    crc: format === 2 ? hex(crc!) : undefined,
    format,
    cutOff,
    ...(damage && { damage: { ...damage, lostSteps: completedStepsIn(bytes, start) } }),
  };
}

function isHeader(bytes: Buffer, start: number, end: number): boolean {
  const prefix = `{"type":"${HEADER_TYPE}"`;
  return end - start > prefix.length && bytes.toString('utf8', start, start + prefix.length) === prefix;
}

/** The entry on a checked line and the CRC after it, or why the line fails. */
function checkedEntry(bytes: Buffer, start: number, end: number, previous: number): { entry: JournalEntry; crc: number } | string {
  const suffix = bytes.toString('latin1', Math.max(start, end - CRC_SUFFIX_LENGTH), end);
  const match = /^,"crc":"([0-9a-f]{8})"\}$/.exec(suffix);
  if (!match) return 'the line has no integrity check';
  const crc = crc32('}', crc32(bytes.subarray(start, end - CRC_SUFFIX_LENGTH), previous));
  if (hex(crc) !== match[1]) return 'the line fails its integrity check: it was changed after it was written, or a line before it was';
  const entry = parseEntry(bytes.toString('utf8', start, end));
  if (typeof entry === 'string') return entry;
  delete entry.crc;
  return { entry, crc };
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

/** Step keys of the `step.completed` lines after `start` that still parse: what dropping them costs. */
function completedStepsIn(bytes: Buffer, start: number): string[] {
  const keys: string[] = [];
  for (const text of bytes.toString('utf8', start).split('\n')) {
    const entry = parseEntry(text);
    if (typeof entry !== 'string' && entry.type === 'step.completed' && typeof entry.key === 'string') keys.push(entry.key);
  }
  return keys;
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

const STORAGE_FAULTS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted (an immutable file?)',
  EIO: 'an input/output error',
  EFBIG: 'the file is too large',
  ENOENT: 'the file was deleted while the run was running',
};

/** A StorageError for a file-system fault the user can fix (full disk, read-only, permissions), else undefined. */
export function storageError(err: unknown, path: string, doing: string): StorageError | undefined {
  const code = errorCode(err);
  if (typeof code !== 'string' || !(code in STORAGE_FAULTS)) return undefined;
  if (code === 'ENOENT' && !doing.startsWith('write')) return undefined; // a missing file is the caller's own case
  return new StorageError(path, code, `cannot ${doing} ${path}: ${STORAGE_FAULTS[code]} (${code})`);
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
