/**
 * A local run's inbox `<runId>.inbox.jsonl`: other processes (`revo signal`,
 * `revo cancel`) append messages as JSON lines; the `revo run` process owning the
 * run reads what is new. A file, not a socket, so a message sent while the run is
 * down waits for `revo resume`.
 */
import { closeSync, constants, fdatasyncSync, fstatSync, mkdirSync, openSync, readSync, statSync, watch, writeSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export type InboxMessage =
  | { kind: 'signal'; id: string; name: string; payload: unknown; sentAt: number }
  | { kind: 'cancel'; id: string; reason: string; sentAt: number };

/**
 * Appends one message as one JSON line with a single O_APPEND write (creating the
 * file and its directory if needed), so concurrent senders never interleave, and
 * syncs it: once the sender is told "sent", the message survives a crash.
 */
export function sendToInbox(file: string, message: InboxMessage): void {
  mkdirSync(dirname(file), { recursive: true });
  const line = Buffer.from(JSON.stringify(message) + '\n');
  const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o644);
  try {
    const written = writeSync(fd, line);
    if (written !== line.length) throw new Error(`inbox ${file}: short write (${written} of ${line.length} bytes)`);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads an inbox incrementally from a byte offset, which the run journals so a resumed run does not see a message twice. */
export class InboxReader {
  private position: number;

  constructor(
    readonly file: string,
    offset = 0,
  ) {
    this.position = offset;
  }

  /** The byte position up to which lines have been read. */
  get offset(): number {
    return this.position;
  }

  /**
   * The complete lines appended since the last call, each with the byte offset just
   * after it; a partial last line (a sender mid-write) is left for later. A line that
   * is not a valid message (not written by Revo) is skipped. Missing file → [].
   */
  readNew(): { message: InboxMessage; end: number }[] {
    const bytes = this.readFrom(this.position);
    if (bytes === undefined) return [];
    const messages: { message: InboxMessage; end: number }[] = [];
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      const message = parseMessage(bytes.toString('utf8', start, newline));
      start = newline + 1;
      if (message) messages.push({ message, end: this.position + start });
    }
    this.position += start;
    return messages;
  }

  /**
   * Calls onChange whenever the file may have new lines: fs.watch on the directory
   * (filtered by file name; set up as soon as the directory exists) plus a poll every
   * 100 ms for file systems where watching misses events. The watcher keeps the
   * process alive until the returned stop function is called; the poll timer does not.
   * Never throws when the file or its directory does not exist yet.
   */
  watch(onChange: () => void): () => void {
    const dir = dirname(this.file);
    const name = basename(this.file);
    let watcher: FSWatcher | undefined;
    let stopped = false;
    let polledSize = -1;

    const startWatching = (): void => {
      try {
        watcher = watch(dir, { persistent: true }, (_event, filename) => {
          if (!stopped && (filename === null || filename === name)) onChange();
        });
        watcher.on('error', () => {
          // the directory went away; polling carries on and watching restarts when it is back
          watcher?.close();
          watcher = undefined;
        });
      } catch {
        watcher = undefined;
      }
    };

    const poll = (): void => {
      if (stopped) return;
      if (!watcher) startWatching();
      let size: number;
      try {
        size = statSync(this.file).size;
      } catch {
        return;
      }
      // Call only when the file changed since the last poll and has unread bytes, so a
      // partial line left unread does not wake the reader ten times a second.
      if (size !== polledSize && size > this.position) {
        polledSize = size;
        onChange();
      }
    };

    startWatching();
    const timer = setInterval(poll, 100);
    timer.unref();
    return () => {
      stopped = true;
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
    };
  }

  /** The bytes from `offset` to the current end of the file; undefined when the file does not exist. */
  private readFrom(offset: number): Buffer | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return undefined;
      const buffer = Buffer.allocUnsafe(size - offset);
      let filled = 0;
      while (filled < buffer.length) {
        const n = readSync(fd, buffer, filled, buffer.length - filled, offset + filled);
        if (n === 0) break;
        filled += n;
      }
      return buffer.subarray(0, filled);
    } finally {
      closeSync(fd);
    }
  }
}

/** A well-formed message, or undefined. */
function parseMessage(text: string): InboxMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (typeof m.id !== 'string' || typeof m.sentAt !== 'number') return undefined;
  if (m.kind === 'signal' && typeof m.name === 'string') return m as InboxMessage;
  if (m.kind === 'cancel' && typeof m.reason === 'string') return m as InboxMessage;
  return undefined;
}
